// /oncall override and /oncall cover, every path: stored once per request key, refused with a clear
// error and nothing changed (usage, unknown rotation or user, past, overlap, permission), and the
// cover request's Accept button: the first to accept gets the override, even when two press at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actions } from '../../handlers/index.ts';
import { oncall } from '../../commands/oncall.ts';
import type { Invocation } from '../../src/core/command.ts';
import type { ActionInvocation } from '../../src/core/handlers.ts';
import { t } from '../../src/i18n/index.ts';
import { COVER_ACCEPT_ACTION } from '../../src/views/rotations.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE rotation_handoffs, rotation_overrides, rotation_cover_requests, outbox RESTART IDENTITY CASCADE',
  );
});

// Mon 2026-11-30 12:00 JST; primary's members U0AAA U0BBB U0CCC, admins [U0AAA]; U0FIN1 is neither.
const ctxNow = () => {
  const ctx = testContext(db.pool);
  ctx.clock.set('2026-11-30T03:00:00Z');
  return ctx;
};

const run = (text: string, userId = 'U0BBB', key?: string) => {
  const inv: Invocation = { command: '/oncall', text, userId, locale: 'en', ...(key ? { key } : {}) };
  return oncall.run(inv, ctxNow());
};

async function overrides() {
  const { rows } = await db.pool.query(
    `SELECT rotation_id, user_id, starts_at, ends_at, kind, created_by FROM rotation_overrides ORDER BY id`,
  );
  return rows;
}

const refused = (key: string) => expect.objectContaining({ key });

describe('/oncall override', () => {
  it('records an override from a member, in the business time zone, and says so', async () => {
    const reply = await run('override primary <@U0LEAD|lead> 12-01 09:00 12-01 18:00', 'U0BBB', 'req:1');
    expect(reply.message.text).toBe(
      'Override recorded: <@U0LEAD> holds *Primary on-call* from Tue 1 Dec 09:00 to Tue 1 Dec 18:00.',
    );
    expect(await overrides()).toEqual([
      {
        rotation_id: 'primary',
        user_id: 'U0LEAD',
        starts_at: new Date('2026-12-01T00:00:00Z'),
        ends_at: new Date('2026-12-01T09:00:00Z'),
        kind: 'override',
        created_by: 'U0BBB',
      },
    ]);
  });

  it('stores a retried request once, and answers it again', async () => {
    const text = 'override Primary on-call @U0LEAD 2026-12-02 09:00 2026-12-02 18:00';
    await run(text, 'U0BBB', 'req:retry');
    const again = await run(text, 'U0BBB', 'req:retry');
    expect(again.message.text).toContain('Already recorded');
    expect(await overrides()).toHaveLength(1);
  });

  it('lets an admin who is not a member override, and takes `now` as the start', async () => {
    await run('override cs-duty <@U0LEAD> now 11-30 18:00', 'U0AAA');
    expect(await overrides()).toEqual([
      expect.objectContaining({ rotation_id: 'cs-duty', starts_at: new Date('2026-11-30T03:00:00Z') }),
    ]);
  });

  it('refuses anyone neither a member nor an admin, and changes nothing', async () => {
    await expect(run('override primary <@U0LEAD> 12-01 09:00 12-01 18:00', 'U0FIN1')).rejects.toMatchObject({
      name: 'PermissionError',
      key: 'rotations.not_allowed',
    });
    expect(await overrides()).toEqual([]);
  });

  it.each([
    ['no user', 'override primary 12-01 09:00 12-01 18:00', 'rotations.override_usage'],
    ['no rotation', 'override <@U0LEAD> 12-01 09:00 12-01 18:00', 'rotations.override_usage'],
    ['one time only', 'override primary <@U0LEAD> 12-01 09:00', 'rotations.override_usage'],
    [
      'words after the user',
      'override primary <@U0LEAD> please 12-01 09:00 12-01 18:00',
      'rotations.override_usage',
    ],
    ['a time that is not one', 'override primary <@U0LEAD> 12-01 9am 12-01 18:00', 'rotations.bad_time'],
    ['a day that does not exist', 'override primary <@U0LEAD> 02-30 09:00 03-01 18:00', 'rotations.bad_time'],
    ['an unknown rotation', 'override nightly <@U0LEAD> 12-01 09:00 12-01 18:00', 'oncall.unknown_rotation'],
    ['an unknown user', 'override primary <@U0GHOST> 12-01 09:00 12-01 18:00', 'rotations.unknown_user'],
    ['a past range', 'override primary <@U0LEAD> 11-30 09:00 11-30 18:00', 'rotations.past_period'],
    ['an empty range', 'override primary <@U0LEAD> 12-01 18:00 12-01 09:00', 'rotations.empty_period'],
  ])('refuses %s with a clear error and stores nothing', async (_what, text, key) => {
    await expect(run(text)).rejects.toMatchObject(refused(key));
    expect(await overrides()).toEqual([]);
  });

  it('refuses an override overlapping another of the rotation, naming it; another rotation is free', async () => {
    await run('override primary <@U0LEAD> 12-01 09:00 12-01 18:00');
    const err = await run('override primary <@U0AAA> 12-01 17:00 12-01 20:00').catch((e: unknown) => e);
    expect(err).toMatchObject({
      key: 'rotations.overlap',
      params: { user: 'U0LEAD', from: '2026-12-01 09:00' },
    });
    expect(
      t('ja', (err as { key: string }).key, (err as { params: Record<string, string> }).params),
    ).toContain('重なります');
    await run('override cs-duty <@U0AAA> 12-01 17:00 12-01 20:00', 'U0AAA');
    await run('override primary <@U0AAA> 12-01 18:00 12-01 20:00');
    expect(await overrides()).toHaveLength(3);
  });
});

const press = (requestId: string, userId: string, key?: string): ActionInvocation => ({
  actionId: COVER_ACCEPT_ACTION,
  value: requestId,
  userId,
  locale: 'en',
  ...(key ? { key } : {}),
});
const accept = actions.find((a) => a.actionId === COVER_ACCEPT_ACTION)!;

async function outbox() {
  const { rows } = await db.pool.query(`SELECT kind, payload FROM outbox ORDER BY id`);
  return rows as { kind: string; payload: Record<string, unknown> }[];
}

describe('/oncall cover', () => {
  it('posts a request with an Accept button in the alerts channel (primary has no channel of its own)', async () => {
    const reply = await run('cover primary 12-01 09:00 12-01 18:00', 'U0CCC', 'req:c1');
    expect(reply.message.text).toBe(
      'Cover request posted in <#C0ALERTS>: *Primary on-call* Tue 1 Dec 09:00 – Tue 1 Dec 18:00.',
    );
    await run('cover primary 12-01 09:00 12-01 18:00', 'U0CCC', 'req:c1');
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'slack.post', payload: { channel: 'C0ALERTS', ref: 'cover:1' } });
    expect(rows[0]!.payload.blocks).toContainEqual({
      type: 'actions',
      elements: [expect.objectContaining({ type: 'button', action_id: COVER_ACCEPT_ACTION, value: '1' })],
    });
  });

  it.each([
    [
      'a person outside the rotation',
      'cover primary 12-01 09:00 12-01 18:00',
      'U0FIN1',
      'rotations.not_allowed',
    ],
    ['no rotation', 'cover 12-01 09:00 12-01 18:00', 'U0CCC', 'rotations.cover_usage'],
    ['no times', 'cover primary', 'U0CCC', 'rotations.cover_usage'],
    ['a past range', 'cover primary 11-30 08:00 11-30 09:00', 'U0CCC', 'rotations.past_period'],
  ])('refuses %s and posts nothing', async (_what, text, user, key) => {
    await expect(run(text, user)).rejects.toMatchObject(refused(key));
    expect(await outbox()).toEqual([]);
  });

  it('gives the period to the first who accepts, updates the post and tells the requester', async () => {
    await run('cover primary 12-01 09:00 12-01 18:00', 'U0CCC');
    const ctx = ctxNow();
    const result = await accept.run(press('1', 'U0AAA', 'action:1'), ctx);
    expect(result?.reply?.message.text).toBe(
      'You cover *Primary on-call* Tue 1 Dec 09:00 – Tue 1 Dec 18:00.',
    );
    expect(await overrides()).toEqual([
      expect.objectContaining({ user_id: 'U0AAA', kind: 'cover', created_by: 'U0CCC' }),
    ]);
    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual(['slack.post', 'slack.update', 'slack.dm']);
    expect(rows[1]!.payload).toMatchObject({ ref: 'cover:1' });
    expect(rows[1]!.payload.text).toContain('<@U0AAA>');
    expect(rows[2]!.payload).toMatchObject({ user: 'U0CCC' });
    // Pressed again by them: nothing more; by someone else: already taken.
    await accept.run(press('1', 'U0AAA', 'action:2'), ctx);
    await expect(accept.run(press('1', 'U0BBB'), ctx)).rejects.toMatchObject({
      key: 'rotations.cover_taken',
      params: { user: 'U0AAA' },
    });
    expect(await overrides()).toHaveLength(1);
    expect(await outbox()).toHaveLength(3);
  });

  it('does not let the requester accept their own request, nor a request that does not exist', async () => {
    await run('cover primary 12-01 09:00 12-01 18:00', 'U0CCC');
    await expect(accept.run(press('1', 'U0CCC'), ctxNow())).rejects.toMatchObject(
      refused('rotations.cover_own'),
    );
    await expect(accept.run(press('99', 'U0AAA'), ctxNow())).rejects.toMatchObject(
      refused('rotations.cover_gone'),
    );
    await expect(accept.run(press('x', 'U0AAA'), ctxNow())).rejects.toMatchObject(
      refused('rotations.cover_gone'),
    );
    expect(await overrides()).toEqual([]);
  });

  it('two accepts at once (two replicas): one override, one winner, the other told who has it', async () => {
    await run('cover primary 12-01 09:00 12-01 18:00', 'U0CCC');
    const results = await Promise.allSettled([
      accept.run(press('1', 'U0AAA', 'a:1'), testContext(db.pool, { clock: ctxNow().clock })),
      accept.run(press('1', 'U0BBB', 'a:2'), testContext(db.pool, { clock: ctxNow().clock })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ key: 'rotations.cover_taken' });
    const stored = await overrides();
    expect(stored).toHaveLength(1);
    expect(lost.reason.params.user).toBe(stored[0].user_id);
    expect((await outbox()).filter((r) => r.kind === 'slack.dm')).toHaveLength(1);
  });
});

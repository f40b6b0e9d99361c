// /alerts through the Dispatcher against PostgreSQL (issue 9 item 10): the open groups with their
// state, mine (acknowledged by me), show (alerts, timeline, escalation step), silence (a local mute
// without ALERTMANAGER_URL, once per invocation key), usage errors in the person's language, help,
// and who may silence: rotation members and admins; everyone may read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actions } from '../../handlers/index.ts';
import { commands } from '../../commands/index.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import { STORM_THRESHOLD } from '../../src/domain/alert-storm.ts';
import { demoConfig, testContext } from '../helpers/context.ts';
import { fixture } from '../helpers/alert-intake.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let ctx: ReturnType<typeof testContext>;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE outbox, alert_silences, alerts, alert_groups, alert_payloads RESTART IDENTITY CASCADE',
  );
  ctx = testContext(db.pool, { config: { ...demoConfig(), locale: 'en' } });
  dispatcher = new Dispatcher(ctx, { commands });
});

const run = (text: string, opts: { user?: string; locale?: Locale; key?: string } = {}) =>
  dispatcher.run({
    command: '/alerts',
    text,
    userId: opts.user ?? 'U0BBB',
    locale: opts.locale ?? 'en',
    ...(opts.key ? { key: opts.key } : {}),
  });

/** Two groups: DiskFull (alertmanager, 1 alert) and the generic batch's. */
async function twoGroups(): Promise<string[]> {
  const a = await intakeAlerts(ctx, { source: 'alertmanager', body: fixture('alertmanager-firing.json') });
  const b = await intakeAlerts(ctx, {
    source: 'generic',
    body: {
      title: 'Payout batch late',
      status: 'firing',
      severity: 'warning',
      labels: { service: 'payouts' },
    },
  });
  if (a.status !== 202 || b.status !== 202) throw new Error('intake refused the fixtures');
  return [a.groups[0]!, b.groups[0]!];
}

const press = (actionId: string, id: string, userId: string) =>
  actions.find((a) => a.actionId === actionId)!.run({ actionId, value: id, userId, locale: 'en' }, ctx);

describe('/alerts [open|mine]', () => {
  it('lists the open groups, newest first, with who acknowledged and the silence', async () => {
    const [disk, payout] = await twoGroups();
    await press(ALERT_ACTIONS.acknowledge, disk!, 'U0CCC');
    const out = await run('');
    expect(out.error).toBeUndefined();
    const text = out.reply!.message.text;
    expect(text).toContain('Open alert groups: 2');
    expect(text.indexOf(`#${payout}`)).toBeLessThan(text.indexOf(`#${disk}`));
    expect(text).toContain('DiskFull');
    expect(text).toContain(':eyes: <@U0CCC>');
    expect(text).toContain('not acknowledged');
    expect((await run('open')).reply!.message.text).toBe(text);
  });

  it('leaves resolved groups out', async () => {
    const [disk] = await twoGroups();
    await press(ALERT_ACTIONS.resolve, disk!, 'U0CCC');
    const text = (await run('')).reply!.message.text;
    expect(text).toContain('Open alert groups: 1');
    expect(text).not.toContain('DiskFull');
  });

  it('mine: only the groups I acknowledged', async () => {
    const [disk] = await twoGroups();
    await press(ALERT_ACTIONS.acknowledge, disk!, 'U0BBB');
    const mine = (await run('mine')).reply!;
    expect(mine.message.text).toContain('you acknowledged: 1');
    expect(mine.message.text).toContain('DiskFull');
    expect(mine.message.text).not.toContain('Payout batch late');
    expect((await run('mine', { user: 'U0CCC' })).reply!.message.text).toBe(
      'You have acknowledged no open alert group.',
    );
  });
});

describe('/alerts in a storm', () => {
  it('lists the groups folded into a storm summary too, marked as such (every group stays reachable)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < STORM_THRESHOLD + 3; i++) {
      const r = await intakeAlerts(ctx, {
        source: 'generic',
        body: { title: `Storm ${i}`, status: 'firing', dedup_key: `storm-${i}` },
      });
      if (r.status !== 202) throw new Error('refused');
      ids.push(r.groups[0]!);
    }
    const text = (await run('')).reply!.message.text;
    expect(text).toContain(`Open alert groups: ${STORM_THRESHOLD + 3}`);
    const line = (id: string) => text.split('\n').find((l) => l.includes(`#${id}\``)) ?? '';
    expect(line(ids.at(-1)!)).toContain('in the storm summary');
    expect(line(ids[0]!)).not.toContain('in the storm summary');
  });
});

describe('/alerts pages', () => {
  it('lists 20 a page, says which page and the command for the next; every group reachable', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await intakeAlerts(ctx, {
        source: 'generic',
        body: { title: `Paged ${i}`, status: 'firing', dedup_key: `paged-${i}` },
      });
      if (r.status !== 202) throw new Error('refused');
      ids.push(r.groups[0]!);
    }
    const first = (await run('')).reply!;
    const model = first.model as { groups: { id: string }[] };
    expect(model.groups.map((g) => g.id)).toEqual(ids.slice(5).reverse());
    expect(JSON.stringify(first.message.blocks)).toContain(
      'Page 1 of 2: groups 1–20 of 25. Next: `/alerts open 2`',
    );
    const second = (await run('open 2')).reply!;
    expect((second.model as { groups: { id: string }[] }).groups.map((g) => g.id)).toEqual(
      ids.slice(0, 5).reverse(),
    );
    expect(JSON.stringify(second.message.blocks)).toContain('Page 2 of 2: groups 21–25 of 25.');
    expect(JSON.stringify(second.message.blocks)).not.toContain('Next');
    // `/alerts 2` is the same page, as `/alerts [open] [page]` reads.
    expect((await run('2')).reply!.model).toEqual(second.model);
    expect((await run('open 3')).reply!.message.text).toBe('There is no page 3: the open groups fill 2.');
  });
});

describe('/alerts show', () => {
  it('shows the alerts, the timeline and the escalation step', async () => {
    const [disk] = await twoGroups();
    ctx.clock.advance(5 * 60_000);
    await press(ALERT_ACTIONS.acknowledge, disk!, 'U0CCC');
    await db.pool.query('UPDATE alert_groups SET escalation_step = 1 WHERE id = $1', [disk]);
    const out = await run(`show #${disk}`);
    const text = out.reply!.message.text;
    expect(text).toContain('DiskFull');
    expect(text).toContain('Alerts (1)');
    expect(text).toContain('instance=db-1:9100');
    expect(text).toContain('step 1 reached (policy `default`)');
    expect(text).toMatch(/10:00 opened[\s\S]*10:05 acknowledged by <@U0CCC>/);
    expect(out.reply!.model).toMatchObject({ id: disk, acknowledgedBy: 'U0CCC', escalationStep: 1 });
  });

  it('says so for a group that does not exist, and asks for one id', async () => {
    expect((await run('show 999')).reply!.message.text).toContain('There is no alert group 999');
    const usage = await run('show');
    expect(usage.reply!.message.text).toContain('Name one alert group');
    expect(usage.reply!.message.text).toContain('/alerts silence');
  });
});

describe('/alerts silence', () => {
  it('makes a local mute for a rotation member, once per invocation', async () => {
    const first = await run('silence service=billing env!=prod 2h', { key: 'cmd:1' });
    const again = await run('silence service=billing env!=prod 2h', { key: 'cmd:1' });
    expect(first.reply!.message.text).toContain('Silence 1 (local mute): `service=billing env!=prod`');
    expect(again.reply!.message.text).toContain('was already made');
    const { rows } = await db.pool.query(`SELECT backend, matchers, created_by, ends_at FROM alert_silences`);
    expect(rows).toEqual([
      {
        backend: 'local',
        created_by: 'U0BBB',
        matchers: [
          { name: 'service', op: '=', value: 'billing' },
          { name: 'env', op: '!=', value: 'prod' },
        ],
        ends_at: new Date(ctx.clock.now().getTime() + 2 * 3_600_000),
      },
    ]);
  });

  it('lets an admin silence, and refuses anyone in no rotation', async () => {
    const ctxAdminOnly = { ...demoConfig(), locale: 'en' as const };
    // U0FIN1 is in no rotation and no admin: refused, nothing stored.
    const refused = await run('silence service=billing 1h', { user: 'U0FIN1' });
    expect(refused.reply!.message.text).toContain('Only members of an on-call rotation and admins');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM alert_silences')).rows[0].n).toBe(0);
    // An admin who is in no rotation may.
    const admins = testContext(db.pool, {
      config: { ...ctxAdminOnly, permissions: { ...ctxAdminOnly.permissions, admins: ['U0FIN1'] } },
    });
    const out = await new Dispatcher(admins, { commands }).run({
      command: '/alerts',
      text: 'silence service=billing 1h',
      userId: 'U0FIN1',
      locale: 'en',
    });
    expect(out.reply!.message.text).toContain('(local mute)');
    // Reading is for everyone.
    expect((await run('', { user: 'U0FIN1' })).reply!.message.text).toBe('No alert group is open.');
  });

  it('answers a bad matcher or duration in the person’s language', async () => {
    expect((await run('silence service=billing', { locale: 'en' })).reply!.message.text).toContain(
      'End with how long',
    );
    const ja = await run('silence 1bad=x 2h', { locale: 'ja' });
    expect(ja.reply!.message.text).toContain('`1bad=x`');
    expect(ja.reply!.message.text).toMatch(/[ぁ-ん]/);
    expect((await run('silence env!=prod 2h')).reply!.message.text).toContain('silence every alert');
  });
});

describe('usage', () => {
  it('answers help and an unknown subcommand with the usage, in the person’s language', async () => {
    const help = await run('help', { locale: 'ja' });
    expect(help.reply!.message.text).toContain('/alerts show <id>');
    expect(help.reply!.message.text).toContain('未解決');
    const bad = await run('frobnicate');
    expect(bad.reply!.message.text).toContain('`frobnicate` is not an /alerts subcommand');
    expect((await run('open 1 now')).reply!.message.text).toContain('Unexpected `now`');
    expect((await run('open now')).reply!.message.text).toContain('`now` is not a page number');
    expect((await run('mine 0')).reply!.message.text).toContain('`0` is not a page number');
    expect((await run('0')).reply!.message.text).toContain('`0` is not a page number');
    expect((await run('2 now')).reply!.message.text).toContain('Unexpected `now`');
    expect((await run('open abc', { locale: 'ja' })).reply!.message.text).toContain('ページ番号');
  });
});

// Taking an investigation with :eyes: on its channel post, and handing it back by removing it,
// through the event handlers: once per Slack event key, by the holder only, nothing for anything else.
import { describe, expect, it } from 'vitest';
import { events } from '../../handlers/index.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import type { EventInvocation, SlackEvent } from '../../src/core/handlers.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { testContext } from '../helpers/context.ts';
import { outboxSuite, until } from '../helpers/outbox.ts';

const suite = outboxSuite();

const POST_TS = '1712710800.000200';

/** Files one request by a support agent (U0SUP1, not finance: no month-close page) (assigned to U0EEE, on duty at the test clock's start) and records its post as delivered at POST_TS. */
async function filed(ctx: ReturnType<typeof testContext>): Promise<void> {
  await suite.db.ownerPool.query('TRUNCATE investigations, investigation_events RESTART IDENTITY CASCADE');
  await investigationFile.submit(
    {
      callbackId: 'investigation.file',
      userId: 'U0SUP1',
      locale: 'en',
      key: 'view:F1',
      values: {
        customer: 'cus_1',
        category: 'payout',
        question: 'Where is my payout?',
        deadline_date: '2024-04-12',
      },
    },
    ctx,
  );
  // What the outbox worker records when it has posted a message under a ref.
  await suite.db.pool.query(
    `INSERT INTO slack_messages (ref, channel, ts) VALUES ('investigation:1', 'C0INVEST', $1)`,
    [POST_TS],
  );
}

function reaction(
  type: 'reaction_added' | 'reaction_removed',
  userId: string,
  eventId: string,
  opts: { reaction?: string; ts?: string; channel?: string; eventTs?: string } = {},
): EventInvocation {
  const event: SlackEvent = {
    type,
    userId,
    reaction: opts.reaction ?? 'eyes',
    item: { channelId: opts.channel ?? 'C0INVEST', ts: opts.ts ?? POST_TS },
  };
  return {
    event,
    eventId,
    locale: 'en',
    key: `event:${eventId}`,
    ...(opts.eventTs ? { eventTs: opts.eventTs } : {}),
  };
}

/** Runs every registered handler of the event's type, as the Dispatcher does. */
async function deliver(ctx: ReturnType<typeof testContext>, inv: EventInvocation): Promise<void> {
  for (const h of events.filter((e) => e.event === inv.event.type))
    expect(await h.run(inv, ctx)).toBeUndefined();
}

async function state(): Promise<{
  assignee: string | null;
  status: string;
  events: string[];
  updates: number;
}> {
  const { rows } = await suite.db.pool.query(`SELECT assignee, status FROM investigations WHERE id = 1`);
  const ev = await suite.db.pool.query(`SELECT what, actor FROM investigation_events ORDER BY id`);
  const up = await suite.db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'slack.update'`);
  return {
    assignee: rows[0].assignee,
    status: rows[0].status,
    events: ev.rows.map((r) => `${r.what}:${r.actor}`),
    updates: up.rows[0].n,
  };
}

describe('taking an investigation with :eyes:', () => {
  it('makes the reactor the assignee once, although the event is handled twice under its key', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    expect(await state()).toEqual({
      assignee: 'U0AAA',
      status: 'taken',
      events: ['filed:U0SUP1', 'taken:U0AAA'],
      updates: 1,
    });
    const { rows } = await suite.db.pool.query(`SELECT payload FROM outbox WHERE kind = 'slack.update'`);
    expect(rows[0].payload.ref).toBe('investigation:1');
    expect(rows[0].payload.text).toContain('*状態* 対応中');
    expect(rows[0].payload.text).toContain('*担当* <@U0AAA>');
  });

  it('ignores toban’s own :eyes:', async () => {
    const ctx = { ...testContext(suite.db.pool), botUserId: 'UBOT' };
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'UBOT', 'EvBot'));
    expect(await state()).toMatchObject({ status: 'open', events: ['filed:U0SUP1'], updates: 0 });
  });

  it('changes nothing when the holder reacts again under another event', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev2'));
    expect((await state()).events).toEqual(['filed:U0SUP1', 'taken:U0AAA']);
  });

  it('is taken over by the latest :eyes: of someone else', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    await deliver(ctx, reaction('reaction_added', 'U0BBB', 'Ev2'));
    expect(await state()).toMatchObject({ assignee: 'U0BBB', status: 'taken', updates: 2 });
  });

  it.each([
    ['another emoji', { reaction: 'white_check_mark' }],
    ['another message', { ts: '1712710800.999999' }],
    ['the same ts in another channel', { channel: 'C0OTHER' }],
  ])('does nothing for %s', async (_name, opts) => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1', opts));
    expect(await state()).toEqual({
      assignee: 'U0EEE',
      status: 'open',
      events: ['filed:U0SUP1'],
      updates: 0,
    });
  });
});

describe('handing an investigation back by removing :eyes:', () => {
  it('goes back to the person on duty at that moment, once', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    // Thursday 11 Apr 11:00 in Tokyo: cs-duty has handed off to U0DDD.
    ctx.clock.set('2024-04-11T02:00:00Z');
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev2'));
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev2'));
    expect(await state()).toEqual({
      assignee: 'U0DDD',
      status: 'open',
      events: ['filed:U0SUP1', 'taken:U0AAA', 'released:U0AAA'],
      updates: 2,
    });
    const { rows } = await suite.db.pool.query(
      `SELECT detail FROM investigation_events WHERE what = 'released'`,
    );
    expect(rows[0].detail).toEqual({ to: 'U0DDD' });
  });

  it('changes nothing when someone who does not hold it removes their :eyes:', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    await deliver(ctx, reaction('reaction_added', 'U0BBB', 'Ev2'));
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev3'));
    expect(await state()).toMatchObject({ assignee: 'U0BBB', status: 'taken', updates: 2 });
  });

  it('changes nothing for a request nobody took, even from its duty assignee', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_removed', 'U0EEE', 'Ev1'));
    expect(await state()).toEqual({
      assignee: 'U0EEE',
      status: 'open',
      events: ['filed:U0SUP1'],
      updates: 0,
    });
  });
});

/** The DMs in the outbox after the filing's own (to the duty person, U0EEE), in order. */
async function handoffDms(): Promise<{ user: string; text: string; key: string }[]> {
  const { rows } = await suite.db.pool.query(
    `SELECT payload->>'user' AS user, payload->>'text' AS text, idempotency_key AS key FROM outbox
      WHERE kind = 'slack.dm' AND idempotency_key NOT LIKE '%:dm:filed' ORDER BY id`,
  );
  return rows;
}

describe('reaction events delivered out of order', () => {
  it('ignores a retried :eyes: added before the removal already handled, so nobody holds it without :eyes:', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    // U0AAA added :eyes: (B, 10:00:05) then removed it (A, 10:00:09); A arrives first, B on Slack's retry.
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'EvA', { eventTs: '1712710809.000100' }));
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'EvB', { eventTs: '1712710805.000100' }));
    expect(await state()).toEqual({
      assignee: 'U0EEE',
      status: 'open',
      events: ['filed:U0SUP1'],
      updates: 0,
    });
    // A later :eyes: of theirs takes it as usual.
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'EvC', { eventTs: '1712710820.000000' }));
    expect(await state()).toMatchObject({ assignee: 'U0AAA', status: 'taken' });
  });

  it('ignores an event older than the last take applied, and records the applied event’s ts', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1', { eventTs: '1712710801.000000' }));
    await deliver(ctx, reaction('reaction_added', 'U0BBB', 'Ev3', { eventTs: '1712710803.000000' }));
    // U0CCC's :eyes: came between the two: U0BBB's is the latest, U0BBB keeps it.
    await deliver(ctx, reaction('reaction_added', 'U0CCC', 'Ev2', { eventTs: '1712710802.000000' }));
    expect(await state()).toMatchObject({
      assignee: 'U0BBB',
      events: ['filed:U0SUP1', 'taken:U0AAA', 'taken:U0BBB'],
    });
    const { rows } = await suite.db.pool.query(
      `SELECT detail FROM investigation_events WHERE what = 'taken' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].detail).toEqual({ from: 'U0AAA', eventTs: '1712710803.000000' });
  });

  it('orders by the whole ts, microseconds included', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1', { eventTs: '1712710801.000200' }));
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev2', { eventTs: '1712710801.000100' }));
    expect(await state()).toMatchObject({ assignee: 'U0AAA', status: 'taken' });
  });
});

describe('hand-offs are told by DM', () => {
  it('tells the previous holder, in their language, when someone else takes it over; once per event', async () => {
    const ctx = testContext(suite.db.pool, { directory: staticDirectory({}, { U0AAA: 'ja', U0EEE: 'en' }) });
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    await deliver(ctx, reaction('reaction_added', 'U0BBB', 'Ev2'));
    await deliver(ctx, reaction('reaction_added', 'U0BBB', 'Ev2'));
    expect(await handoffDms()).toEqual([
      // The person on duty it was assigned to is told too.
      {
        user: 'U0EEE',
        text: '<@U0AAA> took INV-1 with :eyes:: it is no longer yours.',
        key: 'investigation:1:taken_over:event:Ev1',
      },
      {
        user: 'U0AAA',
        text: 'INV-1 は <@U0BBB> が :eyes: で担当しました。あなたの担当ではなくなりました。',
        key: 'investigation:1:taken_over:event:Ev2',
      },
    ]);
  });

  it('tells the person on duty, in their language, with the question, when the holder hands it back', async () => {
    const ctx = testContext(suite.db.pool, { directory: staticDirectory({}, { U0DDD: 'ja' }) });
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0AAA', 'Ev1'));
    ctx.clock.set('2024-04-11T02:00:00Z'); // cs-duty has handed off to U0DDD
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev2'));
    await deliver(ctx, reaction('reaction_removed', 'U0AAA', 'Ev2'));
    const dms = (await handoffDms()).filter((d) => d.user === 'U0DDD');
    expect(dms).toEqual([
      {
        user: 'U0DDD',
        text: '<@U0AAA> が INV-1 の :eyes: を外したため、当番のあなたの担当に戻りました（回答期限 4/12(金) 18:00）。\nWhere is my payout?',
        key: 'investigation:1:handed_back:event:Ev2',
      },
    ]);
  });

  it('tells nobody when the holder is the person on duty and hands it back to themselves', async () => {
    const ctx = testContext(suite.db.pool);
    await filed(ctx);
    await deliver(ctx, reaction('reaction_added', 'U0EEE', 'Ev1'));
    await deliver(ctx, reaction('reaction_removed', 'U0EEE', 'Ev2'));
    expect(await state()).toMatchObject({ assignee: 'U0EEE', status: 'open' });
    expect(await handoffDms()).toEqual([]);
  });
});

describe('in Slack, through the outbox', () => {
  it('posts the request, and a reaction on that post updates it in place', async () => {
    const ctx = testContext(suite.db.pool);
    await suite.db.ownerPool.query('TRUNCATE investigations, investigation_events RESTART IDENTITY CASCADE');
    await suite.start();
    await investigationFile.submit(
      {
        callbackId: 'investigation.file',
        userId: 'U0SUP1',
        locale: 'en',
        key: 'view:E2E',
        values: {
          customer: 'cus_1',
          category: 'bug',
          question: 'Checkout fails',
          deadline_date: '2024-04-12',
        },
      },
      ctx,
    );
    const posted = await suite.slack.waitFor((calls) =>
      calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0INVEST'),
    );
    const post = posted.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0INVEST')!;
    expect(String(post.body.text)).toContain('INV-1 調査依頼（不具合）');
    const message = suite.slack.messages.find((m) => m.channel === 'C0INVEST')!;
    const { rows } = await suite.db.pool.query(`SELECT id FROM outbox WHERE kind = 'slack.post'`);
    await until(suite.db, rows[0].id, 'delivered');

    await deliver(ctx, reaction('reaction_added', 'U0CCC', 'EvE2E', { ts: message.ts }));
    const updated = await suite.slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update'));
    const update = updated.find((c) => c.method === 'chat.update')!;
    expect(update.body).toMatchObject({ channel: 'C0INVEST', ts: message.ts });
    expect(String(update.body.text)).toContain('*担当* <@U0CCC>');
  });
});

// Stored Slack requests against real PostgreSQL: the one INSERT that is the replay check and the
// retry dedupe, refusal after a failed acknowledgement, claims with leases, answering once with the
// reply's outbox rows, expiry past the response_url's 30 minutes, and recovery of requests nobody
// answered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import {
  claimStale,
  finishRequest,
  insertRequest,
  pruneRequests,
  refuseRequest,
  releaseRequests,
} from '../../src/db/slack-requests.ts';
import { createAnswerer } from '../../src/transport/slack-answer.ts';
import { startRecovery } from '../../src/transport/slack-recovery.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.pool.query(`DELETE FROM slack_requests`);
  await db.pool.query(`DELETE FROM outbox`);
});

const runs: string[] = [];
const echo: SlashCommand = {
  name: '/echo',
  helpKey: 'oncall.help',
  async run(inv) {
    runs.push(`${inv.text}@${inv.key}`);
    return {
      ...textReply(`echo ${inv.text}`),
      files: inv.text === 'file' ? [{ filename: 'a.csv', title: 'a', content: 'x,y\n' }] : undefined,
    };
  },
};

function commandPayload(text: string, url = 'https://hooks.slack.com/commands/T/1/abc') {
  return { command: '/echo', text, user_id: 'U0AAA', channel_id: 'C0X', response_url: url };
}

async function stored(key: string, payload: unknown = commandPayload('hi'), leaseMs = 60_000) {
  const req = await insertRequest(db.pool, { key, kind: 'command', payload, leaseMs });
  if (!req) throw new Error('not stored');
  return req;
}

const FAR = () => new Date(Date.now() + 3_600_000);

describe('storing a Slack request', () => {
  it('stores a key once: the same key again is a replay (or a retry) and is not stored', async () => {
    const first = await insertRequest(db.pool, {
      key: 'sig:aa',
      kind: 'command',
      payload: commandPayload('x'),
      leaseMs: 1000,
    });
    expect(first).toMatchObject({ key: 'sig:aa', kind: 'command', attempts: 1 });
    expect(
      await insertRequest(db.pool, { key: 'sig:aa', kind: 'command', payload: {}, leaseMs: 1000 }),
    ).toBeUndefined();
  });

  it('marks a refused key so an INSERT landing late, or one landed already, never runs', async () => {
    await refuseRequest(db.pool, { key: 'sig:late', kind: 'command', payload: {} });
    expect(
      await insertRequest(db.pool, { key: 'sig:late', kind: 'command', payload: {}, leaseMs: 0 }),
    ).toBeUndefined();
    await stored('sig:landed', commandPayload('x'), 0);
    await refuseRequest(db.pool, { key: 'sig:landed', kind: 'command', payload: {} });
    const { rows } = await db.pool.query(`SELECT key, state FROM slack_requests ORDER BY key`);
    expect(rows).toEqual([
      { key: 'sig:landed', state: 'refused' },
      { key: 'sig:late', state: 'refused' },
    ]);
    expect(await claimStale(db.pool, { now: FAR(), limit: 10, leaseMs: 1000 })).toEqual([]);
  });

  it('claims only requests whose lease ran out, each by one claimer, with the attempt counted', async () => {
    await stored('sig:fresh', commandPayload('a'), 60_000);
    for (let i = 0; i < 6; i++) await stored(`sig:old${i}`, commandPayload('b'), 0);
    const [a, b] = await Promise.all([
      claimStale(db.pool, { now: null, limit: 3, leaseMs: 60_000 }),
      claimStale(db.pool, { now: null, limit: 3, leaseMs: 60_000 }),
    ]);
    const keys = [...(a ?? []), ...(b ?? [])].map((r) => r.key).sort();
    expect(keys).toEqual(['sig:old0', 'sig:old1', 'sig:old2', 'sig:old3', 'sig:old4', 'sig:old5']);
    expect([...(a ?? []), ...(b ?? [])].every((r) => r.attempts === 2)).toBe(true);
    expect(await claimStale(db.pool, { now: null, limit: 10, leaseMs: 60_000 })).toEqual([]);
  });

  it('releases a claim at once (a drain that timed out) without taking its attempt', async () => {
    const req = await stored('sig:drained');
    expect(await claimStale(db.pool, { now: null, limit: 10, leaseMs: 1000 })).toEqual([]);
    expect(await releaseRequests(db.pool, [req.id])).toBe(1);
    const [again] = await claimStale(db.pool, { now: null, limit: 10, leaseMs: 1000 });
    expect(again?.key).toBe('sig:drained');
    // The released claim can no longer record an outcome over the new one.
    expect(await finishRequest(db.pool, req, 'answered')).toBe(false);
  });

  it('prunes finished requests only', async () => {
    const done = await stored('sig:done');
    await finishRequest(db.pool, done, 'answered');
    await stored('sig:open');
    expect(await pruneRequests(db.pool, FAR())).toBe(1);
    const { rows } = await db.pool.query(`SELECT key FROM slack_requests`);
    expect(rows).toEqual([{ key: 'sig:open' }]);
  });
});

describe('answering a stored request', () => {
  function answerer() {
    const ctx = testContext(db.pool);
    ctx.clock.set(new Date());
    return { ctx, answer: createAnswerer({ ctx, dispatcher: new Dispatcher(ctx, { commands: [echo] }) }) };
  }

  it('runs the command with the request key and commits the reply rows with the answer', async () => {
    const { answer } = answerer();
    const req = await stored('sig:k1', commandPayload('file'));
    expect(await answer(req)).toBe('answered');
    expect(runs.at(-1)).toBe('file@sig:k1');
    const { rows } = await db.pool.query(
      `SELECT kind, idempotency_key, payload->>'text' AS text FROM outbox ORDER BY id`,
    );
    expect(rows).toEqual([
      { kind: 'slack.respond', idempotency_key: 'reply:sig:k1', text: 'echo file' },
      { kind: 'slack.file', idempotency_key: 'reply:sig:k1:file:0', text: null },
    ]);
    const state = await db.pool.query(`SELECT state, finished_at IS NOT NULL AS done FROM slack_requests`);
    expect(state.rows).toEqual([{ state: 'answered', done: true }]);
  });

  it('answers once when two claims race: the one taken over enqueues nothing', async () => {
    const { answer } = answerer();
    const live = await stored('sig:race', commandPayload('x'), 0);
    const [recovered] = await claimStale(db.pool, { now: null, limit: 1, leaseMs: 60_000 });
    expect(await answer(recovered!)).toBe('answered');
    expect(await answer(live)).toBe('lost');
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(rows[0].n).toBe(1);
  });

  it('records a request older than its response_url (30 minutes) as expired, with a log line', async () => {
    const { ctx, answer } = answerer();
    const req = await stored('sig:old');
    ctx.clock.set(new Date(req.receivedAt.getTime() + 31 * 60_000));
    expect(await answer(req)).toBe('expired');
    const { rows } = await db.pool.query(`SELECT state FROM slack_requests`);
    expect(rows).toEqual([{ state: 'expired' }]);
    // Nothing runs, but the sender hears of it (test/db/slack-give-up.test.ts).
    const notices = await db.pool.query(`SELECT kind, idempotency_key FROM outbox`);
    expect(notices.rows).toEqual([{ kind: 'slack.dm', idempotency_key: 'gave-up:sig:old' }]);
    expect(ctx.logs.lines.some((l) => /recorded as expired/.test(String(l.msg)))).toBe(true);
  });

  it('presses a button from a stored block_actions interaction and answers through its response_url', async () => {
    const ctx = testContext(db.pool);
    ctx.clock.set(new Date());
    const pressed: string[] = [];
    const dispatcher = new Dispatcher(ctx, {
      commands: [],
      actions: [
        {
          actionId: 'b1',
          run: async (a) => (pressed.push(`${a.value}@${a.key}`), { reply: textReply('pressed') }),
        },
      ],
    });
    const answer = createAnswerer({ ctx, dispatcher });
    const req = await insertRequest(db.pool, {
      key: 'sig:btn',
      kind: 'interaction',
      payload: {
        type: 'block_actions',
        user: { id: 'U0AAA' },
        actions: [{ action_id: 'b1', value: 'v' }],
        response_url: 'https://hooks.slack.com/actions/1',
      },
      leaseMs: 60_000,
    });
    expect(await answer(req!)).toBe('answered');
    expect(pressed).toEqual(['v@sig:btn']);
    const { rows } = await db.pool.query(`SELECT idempotency_key FROM outbox`);
    expect(rows).toEqual([{ idempotency_key: 'reply:sig:btn' }]);
  });
});

describe('recovering requests nobody answered', () => {
  it('answers stale requests at start and gives up on one that keeps failing', async () => {
    const ctx = testContext(db.pool);
    ctx.clock.set(new Date());
    const answer = createAnswerer({ ctx, dispatcher: new Dispatcher(ctx, { commands: [echo] }) });
    await stored('sig:orphan', commandPayload('orphan'), 0);
    const poison = await stored('sig:poison', commandPayload('poison'), 0);
    await db.pool.query(`UPDATE slack_requests SET attempts = 5 WHERE id = $1`, [poison.id]);
    const work: Promise<unknown>[] = [];
    const recovery = startRecovery({
      pool: db.pool,
      log: ctx.log,
      answer,
      track: (w) => work.push(w),
      intervalMs: 60_000,
      maxAttempts: 5,
    });
    try {
      await recovery.sweep();
      await Promise.all(work);
    } finally {
      recovery.stop();
    }
    const { rows } = await db.pool.query(`SELECT key, state FROM slack_requests ORDER BY key`);
    expect(rows).toEqual([
      { key: 'sig:orphan', state: 'answered' },
      { key: 'sig:poison', state: 'failed' },
    ]);
    expect(runs).toContain('orphan@sig:orphan');
  });
});

// Issue 6, fault 4: a problem that affects every row (a bad token, a long Slack outage) pauses the
// queue instead of killing it; a row goes dead by its age or by a permanent error of its own.
import { outboxSuite } from '../helpers/outbox.ts';

import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';
import { createHealth } from '../../src/core/health.ts';

import { createRoutes } from '../../src/http/routes.ts';

import { createRouter } from '../../src/http/router.ts';

import { testContext } from '../helpers/context.ts';

import { enqueue } from '../helpers/outbox.ts';

import { counterValue, row, TestClock, type SlackWorkerOptions } from '../helpers/outbox.ts';

const suite = outboxSuite();

const start = (opts: SlackWorkerOptions = {}) => suite.start(opts);

async function states(): Promise<Record<string, number>> {
  const { rows } = await suite.db.pool.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM outbox GROUP BY state`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

describe('a revoked token', () => {
  it('pauses the queue (none of 50 rows dies), reports it, and resumes once auth.test works again', async () => {
    for (let i = 0; i < 50; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: `C${i % 10}`, text: `row ${i}` },
        orderingKey: `k${i}`,
      });
    suite.slack.revokeToken('token_revoked');
    const health = createHealth();
    const { worker, logs, metrics } = await start({ health, probeMs: 50 });
    await worker.drain();
    expect(await states()).toEqual({ pending: 50 });
    // Only the rows in flight when the token failed reached Slack; the others were never tried.
    expect(suite.slack.callsTo('chat.postMessage').length).toBeLessThanOrEqual(4);
    expect(health.conditions()).toEqual([
      expect.objectContaining({
        name: 'outbox',
        status: 'degraded',
        detail: expect.stringMatching(/token_revoked/),
      }),
    ]);
    expect(await counterValue(metrics, 'outboxPaused', { reason: 'auth' })).toBe(1);
    const errors = logs.lines.filter((l) => l.level === 'error' && /paused/.test(String(l.msg)));
    expect(errors).toHaveLength(1);

    suite.slack.restoreToken();
    await suite.slack.waitFor((c) =>
      c.some((x) => x.method === 'auth.test' && x.status === 200 && !x.abandoned),
    );
    await worker.drain();
    for (let i = 0; i < 100 && (await states()).delivered !== 50; i++) await worker.drain();
    expect(await states()).toEqual({ delivered: 50 });
    expect(health.conditions()).toEqual([]);
    expect(await counterValue(metrics, 'outboxPaused', { reason: 'auth' })).toBe(0);
  });
});

describe('/readyz', () => {
  it('reports a paused outbox as degraded and stays ready; a condition that is down makes it 503', async () => {
    const health = createHealth();
    const ctx = testContext(suite.db.pool);
    const router = createRouter(ctx.log);
    createRoutes(ctx, router, health);
    const server = http.createServer((req, res) => void router.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    try {
      expect(await (await fetch(url)).json()).toEqual({ ok: true });
      health.set('outbox', 'degraded', 'outbox paused: slack chat.postMessage: invalid_auth');
      const degraded = await fetch(url);
      expect(degraded.status).toBe(200);
      expect(await degraded.json()).toMatchObject({
        ok: true,
        status: 'degraded',
        conditions: [{ name: 'outbox', status: 'degraded', detail: expect.stringMatching(/invalid_auth/) }],
      });
      health.set('socket', 'down', 'not connected to Slack');
      expect((await fetch(url)).status).toBe(503);
    } finally {
      server.close();
    }
  });
});

describe('a long Slack outage', () => {
  it('keeps a row through 12 failed attempts (no attempt limit) and delivers it when Slack is back', async () => {
    const clock = new TestClock();
    suite.slack.failNext('chat.postMessage', { status: 500 }, 12);
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'outage' },
      orderingKey: 'k',
    }))!;
    const { worker } = await start({ now: clock.now, retryBaseMs: 5_000 });
    for (let i = 0; i < 13; i++) {
      await worker.drain();
      clock.advance(16 * 60_000);
    }
    await worker.drain();
    expect(suite.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([
      ...Array(12).fill(500),
      200,
    ]);
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
  });

  it('parks a row as dead once it is older than the age limit, with its last error', async () => {
    const clock = new TestClock();
    suite.slack.failNext('chat.postMessage', { status: 500 }, 100);
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'old' },
      orderingKey: 'k',
    }))!;
    const { worker } = await start({ now: clock.now, retryBaseMs: 60_000, maxAgeMs: 3_600_000 });
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'pending' });
    clock.advance(3_600_000 + 60_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'dead' });
    expect((await row(suite.db, id)).last_error).toMatch(/HTTP 500.*older than 1 h/);
  });
});

// What is the token's and what is one row's: Slack's errors about one conversation (no_permission:
// the app is not a member; team_access_not_granted: an org-wide app not granted the workspace that
// holds that channel; ekm_access_denied: posting suspended by the admins' key management) do not
// pause the queue, they fail that row with the cause.
describe('a refusal that concerns one row', () => {
  for (const code of ['no_permission', 'team_access_not_granted', 'ekm_access_denied'])
    it(`${code} on one channel kills that row with the cause; the queue keeps going`, async () => {
      suite.slack.handle('chat.postMessage', (b) =>
        b.channel === 'C0LOCKED'
          ? { ok: false, error: code }
          : {
              channel: b.channel,
              ts: `${1_700_000_000 + suite.slack.callsTo('chat.postMessage').length}.000100`,
            },
      );
      const locked = (await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: 'C0LOCKED', text: 'locked', ref: 'locked:1' },
        orderingKey: 'locked',
      }))!;
      const update = (await enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: 'locked:1', text: 'edited' },
        orderingKey: 'locked',
      }))!;
      const others: string[] = [];
      for (let i = 0; i < 5; i++)
        others.push(
          (await enqueue(suite.db.pool, {
            kind: 'slack.post',
            payload: { channel: `C0OPEN${i}`, text: `open ${i}` },
            orderingKey: `open:${i}`,
          }))!,
        );
      const health = createHealth();
      const { worker, metrics } = await start({ health, probeMs: 60_000 });
      await worker.drain();
      expect(await row(suite.db, locked)).toMatchObject({
        state: 'dead',
        last_error: expect.stringContaining(code),
      });
      expect((await row(suite.db, update)).last_error).toMatch(/DependencyFailed.*locked:1/);
      for (const id of others) expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
      expect(health.conditions()).toEqual([]);
      expect(await counterValue(metrics, 'outboxPaused', { reason: 'auth' })).toBe(0);
    });
});

describe('a "token" error that auth.test contradicts', () => {
  it('is that row own failure: the row goes dead instead of holding the queue forever', async () => {
    // Slack answers invalid_auth for this one row only (whatever the reason), while auth.test works.
    suite.slack.handle('chat.postMessage', (b) =>
      b.channel === 'C0ODD'
        ? { ok: false, error: 'invalid_auth' }
        : {
            channel: b.channel,
            ts: `${1_700_000_000 + suite.slack.callsTo('chat.postMessage').length}.000100`,
          },
    );
    const odd = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ODD', text: 'odd' },
      orderingKey: 'odd',
    }))!;
    const next = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ODD2', text: 'behind it' },
      orderingKey: 'odd',
    }))!;
    const health = createHealth();
    const { worker } = await start({ health, probeMs: 20 });
    for (let i = 0; i < 50 && (await row(suite.db, next)).state !== 'delivered'; i++) {
      await worker.drain();
      await suite.slack.waitFor((c) => c.some((x) => x.method === 'auth.test'), 5_000).catch(() => []);
    }
    expect(await row(suite.db, odd)).toMatchObject({
      state: 'dead',
      last_error: expect.stringMatching(/invalid_auth.*auth\.test/),
    });
    expect(await row(suite.db, next)).toMatchObject({ state: 'delivered' });
    expect(health.conditions()).toEqual([]);
  });

  it('while auth.test fails too, rows are kept however old they get', async () => {
    const clock = new TestClock();
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'kept' },
      orderingKey: 'k',
    }))!;
    suite.slack.revokeToken('invalid_auth');
    const { worker } = await start({ now: clock.now, maxAgeMs: 3_600_000, probeMs: 20 });
    await worker.drain();
    clock.advance(48 * 3_600_000);
    await suite.slack.waitFor((c) => c.filter((x) => x.method === 'auth.test').length >= 3);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'pending' });
    suite.slack.restoreToken();
    await suite.slack.waitFor((c) =>
      c.some((x) => x.method === 'auth.test' && x.status === 200 && !x.abandoned),
    );
    for (let i = 0; i < 50 && (await row(suite.db, id)).state !== 'delivered'; i++) await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
  });
});

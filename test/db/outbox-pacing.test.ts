// Issue 6, faults 13 and 14: waiting for a channel's turn frees the worker slot (the row is
// rescheduled), and Slack's Retry-After pauses are shared by every replica through the database,
// scoped as Slack scopes its limits (per method; chat.postMessage per channel); chat.update is paced
// for the whole workspace below Slack's Tier 3.
import { outboxSuite } from '../helpers/outbox.ts';

import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../src/integrations/slack/channel-limiter.ts';

import { enqueue } from '../helpers/outbox.ts';

import {
  SUMMARY_UPDATE_BURST,
  SUMMARY_UPDATES_PER_MINUTE,
  UPDATE_BURST,
  UPDATES_PER_MINUTE,
} from '../../src/outbox/slack-deliverer.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';

import { row, TestClock, type SlackWorkerOptions } from '../helpers/outbox.ts';

const suite = outboxSuite();

async function start(opts: SlackWorkerOptions = {}): Promise<OutboxWorker> {
  return (await suite.start(opts)).worker;
}

const post = (channel: string, text: string, orderingKey = text) =>
  enqueue(suite.db.pool, { kind: 'slack.post', payload: { channel, text }, orderingKey });

const posted = (channel: string) =>
  suite.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && c.status === 200);

describe('per-channel pacing (fault 13)', () => {
  it('reschedules rows waiting for a busy channel, so another channel is not held up', async () => {
    const clock = new TestClock();
    for (let i = 0; i < 40; i++) await post('C0BUSY', `busy ${i}`);
    await post('C0QUIET', 'quiet');
    const worker = await start({
      now: clock.now,
      limiter: new ChannelLimiter({ now: clock.ms }),
      concurrency: 4,
    });
    await worker.drain(10_000);
    expect(posted('C0QUIET')).toHaveLength(1);
    expect(posted('C0BUSY')).toHaveLength(1);
    // One post a second for the busy channel, in the order the rows were written.
    for (let s = 1; s < 40; s++) {
      clock.advance(1_000);
      await worker.drain(10_000);
      expect(posted('C0BUSY')).toHaveLength(s + 1);
    }
    expect(posted('C0BUSY').map((c) => c.body.text)).toEqual(
      Array.from({ length: 40 }, (_, i) => `busy ${i}`),
    );
  });
});

describe("Slack's pace shared by every replica (through the database)", () => {
  /** Both replicas take up what is due, one after the other (each claims what the other left). */
  const drainBoth = async (a: OutboxWorker, b: OutboxWorker) => {
    await a.drain(10_000);
    await b.drain(10_000);
    await a.drain(10_000);
  };

  it('two replicas post to one channel at one a second between them, every row once', async () => {
    const clock = new TestClock();
    const a = await start({ now: clock.now, sharedPace: true, concurrency: 4 });
    const b = await start({ now: clock.now, sharedPace: true, concurrency: 4 });
    // Replica a takes the first rows: one goes, the rest wait for their slots.
    for (let i = 0; i < 6; i++) await post('C0BUSY', `busy ${i}`);
    await a.drain(10_000);
    // Replica b, with its own memory, takes the next: they queue behind a's slots, none goes now.
    for (let i = 6; i < 12; i++) await post('C0BUSY', `busy ${i}`);
    await post('C0QUIET', 'quiet');
    await b.drain(10_000);
    expect(posted('C0QUIET')).toHaveLength(1);
    expect(posted('C0BUSY')).toHaveLength(1);
    for (let s = 1; s < 12; s++) {
      clock.advance(1_000);
      await drainBoth(a, b);
      expect(posted('C0BUSY')).toHaveLength(s + 1);
    }
    expect(
      posted('C0BUSY')
        .map((c) => c.body.text)
        .sort(),
    ).toEqual(Array.from({ length: 12 }, (_, i) => `busy ${i}`).sort());
  });

  it("two replicas share the workspace's chat.update budget: one burst between them, then one a slot", async () => {
    const clock = new TestClock();
    for (let i = 0; i < 8; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: `C0CH${i}`, text: `group ${i}`, ref: `shared-group:${i}` },
        orderingKey: `shared-group:${i}`,
      });
    const a = await start({ now: clock.now, sharedPace: true, concurrency: 4 });
    const b = await start({ now: clock.now, sharedPace: true, concurrency: 4 });
    await drainBoth(a, b);
    const update = (i: number) =>
      enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: `shared-group:${i}`, text: `group ${i} acknowledged` },
        orderingKey: `shared-group:${i}`,
      });
    for (let i = 0; i < 4; i++) await update(i);
    await a.drain(10_000);
    for (let i = 4; i < 8; i++) await update(i);
    await b.drain(10_000);
    const updated = () => suite.slack.callsTo('chat.update').filter((c) => c.status === 200);
    expect(updated()).toHaveLength(UPDATE_BURST);
    const slotMs = Math.ceil(60_000 / UPDATES_PER_MINUTE);
    for (let n = UPDATE_BURST + 1; n <= 8; n++) {
      clock.advance(slotMs);
      await drainBoth(a, b);
      expect(updated()).toHaveLength(n);
    }
  });
});

describe('rate-limit pauses (fault 14)', () => {
  it('a 429 on chat.postMessage pauses that channel for every replica until Retry-After has passed', async () => {
    const clock = new TestClock();
    suite.slack.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const first = (await post('C0ALERTS', 'first'))!;
    const a = await start({ now: clock.now });
    await a.drain();
    expect(await row(suite.db, first)).toMatchObject({ state: 'pending', attempts: 0 });
    // Another replica: its own process memory, the same database.
    const b = await start({ now: clock.now });
    const second = (await post('C0ALERTS', 'second'))!;
    await post('C0OTHER', 'elsewhere');
    await b.drain();
    await a.drain();
    expect(suite.slack.callsTo('chat.postMessage').map((c) => `${c.body.text}:${c.status}`)).toEqual([
      'first:429',
      'elsewhere:200',
    ]);
    expect(await row(suite.db, second)).toMatchObject({ state: 'pending' });
    clock.advance(31_000);
    await b.drain();
    await a.drain();
    expect(
      posted('C0ALERTS')
        .map((c) => c.body.text)
        .sort(),
    ).toEqual(['first', 'second']);
  });

  it('a 429 on conversations.history does not pause chat.postMessage', async () => {
    const clock = new TestClock();
    suite.slack.failNext('chat.postMessage', { delayMs: 1_500 });
    await post('C0ALERTS', 'unknown outcome');
    const worker = await start({ now: clock.now, clientTimeoutMs: 300, retryBaseMs: 60_000 });
    await worker.drain();
    suite.slack.failNext('conversations.history', { status: 429, retryAfter: 600 });
    clock.advance(120_000);
    await worker.drain();
    expect(suite.slack.callsTo('conversations.history').map((c) => c.status)).toEqual([429]);
    const other = (await post('C0ALERTS', 'another row'))!;
    await worker.drain();
    expect(await row(suite.db, other)).toMatchObject({ state: 'delivered' });
    expect(posted('C0ALERTS').map((c) => c.body.text)).toContain('another row');
  });
});

describe('workspace pacing of chat.update (Slack Tier 3)', () => {
  it('sends a burst of updates, reschedules the rest to their slots, and holds no post up', async () => {
    const clock = new TestClock();
    // Eight messages over two channels, each to be updated once.
    for (let i = 0; i < 8; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: i % 2 ? 'C0ONE' : 'C0TWO', text: `group ${i}`, ref: `alert-group:${i}` },
        orderingKey: `alert-group:${i}`,
      });
    const worker = await start({
      now: clock.now,
      updateLimiter: new ChannelLimiter({
        perSecond: UPDATES_PER_MINUTE / 60,
        burst: UPDATE_BURST,
        now: clock.ms,
      }),
      concurrency: 4,
    });
    await worker.drain(10_000);
    for (let i = 0; i < 8; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: `alert-group:${i}`, text: `group ${i} acknowledged` },
        orderingKey: `alert-group:${i}`,
      });
    await worker.drain(10_000);
    const updated = () => suite.slack.callsTo('chat.update').filter((c) => c.status === 200);
    expect(updated()).toHaveLength(UPDATE_BURST);
    // Waiting for a slot is not waiting for a channel: a post goes at once.
    await post('C0ONE', 'meanwhile');
    await worker.drain(10_000);
    expect(posted('C0ONE').map((c) => c.body.text)).toContain('meanwhile');
    expect(updated()).toHaveLength(UPDATE_BURST);
    // Then one update per 60 / UPDATES_PER_MINUTE seconds, never more.
    const slotMs = Math.ceil(60_000 / UPDATES_PER_MINUTE);
    for (let n = UPDATE_BURST + 1; n <= 8; n++) {
      clock.advance(slotMs);
      await worker.drain(10_000);
      expect(updated()).toHaveLength(n);
    }
    expect(suite.slack.messages.filter((m) => m.text?.endsWith('acknowledged'))).toHaveLength(8);
  });

  it("paces a summary's update in its own share: it does not wait behind the groups' updates", async () => {
    const clock = new TestClock();
    for (let i = 0; i < 8; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: 'C0ONE', text: `group ${i}`, ref: `lane-group:${i}` },
        orderingKey: `lane-group:${i}`,
      });
    await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0TWO', text: 'storm', ref: 'lane-storm:1' },
      orderingKey: 'lane-storm:1',
    });
    const paced = (perMinute: number, burst: number) =>
      new ChannelLimiter({ perSecond: perMinute / 60, burst, now: clock.ms });
    const worker = await start({
      now: clock.now,
      updateLimiter: paced(UPDATES_PER_MINUTE, UPDATE_BURST),
      summaryUpdateLimiter: paced(SUMMARY_UPDATES_PER_MINUTE, SUMMARY_UPDATE_BURST),
      concurrency: 4,
    });
    await worker.drain(10_000);
    for (let i = 0; i < 8; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: `lane-group:${i}`, text: `group ${i} escalated` },
        orderingKey: `lane-group:${i}`,
      });
    await worker.drain(10_000);
    const updated = (suffix: string) =>
      suite.slack.messages.filter((m) => m.text?.endsWith(suffix)).map((m) => m.text);
    expect(updated('escalated')).toHaveLength(UPDATE_BURST);
    // The groups' share is spent; the summary's update still goes at once.
    await enqueue(suite.db.pool, {
      kind: 'slack.update',
      payload: { ref: 'lane-storm:1', text: 'storm: 8 groups folded', lane: 'summary' },
      orderingKey: 'lane-storm:1',
    });
    await worker.drain(10_000);
    expect(updated('folded')).toEqual(['storm: 8 groups folded']);
    expect(updated('escalated')).toHaveLength(UPDATE_BURST);
  });

  it('skips an update that a later update of the same message, still waiting, will overwrite', async () => {
    await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ONE', text: 'v0', ref: 'newer-group:1' },
      orderingKey: 'newer-group:1',
    });
    const worker = await start({});
    await worker.drain(10_000);
    const before = suite.slack.callsTo('chat.update').length;
    await worker.stop();
    for (const v of ['v1', 'v2', 'v3'])
      await enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: 'newer-group:1', text: `newer ${v}` },
        orderingKey: 'newer-group:1',
      });
    const again = await start({});
    await again.drain(10_000);
    const calls = suite.slack.callsTo('chat.update').slice(before);
    expect(calls.map((c) => c.body.text)).toEqual(['newer v3']);
    const { rows } = await suite.db.pool.query<{ superseded: boolean | null }>(
      `SELECT (result->>'superseded')::boolean AS superseded FROM outbox
       WHERE kind = 'slack.update' AND payload->>'ref' = 'newer-group:1' ORDER BY id`,
    );
    expect(rows.map((r) => r.superseded)).toEqual([true, true, null]);
  });
});

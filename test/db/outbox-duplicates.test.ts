// Issue 6, faults 1 and 2: a write whose outcome is unknown (Slack acted, the answer never came) is
// not repeated where people would see it twice, and no delivery outlives its lease.
import { outboxSuite } from '../helpers/outbox.ts';

import { describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';

import type { OutboxWorker } from '../../src/outbox/worker.ts';

import { postsPerRow, row, TestClock, until, waitFor, type SlackWorkerOptions } from '../helpers/outbox.ts';

const suite = outboxSuite();

async function start(opts: SlackWorkerOptions = {}): Promise<OutboxWorker> {
  return (await suite.start(opts)).worker;
}

/** The first attempt reaches Slack, which posts, but its answer comes after the client gave up. */
function loseTheAnswerOfTheNextPost(): void {
  suite.slack.failNext('chat.postMessage', { delayMs: 1_500 });
}

describe('a post whose outcome was unknown (fault 1)', () => {
  it('waits for a request Slack finishes after the client gave up before looking, and posts once', async () => {
    const clock = new TestClock();
    let land!: () => void;
    suite.slack.failNext('chat.postMessage', { actWhen: new Promise<void>((r) => (land = r)) });
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0LATE', text: 'payout failed', ref: 'alert-group:7' },
      orderingKey: 'alert-group:7',
    }))!;
    // retryBaseMs as small as it goes: only the settle delay may keep the retry back.
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 1 });
    await worker.drain();
    expect(suite.slack.messages).toHaveLength(0);
    const { rows } = await suite.db.pool.query<{ next_attempt_at: Date }>(
      `SELECT next_attempt_at FROM outbox WHERE id = $1`,
      [id],
    );
    // Not before the lease (60 s) has passed since the attempt whose outcome is unknown.
    expect(rows[0]!.next_attempt_at.getTime()).toBeGreaterThanOrEqual(clock.ms() + 60_000 - 1);
    clock.advance(30_000);
    await worker.drain();
    expect(suite.slack.callsTo('conversations.history')).toHaveLength(0);
    // Slack carries out the request the client gave up on, then the retry looks and finds it.
    land();
    await waitFor(() => suite.slack.messages.length === 1, 'the late post');
    clock.advance(31_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({
      state: 'delivered',
      result: { ts: suite.slack.messages[0]!.ts },
    });
    expect(suite.slack.messages.filter((m) => m.text === 'payout failed')).toHaveLength(1);
  });

  it('finds its earlier post behind 250 newer messages by following the cursor, and does not post again', async () => {
    const clock = new TestClock();
    loseTheAnswerOfTheNextPost();
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0BUSY', text: 'disk full', ref: 'alert-group:1' },
      orderingKey: 'alert-group:1',
    }))!;
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    expect(suite.slack.messages.map((m) => m.text)).toEqual(['disk full']);
    // The channel is busy: 250 messages arrive before the retry looks.
    suite.slack.seed(Array.from({ length: 250 }, (_, i) => ({ channel: 'C0BUSY', text: `chatter ${i}` })));
    clock.advance(120_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({
      state: 'delivered',
      result: { ts: suite.slack.messages[0]!.ts },
    });
    expect(suite.slack.messages.filter((m) => m.text === 'disk full')).toHaveLength(1);
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(suite.slack.callsTo('conversations.history').length).toBeGreaterThan(1);
  });

  it('finds its earlier reply in a thread of 250 replies', async () => {
    const clock = new TestClock();
    await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0INVEST', text: 'INV-1', ref: 'investigation:1' },
      orderingKey: 'inv:1',
    });
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    const parent = suite.slack.messages[0]!;
    // A busy thread: 250 replies already there when our reply goes out.
    suite.slack.seed(
      Array.from({ length: 250 }, (_, i) => ({
        channel: 'C0INVEST',
        text: `reply ${i}`,
        thread_ts: parent.ts,
      })),
    );
    loseTheAnswerOfTheNextPost();
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0INVEST', text: 'assigned to you', threadRef: 'investigation:1' },
      orderingKey: 'inv:1',
    }))!;
    await worker.drain();
    clock.advance(120_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.messages.filter((m) => m.text === 'assigned to you')).toHaveLength(1);
  });

  it('never posts blind when the look-up fails: it looks again later', async () => {
    const clock = new TestClock();
    loseTheAnswerOfTheNextPost();
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'once only' },
      orderingKey: 'k',
    }))!;
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    suite.slack.failNext('conversations.history', { status: 500 });
    suite.slack.failNext('conversations.history', { error: 'internal_error' });
    for (let i = 0; i < 3; i++) {
      clock.advance(20 * 60_000);
      await worker.drain();
    }
    expect(suite.slack.callsTo('conversations.history').map((c) => c.status)).toEqual([500, 200, 200]);
    expect(suite.slack.messages.filter((m) => m.text === 'once only')).toHaveLength(1);
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
  });

  it('joins a public channel it posted to without being a member before reading its history', async () => {
    const clock = new TestClock();
    suite.slack.notMemberOf('C0PUBLIC');
    loseTheAnswerOfTheNextPost();
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0PUBLIC', text: 'announcement' },
      orderingKey: 'k',
    }))!;
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    clock.advance(120_000);
    await worker.drain();
    expect(suite.slack.callsTo('conversations.join').map((c) => c.body.channel)).toEqual(['C0PUBLIC']);
    expect(suite.slack.messages.filter((m) => m.text === 'announcement')).toHaveLength(1);
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
  });

  it('shares an uploaded file once when the answer to completing the upload was lost', async () => {
    const clock = new TestClock();
    suite.slack.failNext('files.completeUploadExternal', { delayMs: 1_500 });
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.file',
      payload: { channel: 'C0FINANCE', filename: 'journal.csv', title: '売掛金', content: 'a,b\n' },
      orderingKey: 'file:1',
    }))!;
    const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    clock.advance(120_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(suite.slack.callsTo('upload')).toHaveLength(1);
  });
});

/** Slack's "seconds.micros" for `msAgo` before now. */
function tsAgo(msAgo: number, i: number): string {
  const micros = (Date.now() - msAgo) * 1000 + i;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

// The look-up reads from the row's first attempt (minus a margin), not the channel's whole past: a
// busy channel's older history is never paged through (and, with `oldest`, a page of old chatter
// cannot be where the look-up stops).
describe('the look-up is bounded by the first attempt', () => {
  it('reads one page of a channel holding 1,000 older messages when the earlier attempt had not posted', async () => {
    const clock = new TestClock();
    suite.slack.seed(
      Array.from({ length: 1_000 }, (_, i) => ({
        channel: 'C0OLD',
        text: `old ${i}`,
        ts: tsAgo(3_600_000, i),
      })),
    );
    suite.slack.failNext('chat.postMessage', { status: 500 });
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0OLD', text: 'new' },
      orderingKey: 'k',
    }))!;
    const worker = await start({ now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    clock.advance(120_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.callsTo('conversations.history')).toHaveLength(1);
    expect(suite.slack.messages.filter((m) => m.text === 'new')).toHaveLength(1);
  });

  it('reads one page of a thread holding 1,000 older replies', async () => {
    const clock = new TestClock();
    const [parent] = suite.slack.seed([{ channel: 'C0OLD', text: 'parent', ts: tsAgo(7_200_000, 0) }]);
    await suite.db.pool.query(`INSERT INTO slack_messages (ref, channel, ts) VALUES ('old:1', 'C0OLD', $1)`, [
      parent!.ts,
    ]);
    suite.slack.seed(
      Array.from({ length: 1_000 }, (_, i) => ({
        channel: 'C0OLD',
        text: `old reply ${i}`,
        thread_ts: parent!.ts,
        ts: tsAgo(3_600_000, i),
      })),
    );
    suite.slack.failNext('chat.postMessage', { status: 500 });
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0OLD', text: 'new reply', threadRef: 'old:1' },
      orderingKey: 'k',
    }))!;
    const worker = await start({ now: clock.now, retryBaseMs: 60_000 });
    await worker.drain();
    clock.advance(120_000);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.callsTo('conversations.replies')).toHaveLength(1);
  });
});

// A look-up that Slack refuses for good (no scope to read, no such channel, a refused join, still
// not a member after joining) cannot be answered by waiting: the row goes dead at once with the
// cause, the rows that need its message fail with it, and its ordering key is free again.
describe('a look-up refused for good', () => {
  const cases: { name: string; code: RegExp; arrange: () => void }[] = [
    {
      name: 'missing_scope on conversations.history',
      code: /missing_scope/,
      arrange: () => suite.slack.failNext('conversations.history', { error: 'missing_scope' }),
    },
    {
      name: 'channel_not_found on conversations.history',
      code: /channel_not_found/,
      arrange: () => suite.slack.failNext('conversations.history', { error: 'channel_not_found' }),
    },
    {
      name: 'a refused conversations.join',
      code: /conversations\.join: method_not_supported_for_channel_type/,
      arrange: () => {
        suite.slack.notMemberOf('C0GONE');
        suite.slack.failNext('conversations.join', { error: 'method_not_supported_for_channel_type' });
      },
    },
    {
      name: 'not_in_channel after a join',
      code: /not_in_channel/,
      arrange: () => {
        suite.slack.notMemberOf('C0GONE');
        // Slack says the join worked, yet the history still refuses.
        suite.slack.handle('conversations.join', (b) => ({ channel: { id: b.channel } }));
      },
    },
  ];
  for (const c of cases)
    it(`${c.name}: the row and its dependants go dead at once, the key moves on`, async () => {
      const clock = new TestClock();
      loseTheAnswerOfTheNextPost();
      const id = (await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: 'C0GONE', text: 'first', ref: 'gone:1' },
        orderingKey: 'gone',
      }))!;
      const update = (await enqueue(suite.db.pool, {
        kind: 'slack.update',
        payload: { ref: 'gone:1', text: 'edited' },
        orderingKey: 'gone',
      }))!;
      const next = (await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: 'C0OTHER', text: 'next in line' },
        orderingKey: 'gone',
      }))!;
      const worker = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
      await worker.drain();
      c.arrange();
      // The retry looks once; the clock then stays put: nothing is left to wait for.
      clock.advance(120_000);
      await worker.drain();
      expect(await row(suite.db, id)).toMatchObject({
        state: 'dead',
        last_error: expect.stringMatching(c.code),
      });
      expect(await row(suite.db, update)).toMatchObject({
        state: 'dead',
        last_error: expect.stringMatching(/DependencyFailed: message gone:1/),
      });
      expect(await row(suite.db, next)).toMatchObject({ state: 'delivered' });
      expect(suite.slack.messages.filter((m) => m.text === 'first')).toHaveLength(1);
    });
});

describe('the delivery deadline (fault 2)', () => {
  it('abandons a response_url call at its deadline, inside the lease, so no replica sends it while another still waits', async () => {
    // Slack answers the first try only after 3 s; the lease is 1.5 s.
    suite.slack.failNext('respond/late', { delayMs: 3_000 });
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.respond',
      payload: { responseUrl: suite.slack.responseUrl('late'), responseType: 'ephemeral', text: 'answer' },
      orderingKey: 'respond:late',
    }))!;
    await start({ clientTimeoutMs: 200, leaseMs: 1_500 });
    await start({ clientTimeoutMs: 200, leaseMs: 1_500 });
    await until(suite.db, id, 'delivered');
    const calls = suite.slack.callsTo('respond/late');
    // At least once: one repeat, and only after the first try had been given up.
    expect(calls).toHaveLength(2);
    expect(calls[0]!.abandoned).toBe(true);
    expect(calls[0]!.endSeq).toBeLessThan(calls[1]!.seq);
  });

  it('will not start with a lease shorter than its longest delivery', async () => {
    await expect(start({ clientTimeoutMs: 1_000, leaseMs: 2_000, leaseMarginMs: 1_000 })).rejects.toThrow(
      /lease .*shorter than the longest delivery/,
    );
  });
});

describe('each row appears once', () => {
  it('keeps posts exactly once across two replicas and lost answers', async () => {
    for (let i = 0; i < 3; i++) loseTheAnswerOfTheNextPost();
    const clock = new TestClock();
    for (let i = 0; i < 30; i++)
      await enqueue(suite.db.pool, {
        kind: 'slack.post',
        payload: { channel: `C${i % 5}`, text: `row ${i}` },
        orderingKey: `k${i % 5}`,
      });
    const a = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    const b = await start({ clientTimeoutMs: 300, now: clock.now, retryBaseMs: 60_000 });
    await Promise.all([a.drain(), b.drain()]);
    // On a loaded machine more answers than the three lost ones can miss the 300 ms timeout, and
    // each retry backs off further: move the clock on until every row has had its retries.
    for (let round = 0; round < 10 && postsPerRow(suite.slack).size < 30; round++) {
      clock.advance(30 * 60_000);
      await Promise.all([a.drain(), b.drain()]);
    }
    const per = postsPerRow(suite.slack);
    expect(per.size).toBe(30);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });
});

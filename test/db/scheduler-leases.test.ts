// Leases, retries and catch-up: a claimed firing is leased; a firing whose instance died, or whose
// job threw, is run again until it succeeds or its lateness limit passes; a succeeded firing never
// runs again. Several replicas share one database, and one clock that the tests move.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { Job } from '../../src/jobs/scheduler.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { firingRows, instants, recordingJob, replicaFactory } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);
const replica = replicas.replica;

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(() => replicas.stopAll());
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const MIN = 60_000;
const iso = (s: string) => new Date(s).toISOString();
/** Lets other promises (the other replica's claim, the database answers) interleave. */
const yieldTurns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('leases', () => {
  it('runs a firing again, once, when the lease of an instance that stopped mid-run runs out', async () => {
    const clock = new ManualClock('2024-04-10T00:59:00Z');
    const runs: string[] = [];
    let began!: () => void;
    const aRunning = new Promise<void>((r) => (began = r));
    let unfreeze!: () => void;
    const frozen = new Promise<void>((r) => (unfreeze = r));
    const a = replica('a', clock, { leaseMarginMs: 30_000 });
    const b = replica('b', clock, { leaseMarginMs: 30_000 });
    const handoff = {
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 3_600_000,
      timeoutMs: MIN,
    } as const;
    // a's process freezes mid-run (as if kill -9ed, or stopped in a debugger): it ignores its signal.
    a.scheduler.register({
      name: 'handoff',
      ...handoff,
      async run(fireAt) {
        runs.push(`a@${fireAt.toISOString()}`);
        began();
        await frozen;
      },
    });
    b.scheduler.register(recordingJob('handoff', handoff.schedule, runs, 'b', handoff));

    clock.set('2024-04-10T01:00:00Z');
    const aTick = a.scheduler.tick();
    await aRunning;

    // The lease is the job's timeout (60 s) plus the margin (30 s): until then b leaves it alone.
    clock.set('2024-04-10T01:01:29.999Z');
    expect(await b.scheduler.tick()).toEqual([]);
    clock.set('2024-04-10T01:01:30Z');
    expect(await b.scheduler.tick()).toMatchObject([
      { job: 'handoff', fireAt: new Date('2024-04-10T01:00:00Z'), outcome: 'succeeded' },
    ]);
    clock.set('2024-04-10T01:30:00Z');
    expect(await b.scheduler.tick()).toEqual([]);
    expect(runs).toEqual(['a@2024-04-10T01:00:00.000Z', 'b@2024-04-10T01:00:00.000Z']);

    // a comes back and finishes: it may not overwrite what b recorded.
    unfreeze();
    await aTick;
    expect(await firingRows(db.pool, 'handoff')).toMatchObject([
      { fire_at: iso('2024-04-10T01:00:00Z'), state: 'succeeded', attempts: 2, claimed_by: 'b' },
    ]);
    expect(a.logs.lines.some((l) => l.level === 'warn' && /lost its lease/.test(String(l.msg)))).toBe(true);
    expect(await a.scheduler.tick()).toEqual([]);
  });

  it('aborts a run at its timeout, counts it as a failed attempt and runs it again', async () => {
    const clock = new ManualClock('2024-04-10T00:59:00Z');
    const a = replica('a', clock, { retryBaseMs: 30_000 });
    let calls = 0;
    a.scheduler.register({
      name: 'slow',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 30 * MIN,
      timeoutMs: 20,
      run: (_fireAt, signal) =>
        new Promise<void>((resolve, reject) => {
          calls++;
          if (calls > 1) return resolve();
          // Waits for its deadline: no wall-clock gap is asserted, only that the signal arrives.
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });

    clock.set('2024-04-10T01:00:00Z');
    expect(await a.scheduler.tick()).toMatchObject([
      { outcome: 'retry', error: expect.stringMatching(/timed out after 20 ms/) },
    ]);
    clock.set('2024-04-10T01:00:30Z');
    expect(await a.scheduler.tick()).toMatchObject([{ outcome: 'succeeded' }]);
    expect(await firingRows(db.pool, 'slow')).toMatchObject([{ state: 'succeeded', attempts: 2 }]);
  });

  it('stop() hands a running firing back, so another replica runs it at once', async () => {
    const clock = new ManualClock('2024-04-10T00:59:00Z');
    const runs: string[] = [];
    let began!: () => void;
    const running = new Promise<void>((r) => (began = r));
    const a = replica('a', clock);
    const b = replica('b', clock);
    const spec = { schedule: '0 * * * *', catchUp: 'latest', maxLatenessMs: 3_600_000 } as const;
    a.scheduler.register({
      name: 'long',
      ...spec,
      run: (fireAt, signal) =>
        new Promise<void>((_resolve, reject) => {
          runs.push(`a@${fireAt.toISOString()}`);
          began();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    b.scheduler.register(recordingJob('long', spec.schedule, runs, 'b', spec));

    clock.set('2024-04-10T01:00:00Z');
    const tick = a.scheduler.tick();
    await running;
    await a.scheduler.stop();
    expect(await tick).toMatchObject([{ outcome: 'released', error: 'scheduler stopping' }]);

    expect(await b.scheduler.tick()).toMatchObject([{ outcome: 'succeeded' }]);
    expect(runs).toEqual(['a@2024-04-10T01:00:00.000Z', 'b@2024-04-10T01:00:00.000Z']);
    expect(await firingRows(db.pool, 'long')).toMatchObject([{ state: 'succeeded', claimed_by: 'b' }]);
  });
});

describe('retries', () => {
  it('retries a throwing job with backoff until its lateness limit, then records it as failed', async () => {
    const clock = new ManualClock('2024-04-10T00:59:00Z');
    const a = replica('a', clock, { retryBaseMs: MIN, retryMaxMs: 60 * MIN });
    const attemptsAt: string[] = [];
    a.scheduler.register({
      name: 'flaky',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 10 * MIN,
      async run() {
        attemptsAt.push(clock.now().toISOString());
        throw new Error('Slack refused token xoxb-1234-abcd');
      },
    });

    clock.set('2024-04-10T01:00:00Z');
    while (clock.now() < new Date('2024-04-10T01:20:00Z')) {
      await a.scheduler.tick();
      clock.advance(10_000);
    }

    // Backoff 1, 2, 4 minutes; the next (8 minutes, at 01:15) would be past the 10-minute limit.
    expect(attemptsAt).toEqual([
      '2024-04-10T01:00:00.000Z',
      '2024-04-10T01:01:00.000Z',
      '2024-04-10T01:03:00.000Z',
      '2024-04-10T01:07:00.000Z',
    ]);
    expect(await firingRows(db.pool, 'flaky')).toMatchObject([
      {
        fire_at: iso('2024-04-10T01:00:00Z'),
        state: 'failed',
        attempts: 4,
        error: 'Slack refused token [redacted]',
        finished_at: new Date('2024-04-10T01:07:00Z'),
      },
    ]);
    expect(a.logs.lines.filter((l) => l.msg === 'job firing failed')).toHaveLength(4);
    expect(a.logs.lines.some((l) => l.level === 'error' && /giving up/.test(String(l.msg)))).toBe(true);
  });

  it('two replicas never run one firing twice, nor at once, while it is being retried', async () => {
    const clock = new ManualClock('2024-04-10T00:59:50Z');
    const runs: string[] = [];
    let active = 0;
    let mostAtOnce = 0;
    const job = (id: string): Job => ({
      name: 'retried',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 30 * MIN,
      async run(fireAt) {
        active++;
        mostAtOnce = Math.max(mostAtOnce, active);
        const at = fireAt.toISOString();
        runs.push(`${id}@${at}@${clock.now().toISOString()}`);
        await yieldTurns(5);
        active--;
        if (runs.filter((r) => r.includes(`@${at}@`)).length < 3) throw new Error('not yet');
      },
    });
    const a = replica('a', clock, { retryBaseMs: 30_000 });
    const b = replica('b', clock, { retryBaseMs: 30_000 });
    a.scheduler.register(job('a'));
    b.scheduler.register(job('b'));

    while (clock.now() < new Date('2024-04-10T01:10:00Z')) {
      clock.advance(10_000);
      await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    }

    // Attempts at 01:00:00, then 30 s and 60 s of backoff; nothing after the success.
    expect(runs.map((r) => r.split('@').slice(1).join('@'))).toEqual([
      '2024-04-10T01:00:00.000Z@2024-04-10T01:00:00.000Z',
      '2024-04-10T01:00:00.000Z@2024-04-10T01:00:30.000Z',
      '2024-04-10T01:00:00.000Z@2024-04-10T01:01:30.000Z',
    ]);
    expect(mostAtOnce).toBe(1);
    expect(await firingRows(db.pool, 'retried')).toMatchObject([{ state: 'succeeded', attempts: 3 }]);
  });
});

describe('catch-up after an outage', () => {
  it('"latest" runs only the latest missed firing; "each" runs every one, in order, once', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const latest: string[] = [];
    const each: string[] = [];
    const a = replica('a', clock);
    const b = replica('b', clock);
    for (const [id, r] of [
      ['a', a],
      ['b', b],
    ] as const) {
      r.scheduler.register(recordingJob('hourly-latest', '0 * * * *', latest, id, { catchUp: 'latest' }));
      r.scheduler.register(
        recordingJob('hourly-each', '0 * * * *', each, id, { catchUp: 'each', maxLatenessMs: 24 * 60 * MIN }),
      );
    }
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);

    clock.set('2024-04-10T04:10:00Z'); // down from 01:00 to 04:10
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);

    expect(instants(latest)).toEqual(['2024-04-10T01:00:00.000Z', '2024-04-10T04:00:00.000Z']);
    const inOrder = each.map((r) => r.split('@')[1]);
    expect(inOrder).toEqual([
      '2024-04-10T01:00:00.000Z',
      '2024-04-10T02:00:00.000Z',
      '2024-04-10T03:00:00.000Z',
      '2024-04-10T04:00:00.000Z',
    ]);
    expect((await firingRows(db.pool, 'hourly-each')).map((r) => r.state)).toEqual(
      Array(4).fill('succeeded'),
    );
  });

  it('"each" records the missed firings older than the lateness limit as skipped', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const runs: string[] = [];
    const a = replica('a', clock);
    a.scheduler.register(
      recordingJob('reminder', '0 * * * *', runs, 'a', { catchUp: 'each', maxLatenessMs: 90 * MIN }),
    );
    await a.scheduler.tick();
    clock.set('2024-04-10T05:10:00Z');
    const outcomes = await a.scheduler.tick();

    expect(outcomes.map((o) => `${o.fireAt.toISOString()} ${o.outcome}`)).toEqual([
      '2024-04-10T02:00:00.000Z skipped',
      '2024-04-10T03:00:00.000Z skipped',
      '2024-04-10T04:00:00.000Z succeeded',
      '2024-04-10T05:00:00.000Z succeeded',
    ]);
    expect(instants(runs)).toEqual([
      '2024-04-10T01:00:00.000Z',
      '2024-04-10T04:00:00.000Z',
      '2024-04-10T05:00:00.000Z',
    ]);
    expect((await firingRows(db.pool, 'reminder')).map((r) => r.state)).toEqual([
      'succeeded',
      'skipped',
      'skipped',
      'succeeded',
      'succeeded',
    ]);
  });

  it('"latest" gives up a firing still waiting for its retry when a newer one is due', async () => {
    const clock = new ManualClock('2024-04-10T00:59:00Z');
    const a = replica('a', clock, { retryBaseMs: 40 * MIN });
    const attempts: string[] = [];
    a.scheduler.register({
      name: 'sync-usergroup',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 3 * 60 * MIN,
      async run(fireAt) {
        attempts.push(`${fireAt.toISOString()}@${clock.now().toISOString()}`);
        if (fireAt.getUTCHours() === 1) throw new Error('usergroups.update said no');
      },
    });
    clock.set('2024-04-10T01:00:00Z');
    await a.scheduler.tick();
    clock.set('2024-04-10T01:40:00Z');
    await a.scheduler.tick(); // the retry fails again; the next would be at 03:00
    clock.set('2024-04-10T02:00:00Z');
    await a.scheduler.tick();
    clock.set('2024-04-10T03:00:00Z');
    await a.scheduler.tick();

    expect(attempts).toEqual([
      '2024-04-10T01:00:00.000Z@2024-04-10T01:00:00.000Z',
      '2024-04-10T01:00:00.000Z@2024-04-10T01:40:00.000Z',
      '2024-04-10T02:00:00.000Z@2024-04-10T02:00:00.000Z',
      '2024-04-10T03:00:00.000Z@2024-04-10T03:00:00.000Z',
    ]);
    expect(await firingRows(db.pool, 'sync-usergroup')).toMatchObject([
      {
        state: 'failed',
        attempts: 2,
        error: expect.stringMatching(/^superseded by the firing at 2024-04-10T02:00:00.000Z/),
      },
      { state: 'succeeded', attempts: 1 },
      { state: 'succeeded', attempts: 1 },
    ]);
  });
});

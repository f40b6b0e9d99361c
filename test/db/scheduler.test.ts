// The scheduler against real PostgreSQL: several instances share one database, as replicas do.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock, systemClock } from '../../src/app/clock.ts';
import { ScheduleError } from '../../src/jobs/scheduler.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { firingRows, firingsCounted, instants, recordingJob, replicaFactory } from '../helpers/scheduler.ts';

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

const firings = (job: string) => firingRows(db.pool, job);

describe('scheduler', () => {
  it('runs each scheduled minute exactly once across two instances ticking concurrently', async () => {
    const clock = new ManualClock('2024-04-10T00:59:50Z');
    const runs: string[] = [];
    const a = replica('a', clock);
    const b = replica('b', clock);
    a.scheduler.register(recordingJob('every-minute', '* * * * *', runs, 'a'));
    b.scheduler.register(recordingJob('every-minute', '* * * * *', runs, 'b'));

    for (let step = 0; step < 30; step++) {
      clock.advance(20_000);
      await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    }

    // 01:00 through 01:09: the clock moved from 00:59:50 to 01:09:50 in 20-second steps.
    const expected = Array.from({ length: 10 }, (_, i) => `2024-04-10T01:0${i}:00.000Z`);
    expect(instants(runs)).toEqual(expected);
    const rows = await firings('every-minute');
    expect(rows.map((r) => r.fire_at)).toEqual(expected);
    expect(rows.every((r) => r.state === 'succeeded' && r.attempts === 1 && r.error === null)).toBe(true);
    // Whoever claimed a row is the one that ran it.
    expect(rows.map((r) => `${r.claimed_by}@${r.fire_at}`).sort()).toEqual([...runs].sort());
    expect(
      (await firingsCounted(a.metrics, 'every-minute')) + (await firingsCounted(b.metrics, 'every-minute')),
    ).toBe(10);
  });

  it('never runs one instant twice when many ticks race at the same moment', async () => {
    const clock = new ManualClock('2024-04-10T03:00:00Z');
    const runs: string[] = [];
    const a = replica('a', clock);
    const b = replica('b', clock);
    a.scheduler.register(recordingJob('raced', '*/5 * * * *', runs, 'a'));
    b.scheduler.register(recordingJob('raced', '*/5 * * * *', runs, 'b'));

    for (let step = 0; step < 6; step++) {
      const ticks = Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).scheduler.tick());
      const outcomes = (await Promise.all(ticks)).flat();
      expect(outcomes).toHaveLength(1);
      clock.advance(5 * 60_000);
    }

    expect(instants(runs)).toEqual([
      '2024-04-10T03:00:00.000Z',
      '2024-04-10T03:05:00.000Z',
      '2024-04-10T03:10:00.000Z',
      '2024-04-10T03:15:00.000Z',
      '2024-04-10T03:20:00.000Z',
      '2024-04-10T03:25:00.000Z',
    ]);
  });

  it('after three hours down, runs only the latest missed hourly firing, once', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const runs: string[] = [];
    const a = replica('a', clock);
    const b = replica('b', clock);
    a.scheduler.register(recordingJob('hourly', '0 * * * *', runs, 'a'));
    b.scheduler.register(recordingJob('hourly', '0 * * * *', runs, 'b'));
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(instants(runs)).toEqual(['2024-04-10T01:00:00.000Z']);

    clock.set('2024-04-10T04:10:00Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);

    expect(instants(runs)).toEqual(['2024-04-10T01:00:00.000Z', '2024-04-10T04:00:00.000Z']);
    expect((await firings('hourly')).map((r) => r.fire_at)).toEqual([
      '2024-04-10T01:00:00.000Z',
      '2024-04-10T04:00:00.000Z',
    ]);
  });

  it('does not fire a new job for an instant before it was registered', async () => {
    const clock = new ManualClock('2024-04-17T03:00:00Z'); // Wednesday; the last Monday 10:00 JST is past
    const runs: string[] = [];
    const a = replica('a', clock);
    a.scheduler.register(recordingJob('weekly-new', '0 10 * * 1', runs, 'a'));

    expect(await a.scheduler.tick()).toEqual([]);
    clock.set('2024-04-22T01:00:00Z');
    expect((await a.scheduler.tick()).map((o) => o.fireAt.toISOString())).toEqual([
      '2024-04-22T01:00:00.000Z',
    ]);
    expect(runs).toHaveLength(1);
  });

  it('records a throwing firing as failed, redacted, and still runs the next one', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    let calls = 0;
    a.scheduler.register({
      name: 'flaky',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 0, // on time or not at all: no retry
      async run() {
        calls++;
        if (calls === 1) throw new Error('Slack refused token xoxb-1234-abcd');
      },
    });

    const [first] = await a.scheduler.tick();
    expect(first).toMatchObject({ job: 'flaky', outcome: 'failed', error: 'Slack refused token [redacted]' });
    expect(a.logs.lines.some((l) => l.msg === 'job firing failed' && l.job === 'flaky')).toBe(true);

    clock.advance(60 * 60_000);
    const [second] = await a.scheduler.tick();
    expect(second).toMatchObject({ job: 'flaky', outcome: 'succeeded' });

    const rows = await firings('flaky');
    expect(rows).toMatchObject([
      { fire_at: '2024-04-10T01:00:00.000Z', state: 'failed', error: 'Slack refused token [redacted]' },
      { fire_at: '2024-04-10T02:00:00.000Z', state: 'succeeded', error: null },
    ]);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await firingsCounted(a.metrics, 'flaky')).toBe(2);
  });

  it('records a job that throws a non-Error value', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    a.scheduler.register({
      name: 'throws-string',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 0,
      run: () => Promise.reject('gateway said no'),
    });
    expect(await a.scheduler.tick()).toMatchObject([{ outcome: 'failed', error: 'gateway said no' }]);
  });

  it('follows a schedule computed in code, catching up once and stopping when it ends', async () => {
    const handoffs = ['2024-04-10T00:00:00Z', '2024-04-10T09:00:00Z', '2024-04-10T18:00:00Z'].map(
      (s) => new Date(s),
    );
    const nextHandoff = (after: Date) => handoffs.find((h) => h.getTime() > after.getTime());
    const clock = new ManualClock('2024-04-09T23:00:00Z');
    const runs: string[] = [];
    const a = replica('a', clock);
    const b = replica('b', clock);
    a.scheduler.register(recordingJob('handoff', nextHandoff, runs, 'a'));
    b.scheduler.register(recordingJob('handoff', nextHandoff, runs, 'b'));

    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(runs).toEqual([]);

    clock.set('2024-04-10T00:00:30Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(instants(runs)).toEqual(['2024-04-10T00:00:00.000Z']);

    // Down through the 09:00 handoff: only 18:00 runs.
    clock.set('2024-04-10T19:00:00Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    clock.set('2024-04-12T00:00:00Z');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(instants(runs)).toEqual(['2024-04-10T00:00:00.000Z', '2024-04-10T18:00:00.000Z']);
  });

  it('logs and skips a function schedule that does not move forward, without failing the tick', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    const runs: string[] = [];
    a.scheduler.register(recordingJob('stuck', (after) => after, runs, 'a'));
    a.scheduler.register(recordingJob('fine', '0 * * * *', runs, 'a'));

    const outcomes = await a.scheduler.tick();
    expect(outcomes.map((o) => o.job)).toEqual(['fine']);
    expect(a.logs.lines.some((l) => l.job === 'stuck' && l.level === 'error')).toBe(true);
  });

  it('reads cron in the business time zone: "0 10 * * 1" in Asia/Tokyo fires at 01:00Z on Monday', async () => {
    const clock = new ManualClock('2024-04-14T12:00:00Z'); // Sunday 21:00 in Tokyo
    const runs: string[] = [];
    const tokyo = replica('tokyo', clock);
    const utc = replica('utc', clock, { timezone: 'UTC' });
    tokyo.scheduler.register(recordingJob('monday-tokyo', '0 10 * * 1', runs, 'tokyo'));
    utc.scheduler.register(recordingJob('monday-utc', '0 10 * * 1', runs, 'utc'));

    clock.set('2024-04-15T00:59:59Z');
    await Promise.all([tokyo.scheduler.tick(), utc.scheduler.tick()]);
    expect(runs).toEqual([]);

    clock.set('2024-04-15T01:00:00Z');
    await Promise.all([tokyo.scheduler.tick(), utc.scheduler.tick()]);
    expect(runs).toEqual(['tokyo@2024-04-15T01:00:00.000Z']);

    clock.set('2024-04-15T10:00:00Z');
    await Promise.all([tokyo.scheduler.tick(), utc.scheduler.tick()]);
    expect(runs).toEqual(['tokyo@2024-04-15T01:00:00.000Z', 'utc@2024-04-15T10:00:00.000Z']);
  });

  it('records a firing later than maxLatenessMs as skipped instead of running it', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    const runs: string[] = [];
    a.scheduler.register(recordingJob('reminder', '0 * * * *', runs, 'a', { maxLatenessMs: 10 * 60_000 }));
    await a.scheduler.tick();

    clock.set('2024-04-10T04:30:00Z');
    expect(await a.scheduler.tick()).toMatchObject([
      { outcome: 'skipped', fireAt: new Date('2024-04-10T04:00:00Z') },
    ]);
    clock.set('2024-04-10T05:05:00Z');
    await a.scheduler.tick();

    expect(instants(runs)).toEqual(['2024-04-10T01:00:00.000Z', '2024-04-10T05:00:00.000Z']);
    const rows = await firings('reminder');
    expect(rows[1]).toMatchObject({
      fire_at: '2024-04-10T04:00:00.000Z',
      state: 'skipped',
      attempts: 0,
      error: expect.stringMatching(/^skipped: /),
    });
    expect(await firingsCounted(a.metrics, 'reminder')).toBe(2);
  });

  it('stop() aborts a running firing, waits for it and hands the firing back for another run', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    let began!: () => void;
    const running = new Promise<void>((resolve) => (began = resolve));
    a.scheduler.register({
      name: 'long',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 3_600_000,
      run: (_fireAt, signal) =>
        new Promise<void>((_resolve, reject) => {
          began();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });

    const tick = a.scheduler.tick();
    await running;
    await a.scheduler.stop();
    expect(await tick).toMatchObject([{ outcome: 'released', error: 'scheduler stopping' }]);
    // Runnable again at once, and the interrupted attempt is not counted against it.
    expect(await firings('long')).toMatchObject([
      { state: 'pending', attempts: 0, error: 'scheduler stopping', finished_at: null },
    ]);
    expect(await a.scheduler.tick()).toEqual([]);
  });

  it('stop() does not wait past its grace for a run that ignores its signal', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    let began!: () => void;
    const running = new Promise<void>((resolve) => (began = resolve));
    let unfreeze!: () => void;
    const frozen = new Promise<void>((resolve) => (unfreeze = resolve));
    a.scheduler.register({
      name: 'deaf',
      schedule: '0 * * * *',
      catchUp: 'latest',
      maxLatenessMs: 3_600_000,
      async run() {
        began();
        await frozen;
      },
    });

    const tick = a.scheduler.tick();
    await running;
    await a.scheduler.stop(20);
    expect(a.logs.lines.some((l) => l.level === 'warn' && /ignored their signal/.test(String(l.msg)))).toBe(
      true,
    );
    // Still leased: another replica runs it when the lease ends (see scheduler-leases.test.ts).
    expect(await firings('deaf')).toMatchObject([{ state: 'running', attempts: 1 }]);
    unfreeze();
    await tick;
  });

  it("works as the bot's database role toban_app, which owns nothing", async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const url = new URL(db.url);
    url.searchParams.set('options', '-c role=toban_app');
    const runs: string[] = [];
    const a = replica('app', clock, {}, url.toString());
    a.scheduler.register(recordingJob('as-app', '0 * * * *', runs, 'app'));
    expect(await a.scheduler.tick()).toMatchObject([{ outcome: 'succeeded' }]);
    const { rows } = await a.pool.query<{ r: string }>(`SELECT current_user AS r`);
    expect(rows[0]?.r).toBe('toban_app');
  });

  it('refuses a bad cron, a duplicate name, bad limits, a bad catch-up rule and an unknown time zone', () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    const job = { catchUp: 'latest', maxLatenessMs: 60_000, run: async () => {} } as const;
    expect(() => a.scheduler.register({ ...job, name: 'bad', schedule: '61 * * * *' })).toThrow(
      ScheduleError,
    );
    expect(() => a.scheduler.register({ ...job, name: 'short', schedule: '* * *' })).toThrow(/5, or 6/);
    a.scheduler.register({ ...job, name: 'once', schedule: '0 * * * *' });
    expect(() => a.scheduler.register({ ...job, name: 'once', schedule: '0 * * * *' })).toThrow(/twice/);
    expect(() =>
      a.scheduler.register({ ...job, name: 'late', schedule: '0 * * * *', maxLatenessMs: -1 }),
    ).toThrow(ScheduleError);
    expect(() => a.scheduler.register({ ...job, name: 't', schedule: '0 * * * *', timeoutMs: 0 })).toThrow(
      /timeoutMs/,
    );
    expect(() =>
      a.scheduler.register({ ...job, name: 'c', schedule: '0 * * * *', catchUp: 'all' as unknown as 'each' }),
    ).toThrow(/catchUp/);
    expect(() => replica('x', clock, { timezone: 'Asia/Tokio' })).toThrow(/unknown time zone/);
    expect(() => replica('y', clock, { retryBaseMs: 0 })).toThrow(/retryBaseMs/);
  });

  it('with the real trigger, two started instances never run one second twice', async () => {
    const runs: string[] = [];
    const a = replica('a', systemClock);
    const b = replica('b', systemClock);
    a.scheduler.register(recordingJob('per-second', '* * * * * *', runs, 'a'));
    b.scheduler.register(recordingJob('per-second', '* * * * * *', runs, 'b'));

    a.scheduler.start();
    b.scheduler.start();
    // node-schedule's timers really tick; wait for three firings however slow the machine is.
    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(3), { timeout: 25_000, interval: 50 });
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);

    const { rows } = await db.pool.query<{ fire_at: Date; n: number }>(
      `SELECT fire_at, count(*)::int AS n FROM job_firings WHERE job = 'per-second' GROUP BY fire_at`,
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const succeeded = (await firings('per-second')).filter((r) => r.state === 'succeeded');
    expect(new Set(instants(runs)).size).toBe(runs.length);
    expect(instants(runs)).toEqual(succeeded.map((r) => r.fire_at));
    expect(succeeded.every((r) => r.attempts === 1)).toBe(true);
  });
});

// The scheduler against real PostgreSQL: several instances share one database, as replicas do.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/app/clock.ts';
import { createLogger } from '../../src/app/log.ts';
import { createMetrics, type Metrics } from '../../src/app/metrics.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { createScheduler, ScheduleError, type Job, type Scheduler } from '../../src/jobs/scheduler.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { LogCapture } from '../helpers/context.ts';

let db: TestDatabase;
const extraPools: Pool[] = [];
let started: Scheduler[] = [];

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await Promise.all(started.map((s) => s.stop()));
  started = [];
});
afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.end()));
  await db?.drop();
});

interface Instance {
  scheduler: Scheduler;
  metrics: Metrics;
  logs: LogCapture;
}

/** One replica: its own pool, logger and metrics, on the shared test database. */
function replica(instanceId: string, clock: Clock, timezone?: string): Instance {
  const pool = createPool(db.url, { max: 4 });
  extraPools.push(pool);
  const logs = new LogCapture();
  const metrics = createMetrics();
  const scheduler = createScheduler({
    pool,
    clock,
    log: createLogger('debug', logs),
    metrics,
    instanceId,
    timezone,
  });
  started.push(scheduler);
  return { scheduler, metrics, logs };
}

/** A job that records every run as instance@fireAt. */
function recordingJob(name: string, schedule: Job['schedule'], runs: string[], instanceId: string): Job {
  return {
    name,
    schedule,
    async run(fireAt) {
      runs.push(`${instanceId}@${fireAt.toISOString()}`);
    },
  };
}

async function firings(job: string) {
  const { rows } = await db.pool.query<{
    fire_at: Date;
    claimed_by: string;
    finished_at: Date | null;
    error: string | null;
  }>(`SELECT fire_at, claimed_by, finished_at, error FROM job_firings WHERE job = $1 ORDER BY fire_at`, [
    job,
  ]);
  return rows.map((r) => ({ ...r, fire_at: r.fire_at.toISOString() }));
}

const instants = (runs: string[]) => runs.map((r) => r.split('@')[1]).sort();

async function firingsCounted(m: Metrics, job: string): Promise<number> {
  const { values } = await m.jobFirings.get();
  return values.find((v) => v.labels.job === job)?.value ?? 0;
}

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
    expect(rows.every((r) => r.finished_at !== null && r.error === null)).toBe(true);
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
      { fire_at: '2024-04-10T01:00:00.000Z', error: 'Slack refused token [redacted]' },
      { fire_at: '2024-04-10T02:00:00.000Z', error: null },
    ]);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('records a job that throws a non-Error value', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    a.scheduler.register({
      name: 'throws-string',
      schedule: '0 * * * *',
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
    const utc = replica('utc', clock, 'UTC');
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
    a.scheduler.register({ ...recordingJob('reminder', '0 * * * *', runs, 'a'), maxLatenessMs: 10 * 60_000 });
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
      error: expect.stringMatching(/^skipped: /),
    });
    expect(await firingsCounted(a.metrics, 'reminder')).toBe(2);
  });

  it('stop() aborts a running firing, waits for it and records why it ended', async () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    let began!: () => void;
    const running = new Promise<void>((resolve) => (began = resolve));
    a.scheduler.register({
      name: 'long',
      schedule: '0 * * * *',
      run: (_fireAt, signal) =>
        new Promise<void>((_resolve, reject) => {
          began();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });

    const tick = a.scheduler.tick();
    await running;
    await a.scheduler.stop();
    expect(await tick).toMatchObject([{ outcome: 'failed', error: 'scheduler stopping' }]);
    expect(await firings('long')).toMatchObject([
      { error: 'scheduler stopping', finished_at: expect.any(Date) },
    ]);

    clock.advance(60 * 60_000);
    expect(await a.scheduler.tick()).toEqual([]);
    expect(await firings('long')).toHaveLength(1);
  });

  it('refuses a bad cron, a duplicate name, a bad maxLatenessMs and an unknown time zone', () => {
    const clock = new ManualClock('2024-04-10T01:00:00Z');
    const a = replica('a', clock);
    const run = async () => {};
    expect(() => a.scheduler.register({ name: 'bad', schedule: '61 * * * *', run })).toThrow(ScheduleError);
    expect(() => a.scheduler.register({ name: 'short', schedule: '* * *', run })).toThrow(/5, or 6/);
    a.scheduler.register({ name: 'once', schedule: '0 * * * *', run });
    expect(() => a.scheduler.register({ name: 'once', schedule: '0 * * * *', run })).toThrow(/twice/);
    expect(() =>
      a.scheduler.register({ name: 'late', schedule: '0 * * * *', run, maxLatenessMs: -1 }),
    ).toThrow(ScheduleError);
    expect(() => replica('x', clock, 'Asia/Tokio')).toThrow(/unknown time zone/);
  });

  it('with the real trigger, two started instances never run one second twice', async () => {
    const runs: string[] = [];
    const a = replica('a', systemClock);
    const b = replica('b', systemClock);
    a.scheduler.register(recordingJob('per-second', '* * * * * *', runs, 'a'));
    b.scheduler.register(recordingJob('per-second', '* * * * * *', runs, 'b'));

    a.scheduler.start();
    b.scheduler.start();
    await sleep(3_200);
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);

    const { rows } = await db.pool.query<{ fire_at: Date; n: number }>(
      `SELECT fire_at, count(*)::int AS n FROM job_firings WHERE job = 'per-second' GROUP BY fire_at`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(runs).toHaveLength(rows.length);
    expect(new Set(instants(runs)).size).toBe(runs.length);
    expect(instants(runs)).toEqual(rows.map((r) => r.fire_at.toISOString()).sort());
  });
});

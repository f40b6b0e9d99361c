// Scheduler replicas for database tests: each has its own pool, logger and metrics on one shared
// test database, as replicas of the bot have on one PostgreSQL.
import { createLogger } from '../../src/core/log.ts';
import { createMetrics, type Metrics } from '../../src/core/metrics.ts';
import { createPool, type Pool, type Queryable } from '../../src/db/pool.ts';
import type { Clock } from '../../src/domain/clock.ts';
import {
  createScheduler,
  type Job,
  type Scheduler,
  type SchedulerOptions,
} from '../../src/jobs/scheduler.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { LogCapture } from './context.ts';
import type { TestDatabase } from './db.ts';

export interface Replica {
  scheduler: Scheduler;
  pool: Pool;
  metrics: Metrics;
  logs: LogCapture;
}

/** Creates replicas on `db` and stops them and closes their pools in `cleanup()`. */
export function replicaFactory(getDb: () => TestDatabase) {
  const pools: Pool[] = [];
  let schedulers: Scheduler[] = [];
  return {
    replica(
      instanceId: string,
      clock: Clock,
      opts: Partial<Omit<SchedulerOptions, 'pool' | 'clock' | 'log' | 'metrics' | 'instanceId'>> = {},
      url = getDb().url,
    ): Replica {
      const pool = createPool(url, { max: 4 });
      pools.push(pool);
      const logs = new LogCapture();
      const metrics = createMetrics();
      const scheduler = createScheduler({
        pool,
        clock,
        log: createLogger('debug', logs),
        metrics,
        instanceId,
        ...opts,
      });
      schedulers.push(scheduler);
      return { scheduler, pool, metrics, logs };
    },
    /** Stops every scheduler made since the last call (afterEach). */
    async stopAll(): Promise<void> {
      await Promise.all(schedulers.map((s) => s.stop()));
      schedulers = [];
    },
    /** Closes every pool (afterAll). */
    async closePools(): Promise<void> {
      await Promise.all(pools.splice(0).map((p) => p.end()));
    },
  };
}

/** A job that records every run as instanceId@fireAt. */
export function recordingJob(
  name: string,
  schedule: Job['schedule'],
  runs: string[],
  instanceId: string,
  extra: Partial<Job> = {},
): Job {
  return {
    name,
    schedule,
    catchUp: 'latest',
    maxLatenessMs: 3_600_000,
    async run(fireAt) {
      runs.push(`${instanceId}@${fireAt.toISOString()}`);
    },
    ...extra,
  };
}

export interface FiringRow {
  fire_at: string;
  state: string;
  attempts: number;
  claimed_by: string | null;
  finished_at: Date | null;
  error: string | null;
}

export async function firingRows(db: Queryable, job: string): Promise<FiringRow[]> {
  const { rows } = await db.query<Omit<FiringRow, 'fire_at'> & { fire_at: Date }>(
    `SELECT fire_at, state, attempts, claimed_by, finished_at, error
     FROM job_firings WHERE job = $1 ORDER BY fire_at`,
    [job],
  );
  return rows.map((r) => ({ ...r, fire_at: r.fire_at.toISOString() }));
}

/** The instants of recorded runs, sorted. */
export const instants = (runs: string[]): string[] => runs.map((r) => r.split('@')[1] ?? '').sort();

export async function firingsCounted(m: Metrics, job: string): Promise<number> {
  const { values } = await m.jobFirings.get();
  return values.find((v) => v.labels.job === job)?.value ?? 0;
}

/**
 * What the handoff job of the kill -9 test writes on every run: an announcement it names and a DM it
 * does not. Anchored to the firing (outbox/anchor.ts), so a re-run writes neither again.
 */
export async function handoffWrites(db: Queryable, fireAt: Date): Promise<void> {
  await enqueue(
    db,
    {
      kind: 'slack.post',
      orderingKey: 'channel:C0ONCALL',
      idempotencyKey: 'announce',
      payload: { channel: 'C0ONCALL', text: `handoff at ${fireAt.toISOString()}` },
    },
    'slack',
  );
  await enqueue(
    db,
    {
      kind: 'slack.dm',
      orderingKey: 'dm:U0AAA',
      payload: { user: 'U0AAA', text: 'you are on duty' },
    },
    'slack',
  );
}

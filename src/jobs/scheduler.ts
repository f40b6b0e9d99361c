// The scheduler: runs each job once per scheduled instant across every replica sharing the database.
//
// Words used here:
//   firing    one (job, scheduled instant) pair, a row in job_firings once claimed.
//   due       the latest scheduled instant <= clock.now() that is later than the job's anchor.
//   anchor    the job's last recorded firing, or, when it has none, the moment this instance
//             registered it: a job never fires for an instant before it existed.
//   tick      for every job: find the due firing, try to claim it, run it if the claim won.
//
// node-schedule only decides when to tick; what is due is computed from the injected clock and the
// table, so missed triggers (a busy event loop, a replica that was down) cost nothing: the next tick
// sees the same due firing. After an outage only the latest missed firing runs, once: the earlier
// ones are never claimed. A firing is run at most once: an instance that dies mid-run leaves its row
// with neither finished_at nor error, and nobody retries it (jobs put their side effects in the
// outbox, which retries on its own).
import { IANAZone } from 'luxon';
import nodeSchedule from 'node-schedule';
import type { Metrics } from '../app/metrics.ts';
import { redactText, type Logger } from '../app/log.ts';
import { withTransaction, type Pool } from '../db/pool.ts';
import type { Clock } from '../domain/clock.ts';
import { claimFiring, finishFiring, lastFiring, lockJob } from './firings.ts';
import { compileSchedule, ScheduleError, type Schedule, type ScheduleSpec } from './schedule.ts';

export { ScheduleError, type ScheduleSpec } from './schedule.ts';

export interface Job {
  /** Unique per scheduler; the key in job_firings, so renaming a job forgets its history. */
  name: string;
  schedule: ScheduleSpec;
  /**
   * Does the work of one firing. `signal` aborts when the scheduler stops; a job should stop
   * promptly then, as stop() waits for it. Throwing marks the firing failed; the next one still runs.
   */
  run(fireAt: Date, signal: AbortSignal): Promise<void>;
  /**
   * A due firing later than this (milliseconds after its scheduled instant) is recorded as skipped
   * instead of run. Unset: no limit, so after any outage the latest missed firing runs once. Set it
   * for work that is wrong when late, such as a "handoff in 10 minutes" reminder.
   */
  maxLatenessMs?: number;
}

export interface SchedulerOptions {
  pool: Pool;
  clock: Clock;
  log: Logger;
  metrics: Pick<Metrics, 'jobFirings'>;
  /** Names this replica in job_firings.claimed_by, e.g. `${hostname}:${pid}`. */
  instanceId: string;
  /** IANA zone in which cron expressions are read. Default Asia/Tokyo. */
  timezone?: string;
}

/** A firing this instance claimed during a tick, and what became of it. */
export interface FiringOutcome {
  job: string;
  fireAt: Date;
  outcome: 'succeeded' | 'failed' | 'skipped';
  error?: string;
}

export interface Scheduler {
  /** Adds a job; throws ScheduleError for a bad name, cron or maxLatenessMs. */
  register(job: Job): void;
  /** Arms node-schedule (each cron, plus a minute tick) and ticks once at once to catch up. */
  start(): void;
  /** Disarms the triggers, aborts running firings and waits for them to record their outcome. */
  stop(): Promise<void>;
  /** Claims and runs every due firing; resolves when the ones claimed here have finished. */
  tick(): Promise<FiringOutcome[]>;
}

interface Entry {
  job: Job;
  schedule: Schedule;
  registeredAt: Date;
}

// Function schedules and missed cron triggers are picked up by this tick; a minute bounds the delay.
const SAFETY_TICK = '* * * * *';
const MAX_ERROR_LENGTH = 2000;

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { pool, clock, metrics, instanceId } = opts;
  const timezone = opts.timezone ?? 'Asia/Tokyo';
  if (!IANAZone.isValidZone(timezone)) throw new ScheduleError(`unknown time zone "${timezone}"`);
  const log = opts.log.child({ component: 'scheduler', instanceId });

  const entries = new Map<string, Entry>();
  const triggers: nodeSchedule.Job[] = [];
  const running = new Set<AbortController>();
  const inflight = new Set<Promise<unknown>>();
  let started = false;
  let stopped = false;

  function track<T>(p: Promise<T>): Promise<T> {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => {});
    return p;
  }

  // tickJob catches what it expects; this keeps anything else from becoming an unhandled rejection.
  function logTickFailure(err: unknown): void {
    log.error({ err: asError(err) }, 'scheduler tick failed');
  }

  function arm(entry: Entry): void {
    const cron = entry.schedule.cron;
    if (cron === undefined) return;
    triggers.push(
      nodeSchedule.scheduleJob({ rule: cron, tz: timezone }, () => {
        track(tickJob(entry)).catch(logTickFailure);
      }),
    );
  }

  async function claimDue(entry: Entry, now: Date): Promise<{ fireAt: Date; skipped?: string } | undefined> {
    const { name, maxLatenessMs } = entry.job;
    return withTransaction(pool, async (tx) => {
      await lockJob(tx, name);
      const last = await lastFiring(tx, name);
      const anchor = last ?? new Date(entry.registeredAt.getTime() - 1);
      const fireAt = entry.schedule.due(anchor, now, 1).instants[0];
      if (fireAt === undefined) return undefined;
      const lateMs = now.getTime() - fireAt.getTime();
      const skipped =
        maxLatenessMs !== undefined && lateMs > maxLatenessMs
          ? `skipped: ${lateMs} ms late, over maxLatenessMs ${maxLatenessMs}`
          : undefined;
      const won = await claimFiring(tx, { job: name, fireAt, instanceId, at: now, skipped });
      return won ? { fireAt, skipped } : undefined;
    });
  }

  async function tickJob(entry: Entry): Promise<FiringOutcome | undefined> {
    if (stopped) return undefined;
    const name = entry.job.name;
    let claim: Awaited<ReturnType<typeof claimDue>>;
    try {
      claim = await claimDue(entry, clock.now());
    } catch (err) {
      log.error({ err: asError(err), job: name }, 'could not claim a job firing; the next tick retries');
      return undefined;
    }
    if (claim === undefined) return undefined;
    if (claim.skipped !== undefined) {
      log.warn({ job: name, fireAt: claim.fireAt.toISOString() }, claim.skipped);
      return { job: name, fireAt: claim.fireAt, outcome: 'skipped', error: claim.skipped };
    }
    return runFiring(entry, claim.fireAt);
  }

  async function runFiring(entry: Entry, fireAt: Date): Promise<FiringOutcome> {
    const name = entry.job.name;
    const flog = log.child({ job: name, fireAt: fireAt.toISOString() });
    const controller = new AbortController();
    running.add(controller);
    // A claim that completed while stop() ran is still run, so its row gets an outcome, but told to stop.
    if (stopped) controller.abort(new Error('scheduler stopping'));
    metrics.jobFirings.inc({ job: name });
    flog.debug('job firing started');
    let error: string | undefined;
    try {
      await entry.job.run(fireAt, controller.signal);
    } catch (err) {
      const e = asError(err);
      error = redactText(e.message || e.name).slice(0, MAX_ERROR_LENGTH);
      flog.error({ err: e }, 'job firing failed');
    } finally {
      running.delete(controller);
    }
    try {
      await finishFiring(pool, { job: name, fireAt, at: clock.now(), error });
    } catch (err) {
      flog.error({ err: asError(err), jobError: error }, 'could not record the outcome of a job firing');
    }
    if (error === undefined) flog.debug('job firing finished');
    return { job: name, fireAt, outcome: error === undefined ? 'succeeded' : 'failed', error };
  }

  function tick(): Promise<FiringOutcome[]> {
    if (stopped) return Promise.resolve([]);
    const all = Promise.all([...entries.values()].map(tickJob));
    return track(all.then((outcomes) => outcomes.filter((o) => o !== undefined)));
  }

  return {
    register(job) {
      if (stopped) throw new ScheduleError(`job "${job.name}": the scheduler is stopped`);
      if (!job.name) throw new ScheduleError('a job needs a name');
      if (entries.has(job.name)) throw new ScheduleError(`job "${job.name}" is registered twice`);
      const max = job.maxLatenessMs;
      if (max !== undefined && !(Number.isFinite(max) && max >= 0)) {
        throw new ScheduleError(`job "${job.name}": maxLatenessMs must be a number >= 0, got ${max}`);
      }
      const entry = {
        job,
        schedule: compileSchedule(job.name, job.schedule, timezone),
        registeredAt: clock.now(),
      };
      entries.set(job.name, entry);
      if (started) arm(entry);
    },

    start() {
      if (stopped) throw new ScheduleError('the scheduler is stopped; create a new one');
      if (started) return;
      started = true;
      for (const entry of entries.values()) arm(entry);
      triggers.push(nodeSchedule.scheduleJob(SAFETY_TICK, () => void tick().catch(logTickFailure)));
      tick().catch(logTickFailure);
    },

    async stop() {
      stopped = true;
      for (const t of triggers.splice(0)) t.cancel();
      for (const c of running) c.abort(new Error('scheduler stopping'));
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },

    tick,
  };
}

// Jobs may throw anything; the logger's serializer and the error column need an Error.
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

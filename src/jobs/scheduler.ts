// The scheduler: runs each job's firings across every replica sharing the database, each firing
// until it succeeds (or is given up), never two attempts of one firing at once, never again once it
// has succeeded.
//
// Words used here:
//   firing    one (job, scheduled instant) pair, a row in job_firings once due.
//   due       a scheduled instant <= clock.now() later than the job's anchor.
//   anchor    the job's latest recorded firing, or, when it has none, the moment this instance
//             registered it: a job never fires for an instant before it existed.
//   claim     a lease on one firing: 'running' until the job's timeout plus a margin. A replica that
//             dies mid-run (kill -9) leaves its lease; when it ends, any replica runs the firing again.
//   tick      for one job: record what became due, give up what is too late, claim the oldest
//             runnable firing and run it; repeat until nothing is runnable.
//
// The guarantee is at least once per firing: a run whose outcome was not recorded (a crash, a lost
// connection, a job that overran its lease) runs again. So a job must be safe to run twice for one
// instant. Its outbox writes are, by construction: every run is anchored to its firing
// (outbox/anchor.ts), so each row it enqueues gets an idempotency key derived from the job, the
// firing's instant and the write (its own key, or its position in the run), and a re-run writes
// none of them twice. Other side effects must check what an earlier attempt already did.
//
// What is due is computed from the injected clock and the table, not from the timer, so a late or
// missed timer costs nothing: the next tick sees the same due firing. The timer (node-schedule) only
// wakes the scheduler at the next instant that can matter: a job's next scheduled instant, a retry
// or a lease end, and at least once a minute for changes other replicas made.
import { IANAZone } from 'luxon';
import type { Metrics } from '../core/metrics.ts';
import { redactText, type Logger } from '../core/log.ts';
import { withTransaction, type Pool } from '../db/pool.ts';
import { withAnchor } from '../outbox/anchor.ts';
import type { Clock } from '../domain/clock.ts';
import {
  claimFiring,
  closeFirings,
  insertDue,
  lastFireAt,
  lockJob,
  openFirings,
  recordOutcome,
  type AttemptOutcome,
  type FiringClaim,
} from './firings.ts';
import { DEFAULT_TIMEOUT_MS, firingKey, type FiringOutcome, type Job } from './job.ts';
import { planFirings } from './plan.ts';
import { compileSchedule, ScheduleError, type Schedule } from './schedule.ts';
import { wakeUpAt, type WakeUp } from './wake-up.ts';

export { ScheduleError, type ScheduleSpec } from './schedule.ts';
export type { CatchUp } from './plan.ts';
export { firingKey, type FiringInfo, type FiringOutcome, type Job } from './job.ts';

export interface SchedulerOptions {
  pool: Pool;
  clock: Clock;
  log: Logger;
  metrics: Pick<Metrics, 'jobFirings' | 'jobFiringOutcomes'>;
  /** Names this replica in job_firings.claimed_by, e.g. `${hostname}:${pid}`. */
  instanceId: string;
  /** IANA zone in which cron expressions are read. Default Asia/Tokyo. */
  timezone?: string;
  /** Delay before the first retry of a failed attempt, in ms; doubles per attempt. Default 10,000. */
  retryBaseMs?: number;
  /** Longest delay between retries, in ms. Default 600,000 (10 minutes). */
  retryMaxMs?: number;
  /** Added to a job's timeout to make its lease: covers clock skew between replicas. Default 30,000 ms. */
  leaseMarginMs?: number;
}

export interface Scheduler {
  /** Adds a job; throws ScheduleError for a bad name, cron, catchUp, maxLatenessMs or timeoutMs. */
  register(job: Job): void;
  /** Ticks every job once at once (to catch up), then keeps a timer armed for each. */
  start(): void;
  /**
   * Disarms the timers, aborts running firings (they are released, to run again at once elsewhere or
   * at the next start) and waits for them, at most `graceMs` (default 10,000): a run that ignores its
   * signal is left behind, logged, and run again when its lease ends.
   */
  stop(graceMs?: number): Promise<void>;
  /** Ticks every job; resolves with what happened to the firings this instance touched. */
  tick(): Promise<FiringOutcome[]>;
}

interface Entry {
  job: Job;
  schedule: Schedule;
  registeredAt: Date;
  leaseMs: number;
  timer?: WakeUp;
}

// Other replicas' changes (a released firing) are noticed within this, even with nothing scheduled.
const MAX_WAKE_MS = 60_000;
// The most firings an "each" job catches up after an outage; older ones are not recorded.
const MAX_CATCH_UP = 1_000;
const MAX_ERROR_LENGTH = 2_000;

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { pool, clock, metrics, instanceId } = opts;
  const timezone = opts.timezone ?? 'Asia/Tokyo';
  if (!IANAZone.isValidZone(timezone)) throw new ScheduleError(`unknown time zone "${timezone}"`);
  const retryBaseMs = positive('retryBaseMs', opts.retryBaseMs ?? 10_000);
  const retryMaxMs = positive('retryMaxMs', opts.retryMaxMs ?? 600_000);
  const leaseMarginMs = positive('leaseMarginMs', opts.leaseMarginMs ?? 30_000);
  const log = opts.log.child({ component: 'scheduler', instanceId });

  const entries = new Map<string, Entry>();
  // How to stop each run under way here (stop() calls them all), with the firing's key for logs.
  const running = new Map<() => void, string>();
  const inflight = new Set<Promise<unknown>>();
  let started = false;
  let stopped = false;

  function track<T>(p: Promise<T>): Promise<T> {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => {});
    return p;
  }

  interface Step {
    closed: FiringOutcome[];
    claim?: FiringClaim;
    nextOpenAt?: Date;
  }

  /** One transaction: record due firings, give up what is too late or superseded, claim one. */
  async function claimNext(entry: Entry, now: Date): Promise<Step> {
    const { name, catchUp, maxLatenessMs } = entry.job;
    return withTransaction(pool, async (tx) => {
      await lockJob(tx, name);
      const last = await lastFireAt(tx, name);
      const anchor = last ?? new Date(entry.registeredAt.getTime() - 1);
      const due = entry.schedule.due(anchor, now, catchUp === 'each' ? MAX_CATCH_UP : 1);
      if (due.more && catchUp === 'each') {
        log.warn(
          { job: name, since: anchor.toISOString(), recorded: due.instants.length },
          'more firings were missed than are caught up; the oldest are not recorded',
        );
      }
      if (due.instants.length > 0) await insertDue(tx, name, due.instants);
      const newest = due.instants.at(-1) ?? last;
      const plan = planFirings(await openFirings(tx, name), { now, catchUp, newest, maxLatenessMs });
      if (plan.close.length > 0) await closeFirings(tx, name, plan.close, now);
      const closed = plan.close.map((c): FiringOutcome => ({
        job: name,
        fireAt: c.fireAt,
        outcome: c.state,
        error: c.error,
      }));
      if (plan.claim === undefined) return { closed, nextOpenAt: plan.nextOpenAt };
      const claim = await claimFiring(tx, {
        job: name,
        fireAt: plan.claim.fireAt,
        instanceId,
        at: now,
        leaseUntil: new Date(now.getTime() + entry.leaseMs),
      });
      return { closed, claim, nextOpenAt: plan.nextOpenAt };
    });
  }

  /** Claims and runs the job's runnable firings one after another, keeping its timer armed. */
  async function tickJob(entry: Entry): Promise<FiringOutcome[]> {
    const outcomes: FiringOutcome[] = [];
    while (!stopped) {
      let step: Step;
      try {
        step = await claimNext(entry, clock.now());
      } catch (err) {
        log.error(
          { err: asError(err), job: entry.job.name },
          'could not claim a job firing; the next tick retries',
        );
        armTimer(entry, undefined);
        break;
      }
      for (const c of step.closed) record(c);
      outcomes.push(...step.closed);
      // Armed before the run too: a run that hangs past its lease is claimed again when it ends,
      // here as on any other replica.
      armTimer(entry, step.claim?.leaseUntil ?? step.nextOpenAt);
      if (step.claim === undefined) break;
      outcomes.push(record(await runFiring(entry, step.claim)));
    }
    return outcomes;
  }

  function record(o: FiringOutcome): FiringOutcome {
    metrics.jobFiringOutcomes.inc({ job: o.job, outcome: o.outcome });
    if (o.outcome === 'skipped') log.warn({ job: o.job, fireAt: o.fireAt.toISOString() }, o.error);
    else if (o.outcome === 'failed' && o.attempt === undefined) {
      log.error({ job: o.job, fireAt: o.fireAt.toISOString() }, `giving up on a job firing: ${o.error}`);
    }
    return o;
  }

  async function runFiring(entry: Entry, claim: FiringClaim): Promise<FiringOutcome> {
    const { job } = entry;
    const { fireAt, attempt } = claim;
    const flog = log.child({ job: job.name, fireAt: fireAt.toISOString(), attempt });
    // A claim that completed while stop() ran is handed back without running.
    if (stopped) return settle(entry, claim, flog, 'scheduler stopping', true);
    const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let aborted: 'stop' | 'timeout' | undefined;
    const abort = (why: 'stop' | 'timeout', reason: Error) => {
      if (aborted) return;
      aborted = why;
      controller.abort(reason);
    };
    const stopRun = () => abort('stop', new Error('scheduler stopping'));
    running.set(stopRun, firingKey(job.name, fireAt));
    const deadline = setTimeout(
      () => abort('timeout', new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const overrun = setTimeout(
      () => flog.warn('job firing still running past its lease: another replica may run it again'),
      entry.leaseMs,
    );
    deadline.unref();
    overrun.unref();
    metrics.jobFirings.inc({ job: job.name });
    flog.debug('job firing started');
    let error: string | undefined;
    try {
      const key = firingKey(job.name, fireAt);
      await withAnchor(`job:${key}`, () => job.run(fireAt, controller.signal, { attempt, key }));
    } catch (err) {
      const e = asError(err);
      error = redactText(e.message || e.name).slice(0, MAX_ERROR_LENGTH);
      if (aborted === 'timeout' && !error.startsWith('timed out'))
        error = `timed out after ${timeoutMs} ms: ${error}`;
      flog.error({ err: e }, 'job firing failed');
    } finally {
      clearTimeout(deadline);
      clearTimeout(overrun);
      running.delete(stopRun);
    }

    return settle(entry, claim, flog, error, aborted === 'stop');
  }

  /** Records an attempt's outcome, fenced on the claim, and says what became of the firing. */
  async function settle(
    entry: Entry,
    claim: FiringClaim,
    flog: Logger,
    error: string | undefined,
    stopping: boolean,
  ): Promise<FiringOutcome> {
    const { job } = entry;
    const { fireAt, attempt } = claim;
    const at = clock.now();
    const outcome = attemptOutcome(entry, claim, error, stopping, at);
    let held: boolean;
    try {
      held = await recordOutcome(pool, claim, outcome, at);
    } catch (err) {
      flog.error(
        { err: asError(err), jobError: error },
        'could not record the outcome of a job firing; it runs again after its lease',
      );
      return { job: job.name, fireAt, attempt, outcome: 'lost', error: error ?? 'outcome not recorded' };
    }
    if (!held) {
      flog.warn('job firing finished after it lost its lease: another replica claimed it; outcome dropped');
      return { job: job.name, fireAt, attempt, outcome: 'lost', error };
    }
    if (outcome.state === 'succeeded') flog.debug('job firing finished');
    if (outcome.state === 'failed')
      flog.error(`giving up on the job firing after attempt ${attempt}: ${outcome.error}`);
    if (outcome.state === 'retry')
      flog.info({ retryAt: outcome.retryAt.toISOString() }, 'job firing will be retried');
    return { job: job.name, fireAt, attempt, outcome: outcome.state, error };
  }

  /** Success, a release (stopping), a retry with backoff, or failure once past the lateness limit. */
  function attemptOutcome(
    entry: Entry,
    claim: FiringClaim,
    error: string | undefined,
    stopping: boolean,
    at: Date,
  ): AttemptOutcome {
    if (error === undefined) return { state: 'succeeded' };
    if (stopping) return { state: 'released', error };
    const backoff = Math.min(retryBaseMs * 2 ** (claim.attempt - 1), retryMaxMs);
    const retryAt = new Date(at.getTime() + backoff);
    if (retryAt.getTime() - claim.fireAt.getTime() > entry.job.maxLatenessMs)
      return { state: 'failed', error };
    return { state: 'retry', error, retryAt };
  }

  /** Wakes the job at its next scheduled instant, its next retry or lease end, or in a minute. */
  function armTimer(entry: Entry, nextOpenAt: Date | undefined): void {
    if (!started || stopped) return;
    const now = clock.now().getTime();
    let at = now + MAX_WAKE_MS;
    if (nextOpenAt) at = Math.min(at, nextOpenAt.getTime());
    try {
      const next = entry.schedule.next(new Date(now));
      if (next) at = Math.min(at, next.getTime());
    } catch (err) {
      log.error({ err: asError(err), job: entry.job.name }, 'could not compute the next firing');
    }
    // An earlier wake-up already armed stays: it ticks and re-arms.
    if (entry.timer && entry.timer.at <= at) return;
    entry.timer?.cancel();
    // The wake-up runs on the real clock, which is the injected one outside tests.
    entry.timer = wakeUpAt(new Date(Math.max(at, now + 1)), () => {
      entry.timer = undefined;
      if (!stopped)
        track(tickJob(entry)).catch((err) => log.error({ err: asError(err) }, 'scheduler tick failed'));
    });
  }

  function tick(): Promise<FiringOutcome[]> {
    if (stopped) return Promise.resolve([]);
    const all = Promise.all([...entries.values()].map((e) => track(tickJob(e))));
    return all.then((outcomes) => outcomes.flat());
  }

  return {
    register(job) {
      if (stopped) throw new ScheduleError(`job "${job.name}": the scheduler is stopped`);
      if (!job.name) throw new ScheduleError('a job needs a name');
      if (entries.has(job.name)) throw new ScheduleError(`job "${job.name}" is registered twice`);
      if (job.catchUp !== 'latest' && job.catchUp !== 'each') {
        throw new ScheduleError(
          `job "${job.name}": catchUp must be "latest" or "each", got ${String(job.catchUp)}`,
        );
      }
      const max = job.maxLatenessMs;
      if (!(Number.isFinite(max) && max >= 0)) {
        throw new ScheduleError(`job "${job.name}": maxLatenessMs must be a number >= 0, got ${max}`);
      }
      const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
        throw new ScheduleError(`job "${job.name}": timeoutMs must be a number > 0, got ${timeoutMs}`);
      }
      const entry: Entry = {
        job,
        schedule: compileSchedule(job.name, job.schedule, timezone),
        registeredAt: clock.now(),
        leaseMs: timeoutMs + leaseMarginMs,
      };
      entries.set(job.name, entry);
      if (started)
        track(tickJob(entry)).catch((err) => log.error({ err: asError(err) }, 'scheduler tick failed'));
    },

    start() {
      if (stopped) throw new ScheduleError('the scheduler is stopped; create a new one');
      if (started) return;
      started = true;
      tick().catch((err) => log.error({ err: asError(err) }, 'scheduler tick failed'));
    },

    async stop(graceMs = 10_000) {
      stopped = true;
      for (const e of entries.values()) {
        e.timer?.cancel();
        e.timer = undefined;
      }
      for (const stopRun of running.keys()) stopRun();
      const settled = (async () => {
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
        return true;
      })();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const done = await Promise.race([settled, grace]);
      clearTimeout(timer);
      if (!done) {
        log.warn(
          { firings: [...running.values()], graceMs },
          'stopped without the job firings that ignored their signal; they run again when their leases end',
        );
      }
    },

    tick,
  };

  function positive(name: string, v: number): number {
    if (!(Number.isFinite(v) && v > 0)) throw new ScheduleError(`${name} must be a number > 0, got ${v}`);
    return v;
  }
}

// Jobs may throw anything; the logger's serializer and the error column need an Error.
function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

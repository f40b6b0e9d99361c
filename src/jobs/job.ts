// What a scheduled job is, for the people writing one (rotation handoffs, reminders, escalations):
// its schedule, its catch-up rule and limits, and what its run is given and must do to be safe to
// run again. The scheduler (scheduler.ts) runs it.
import type { CatchUp } from './plan.ts';
import type { ScheduleSpec } from './schedule.ts';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** What a run is told about its firing, besides its instant and signal. */
export interface FiringInfo {
  /** 1 for the first run of this firing, 2 for its first retry, and so on. */
  attempt: number;
  /**
   * `${job}@${fireAt ISO}`: the same on every attempt and every replica. Outbox rows written during
   * the run are already keyed by it (`job:${key}:…`, outbox/anchor.ts); use it for other records.
   */
  key: string;
}

export interface Job {
  /** Unique per scheduler; the key in job_firings, so renaming a job forgets its history. */
  name: string;
  schedule: ScheduleSpec;
  /**
   * After an outage, or when a firing is still failing as the next one comes due:
   * - 'latest': only the newest due firing runs; older ones are given up (recorded as skipped, or
   *   failed if they had run). For work whose newest run makes the older ones moot: a handoff
   *   announcement, syncing a user group, housekeeping.
   * - 'each': every due firing runs, oldest first (at most 1,000 of an outage, the newest). For work
   *   owed once per instant: a reminder per deadline, a daily report per day.
   */
  catchUp: CatchUp;
  /**
   * How late (ms after its scheduled instant) a firing may still start or be retried. A firing not
   * started by then is recorded as skipped; one that keeps failing is recorded as failed when its
   * next retry would start later than this. 0: on time or not at all, never retried.
   */
  maxLatenessMs: number;
  /**
   * Longest run, in ms (default 60,000). At this deadline `signal` aborts and the attempt counts as
   * failed. The claim's lease is this plus the scheduler's lease margin: a run that ignores its
   * signal past the lease may be run again by another replica at the same time.
   */
  timeoutMs?: number;
  /**
   * Does the work of one firing, at least once: it is run again after a crash, a lost outcome or a
   * throw (with backoff, while within maxLatenessMs). Outbox writes are idempotent by the firing
   * (anchored: a re-run enqueues none of them again) as long as the run makes its unnamed writes in
   * the same order each time; name writes whose order can vary with an idempotencyKey (unique within
   * the firing). Any other side effect must check what an earlier attempt already did.
   * `signal` aborts at the timeout or when the scheduler stops; stop promptly then (pass it to fetch
   * and to the outbox's callers). Resolve for success; throw (anything) for a failed attempt.
   */
  run(fireAt: Date, signal: AbortSignal, info: FiringInfo): Promise<void>;
}

/** What became of one firing during a tick of this instance. */
export interface FiringOutcome {
  job: string;
  fireAt: Date;
  /**
   * succeeded / failed (given up) / skipped (never started: too late, or superseded) / retry (an
   * attempt failed; it runs again later) / released (the scheduler stopped mid-run; it runs again at
   * once, here or elsewhere) / lost (another replica claimed it after this one's lease ran out).
   */
  outcome: 'succeeded' | 'failed' | 'skipped' | 'retry' | 'released' | 'lost';
  /** The attempt that ran here; absent for firings given up without running. */
  attempt?: number;
  error?: string;
}

/** The identity of a firing across attempts and replicas: `${job}@${fireAt ISO}`. */
export function firingKey(job: string, fireAt: Date): string {
  return `${job}@${fireAt.toISOString()}`;
}

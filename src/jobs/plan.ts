// What to do with a job's open firings at one instant: which to give up, which to run. Pure, so the
// rules read (and are tested) apart from the SQL that applies them.
//
// Rules, in order, for each open firing (pending, or running) of one job, oldest first:
//   1. "latest" catch-up: a firing older than the job's newest firing is given up (superseded),
//      unless it is running under a live lease, which is left to finish.
//   2. A firing that may run now (its retry time or lease end has passed) but is later than the
//      job's lateness limit is given up: skipped if it never ran, failed if it did.
//   3. If no firing of the job runs under a live lease, the oldest firing that may run now is claimed:
//      a job's firings run one at a time.

export type CatchUp = 'latest' | 'each';

/** A job_firings row that is still open. */
export interface OpenFiring {
  fireAt: Date;
  state: 'pending' | 'running';
  attempts: number;
  /** Pending: when it may (next) run. Running: when its lease ends. */
  nextAttemptAt: Date;
  /** The last attempt's error. */
  error: string | null;
}

export interface Closing {
  fireAt: Date;
  state: 'skipped' | 'failed';
  error: string;
}

export interface Plan {
  close: Closing[];
  claim?: OpenFiring;
  /**
   * When nothing is claimed: the earliest instant at which a firing left open may become runnable
   * (a live lease's end, else the earliest retry time).
   */
  nextOpenAt?: Date;
}

export function planFirings(
  open: readonly OpenFiring[],
  opts: { now: Date; catchUp: CatchUp; newest: Date | undefined; maxLatenessMs: number },
): Plan {
  const now = opts.now.getTime();
  const leased = (f: OpenFiring) => f.state === 'running' && f.nextAttemptAt.getTime() > now;
  const close: Closing[] = [];
  const left: OpenFiring[] = [];
  for (const f of [...open].sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime())) {
    const newest = opts.newest;
    if (opts.catchUp === 'latest' && newest && f.fireAt < newest && !leased(f)) {
      const error = `superseded by the firing at ${newest.toISOString()}`;
      close.push({
        fireAt: f.fireAt,
        state: f.attempts > 0 ? 'failed' : 'skipped',
        error: f.error ? `${error}; last error: ${f.error}` : error,
      });
    } else if (f.nextAttemptAt.getTime() <= now && now - f.fireAt.getTime() > opts.maxLatenessMs) {
      close.push(giveUpLate(f, now - f.fireAt.getTime(), opts.maxLatenessMs));
    } else {
      left.push(f);
    }
  }
  const live = left.filter(leased);
  const claim = live.length > 0 ? undefined : left.find((f) => f.nextAttemptAt.getTime() <= now);
  // Nothing runs before a live lease ends; otherwise the earliest retry time (all in the future,
  // since a runnable firing would have been claimed).
  const blockers = claim ? [] : live.length > 0 ? live : left;
  const times = blockers.map((f) => f.nextAttemptAt.getTime());
  return { close, claim, nextOpenAt: times.length > 0 ? new Date(Math.min(...times)) : undefined };
}

function giveUpLate(f: OpenFiring, lateMs: number, maxLatenessMs: number): Closing {
  const limit = `${lateMs} ms late, over maxLatenessMs ${maxLatenessMs}`;
  if (f.attempts === 0) return { fireAt: f.fireAt, state: 'skipped', error: `skipped: ${limit}` };
  const last =
    f.state === 'running'
      ? `the lease of attempt ${f.attempts} ran out (its replica stopped or hung)`
      : (f.error ?? `attempt ${f.attempts} failed`);
  return { fireAt: f.fireAt, state: 'failed', error: `${last}; given up: ${limit}` };
}

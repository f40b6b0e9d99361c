// When a job is due. Pure: every instant is passed in, so the scheduler can read them from its clock
// and from job_firings, and tests can pass anything.
//
// Cron expressions are read on the wall clock of the business time zone, with cron's rule for the
// days the clocks change (DST). Vixie cron, and ISC cron after it, treat a *fixed-time* job (no `*`
// in its minute or hour field) apart from a *wildcard* job:
//   - a fixed time that the clocks skip (spring forward) runs right after the jump: `30 2 * * *` in
//     America/New_York runs at 03:00 EDT on 2026-03-08;
//   - a fixed time that happens twice (fall back) runs once, the first time: `30 1 * * *` runs at
//     01:30 EDT on 2026-11-01, not again at 01:30 EST;
//   - a wildcard job follows real time: `0 * * * *` runs 23 times on the short day and 25 times on
//     the long one, and does not make up a skipped time.
// Sources: cron(8) of Debian's cron (https://manpages.debian.org/bookworm/cron/cron.8.en.html):
// "If the time has moved forwards, those jobs which would have run in the time that was skipped will
// be run soon after the change. Conversely, if the time has moved backwards by less than 3 hours,
// those jobs that fall into the repeated time will not be re-run. Only jobs that run at a particular
// time (not specified as @hourly, nor with '*' in the hour or minute specifier) are affected."; and
// the main loop of cron.c in ISC cron 4.1 (kept in OpenBSD's cron and in cronie): "timeDiff is a
// medium-sized positive number, for example because we went to DST run wildcard jobs once, then run
// any fixed-time jobs that would otherwise be skipped" and "negative num, eg. because of DST ending.
// Just run the wildcard jobs. The fixed-time jobs probably have already run, and should not be
// repeated."
//
// The arithmetic is croner's (https://github.com/Hexagon/croner, README "DST handling"), which
// implements that rule. With `fixedTimeRule: "no-wildcard"` a job is fixed-time when its seconds,
// minutes and hours hold no `*` and no step, so `0,30 2 * * *` is fixed as in Vixie cron; a range
// with a step but no `*` (`0-59/5 2 * * *`) counts as wildcard, where Vixie cron would call it fixed.
import { Cron } from 'croner';

/**
 * A cron expression (5 fields, or 6 with seconds first) read in the business time zone with cron's
 * DST rule (above), or a function giving the next fire time strictly after an instant (for times
 * computed in code, such as rotation handoffs); `undefined` means it never fires again.
 */
export type ScheduleSpec = string | ((after: Date) => Date | undefined);

export interface DueFirings {
  /** Scheduled instants t with after < t <= now, oldest first: the latest `limit` of them. */
  instants: Date[];
  /** True when earlier instants in the range were left out to respect `limit`. */
  more: boolean;
}

export interface Schedule {
  /** The cron expression, when there is one. */
  readonly cron?: string;
  /** The scheduled instants in (after, now], the latest `limit` (>= 1) of them. */
  due(after: Date, now: Date, limit: number): DueFirings;
  /** The first scheduled instant strictly after `after`, if any. */
  next(after: Date): Date | undefined;
}

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

// A function schedule is walked one step at a time; a bound stops a schedule that fires every
// millisecond, or a long outage of a per-second one, from blocking the event loop.
const MAX_WALK_STEPS = 100_000;

/** Throws ScheduleError naming the job for a cron expression that is not 5 or 6 valid fields. */
export function compileSchedule(job: string, spec: ScheduleSpec, timezone: string): Schedule {
  return typeof spec === 'string' ? cronSchedule(job, spec, timezone) : functionSchedule(job, spec);
}

function cronSchedule(job: string, expression: string, timezone: string): Schedule {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    throw new ScheduleError(
      `job "${job}": cron "${expression}" has ${fields} fields; write 5, or 6 with seconds first`,
    );
  }
  let cron: Cron;
  try {
    // No function: croner only computes here; it never arms a timer.
    cron = new Cron(expression, {
      timezone,
      paused: true,
      mode: '5-or-6-parts',
      fixedTimeRule: 'no-wildcard',
    });
  } catch (err) {
    throw new ScheduleError(`job "${job}": cron "${expression}" is not valid: ${(err as Error).message}`);
  }
  const previous = (before: Date): Date | undefined => cron.previousRuns(1, before)[0];
  return {
    cron: expression,
    due(after, now, limit) {
      const latestFirst: Date[] = [];
      // previousRuns is strictly before its reference; cron instants are whole seconds, so one
      // millisecond past now makes an instant equal to now count as due.
      let cursor = new Date(now.getTime() + 1);
      while (latestFirst.length < limit) {
        const t = previous(cursor);
        if (t === undefined || t.getTime() <= after.getTime())
          return { instants: latestFirst.reverse(), more: false };
        latestFirst.push(t);
        cursor = t;
      }
      const earlier = previous(cursor);
      return {
        instants: latestFirst.reverse(),
        more: earlier !== undefined && earlier.getTime() > after.getTime(),
      };
    },
    next(after) {
      return cron.nextRun(after) ?? undefined;
    },
  };
}

function functionSchedule(job: string, nextAfter: (after: Date) => Date | undefined): Schedule {
  const next = (after: Date): Date | undefined => {
    const t = nextAfter(after);
    if (t !== undefined && (Number.isNaN(t.getTime()) || t.getTime() <= after.getTime())) {
      // A schedule that does not move forward would loop forever.
      throw new ScheduleError(
        `job "${job}": schedule returned ${String(t)} for after=${after.toISOString()}`,
      );
    }
    return t;
  };
  return {
    due(after, now, limit) {
      const instants: Date[] = [];
      let more = false;
      let cursor = after;
      for (let step = 0; step < MAX_WALK_STEPS; step++) {
        const t = next(cursor);
        if (t === undefined || t.getTime() > now.getTime()) return { instants, more };
        instants.push(t);
        if (instants.length > limit) {
          instants.shift();
          more = true;
        }
        cursor = t;
      }
      throw new ScheduleError(
        `job "${job}": more than ${MAX_WALK_STEPS} firings since ${after.toISOString()}`,
      );
    },
    next,
  };
}

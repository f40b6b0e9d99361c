// A one-shot timer at an instant, for the scheduler's wake-ups. node-schedule keeps the timer (it
// copes with instants further ahead than setTimeout can reach); this only adds the case it refuses.
import nodeSchedule from 'node-schedule';

export interface WakeUp {
  /** The instant it was armed for (ms since the epoch). */
  readonly at: number;
  cancel(): void;
}

/** Calls `fire` once at `at` on the real clock, or at once if `at` has already passed. */
export function wakeUpAt(at: Date, fire: () => void): WakeUp {
  const job = nodeSchedule.scheduleJob(at, fire);
  if (job) return { at: at.getTime(), cancel: () => job.cancel() };
  // node-schedule refuses an instant already past (the event loop was slow): fire at once.
  const t = setTimeout(fire, 0);
  return { at: at.getTime(), cancel: () => clearTimeout(t) };
}

// When an investigation's assignee is reminded of its reply deadline, and when it is overdue. The
// lead is counted in business time (domain/business-time.ts: business hours of business days in the
// business time zone), the overdue instant on the wall clock:
//
// - before: once the business time left to the effective deadline (the promised one moved by the
//   time spent waiting for the customer, effectiveDeadline) is at most the lead (2 business hours by
//   default). With 09:00-18:00, "2 business hours before" Monday 10:00 is Friday 17:00 (one hour on
//   Friday, one on Monday morning), and before Saturday 12:00 it is Friday 16:00. A request whose
//   promised deadline was no more than the lead (in business time) after it was filed gets no such
//   reminder: it was just filed, the assignee's DM says when it is due.
// - overdue: at the effective deadline itself.
// - nothing while it waits for the customer (the clock is paused) or once it is resolved.
//
// Each reminder is owed once per effective deadline: its key names the stage and the deadline's
// instant, so a deadline moved by a wait (resumed later) is reminded of again. Pure: the clock and the
// calendar are arguments.
import { businessMsBetween, type BusinessCalendar } from './business-time.ts';
import { effectiveDeadline, type Investigation } from './investigation.ts';

/** 'before': the DM to the assignee ahead of the deadline; 'overdue': the channel told at the deadline. */
export type ReminderStage = 'before' | 'overdue';

/** The reminder lead when toban.yml gives none: two business hours, in milliseconds. */
export const DEFAULT_REMIND_BEFORE_MS = 2 * 3_600_000;

/** What a reminder is due for one investigation at one instant. */
export interface DueReminder {
  stage: ReminderStage;
  /** The effective deadline it is about. */
  deadline: Date;
  /** Business milliseconds left to it (0 once overdue). */
  leftMs: number;
}

/**
 * The reminder due for `inv` at `now` with a lead of `leadMs` business milliseconds, or undefined
 * (see the module comment). Whether it was already sent is the caller's (its key, reminderKey).
 */
export function dueReminder(
  inv: Pick<Investigation, 'deadline' | 'status' | 'waitedMs' | 'createdAt'>,
  now: Date,
  leadMs: number,
  cal: BusinessCalendar,
): DueReminder | undefined {
  const deadline = effectiveDeadline(inv);
  if (!deadline) return undefined;
  if (now.getTime() >= deadline.getTime()) return { stage: 'overdue', deadline, leftMs: 0 };
  const leftMs = businessMsBetween(now, deadline, cal);
  if (leftMs > leadMs) return undefined;
  if (businessMsBetween(inv.createdAt, inv.deadline, cal) <= leadMs) return undefined;
  return { stage: 'before', deadline, leftMs };
}

/**
 * The investigation_events request_key recording a reminder: `reminder:<id>:<stage>:<deadline ms>`.
 * Unique in the table, so a reminder is written once however many replicas or re-runs try.
 */
export function reminderKey(id: string, stage: ReminderStage, deadline: Date): string {
  return `reminder:${id}:${stage}:${deadline.getTime()}`;
}

// SQL of investigation reminders (services/investigations/reminders.ts): the requests whose effective
// deadline (deadline + waited_ms) comes before an instant, not yet told overdue for that deadline.
// A reminder is an investigation_events row ('reminded' / 'overdue') under the request_key
// `reminder:<id>:<stage>:<effective deadline ms>` (domain/investigation-reminders.ts, reminderKey).
import type { Status } from '../domain/investigation.ts';
import type { Queryable } from './pool.ts';

/** An investigation a reminder may be due for. */
export interface ReminderCandidate {
  id: string;
  status: Status;
  deadline: Date;
  waitedMs: number;
  createdAt: Date;
  /** Whether the 'before' reminder of its current effective deadline was sent. */
  remindedBefore: boolean;
}

/** The effective deadline's milliseconds since the epoch, as reminderKey writes them. */
const DEADLINE_MS = `(floor(extract(epoch FROM i.deadline) * 1000)::bigint + i.waited_ms)`;

/**
 * Requests open or taken whose effective deadline is before `until`, not yet told overdue for it,
 * soonest first, at most `limit`. Requests waiting for the customer or resolved are left out.
 */
export async function reminderCandidates(
  db: Queryable,
  until: Date,
  limit: number,
): Promise<ReminderCandidate[]> {
  const { rows } = await db.query<ReminderCandidate>(
    `SELECT i.id::text, i.status, i.deadline, i.waited_ms::float8 AS "waitedMs", i.created_at AS "createdAt",
            EXISTS (SELECT 1 FROM investigation_events e
                     WHERE e.request_key = 'reminder:' || i.id || ':before:' || ${DEADLINE_MS}) AS "remindedBefore"
       FROM investigations i
      WHERE i.status IN ('open', 'taken')
        AND i.deadline < $1 -- waited_ms >= 0: lets the index on open deadlines narrow it
        AND i.deadline + i.waited_ms * interval '1 millisecond' < $1
        AND NOT EXISTS (SELECT 1 FROM investigation_events e
                         WHERE e.request_key = 'reminder:' || i.id || ':overdue:' || ${DEADLINE_MS})
      ORDER BY i.deadline + i.waited_ms * interval '1 millisecond', i.id
      LIMIT $2`,
    [until, limit],
  );
  return rows;
}

// SQL behind `/investigate list | show | stats` (commands/investigate.ts): read-only views of the
// investigations (migrations 0290, 0330) and their event log.
import type { Category, Status } from '../domain/investigation.ts';
import type { EventWhat, InvestigationRow } from './investigations.ts';
import { investigationById } from './investigations.ts';
import type { Queryable } from './pool.ts';

/** Which requests `/investigate list` shows (see listInvestigations). */
export type ListFilter = 'open' | 'mine' | 'overdue';

/** One line of a list: enough to find the request and see where it stands. */
export interface ListedInvestigation {
  id: string;
  customer: string;
  category: Category;
  status: Status;
  deadline: Date;
  /** Business milliseconds waited for the customer so far. */
  waitedMs: number;
  /** The deadline as it stands (moved by the waits): domain/investigation.ts effectiveDeadline. */
  dueAt: Date;
  assignee: string | null;
  requester: string;
  urgency: 'normal' | 'urgent';
}

/**
 * The requests of `filter`, soonest deadline first, at most `limit`, and how many there are in all.
 * open: open, taken or waiting; mine: not resolved and assigned to or filed by `userId`; overdue:
 * open or taken with the effective deadline (due_at: moved by the waits) before `now` (a request
 * waiting for the customer cannot be late).
 */
export async function listInvestigations(
  db: Queryable,
  q: { filter: ListFilter; userId: string; now: Date; limit: number },
): Promise<{ items: ListedInvestigation[]; total: number }> {
  const [where, params] = {
    open: [`status IN ('open', 'taken', 'waiting')`, []],
    mine: [`status <> 'resolved' AND (assignee = $2 OR requester = $2)`, [q.userId]],
    overdue: [`status IN ('open', 'taken') AND due_at < $2`, [q.now]],
  }[q.filter] as [string, unknown[]];
  const { rows } = await db.query<ListedInvestigation & { total: number }>(
    `SELECT id::text, customer, category, status, deadline, waited_ms::float8 AS "waitedMs", due_at AS "dueAt", assignee,
            requester, urgency, count(*) OVER ()::int AS total
       FROM investigations
      WHERE ${where}
      ORDER BY due_at, id
      LIMIT $1`,
    [q.limit, ...params],
  );
  return { items: rows.map(({ total: _total, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** One entry of an investigation's log. */
export interface InvestigationEvent {
  at: Date;
  actor: string;
  what: EventWhat;
  detail: Record<string, unknown>;
}

/** The investigation and its log in order; undefined when there is no such id. */
export async function investigationWithEvents(
  db: Queryable,
  id: string,
): Promise<{ investigation: InvestigationRow; events: InvestigationEvent[] } | undefined> {
  const investigation = await investigationById(db, id);
  if (!investigation) return undefined;
  const { rows } = await db.query<InvestigationEvent>(
    `SELECT at, actor, what, detail FROM investigation_events WHERE investigation_id = $1 ORDER BY at, id`,
    [id],
  );
  return { investigation, events: rows };
}

/** An investigation of a month, as the month's statistics read it. */
export interface MonthInvestigation {
  id: string;
  createdAt: Date;
  requester: string;
  assignee: string | null;
  customer: string;
  reference: string | null;
  category: Category;
  status: Status;
  question: string;
  deadline: Date;
  waitedMs: number;
  dueAt: Date;
  resolvedAt: Date | null;
  /** The waits for the customer, in order: from a 'waiting' event to the next 'resumed' or 'resolved' (or null: still waiting). */
  waits: { from: Date; to: Date | null }[];
}

/** At most this many investigations are read for one month's statistics (far above a month's volume). */
export const MONTH_ROWS_MAX = 5_000;

/**
 * The investigations filed in [from, to), oldest first, each with its waits for the customer read
 * from its log. Throws database errors.
 */
export async function investigationsFiledBetween(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<MonthInvestigation[]> {
  const { rows } = await db.query<
    Omit<MonthInvestigation, 'waits'> & { marks: { what: string; at: string }[] }
  >(
    `SELECT i.id::text, i.created_at AS "createdAt", i.requester, i.assignee, i.customer, i.reference,
            i.category, i.status, i.question, i.deadline, i.waited_ms::float8 AS "waitedMs", i.due_at AS "dueAt",
            i.resolved_at AS "resolvedAt",
            coalesce((SELECT jsonb_agg(jsonb_build_object('what', e.what, 'at', e.at) ORDER BY e.at, e.id)
                        FROM investigation_events e
                       WHERE e.investigation_id = i.id AND e.what IN ('waiting', 'resumed', 'resolved')),
                     '[]') AS marks
       FROM investigations i
      WHERE i.created_at >= $1 AND i.created_at < $2
      ORDER BY i.created_at, i.id
      LIMIT $3`,
    [from, to, MONTH_ROWS_MAX],
  );
  return rows.map(({ marks, ...r }) => ({ ...r, waits: waitsOf(marks) }));
}

/** Wait intervals from the log's marks: each 'waiting' ends at the next 'resumed' or 'resolved'. */
function waitsOf(marks: { what: string; at: string }[]): MonthInvestigation['waits'] {
  const waits: MonthInvestigation['waits'] = [];
  let since: Date | undefined;
  for (const m of marks) {
    if (m.what === 'waiting') since ??= new Date(m.at);
    else if (since) {
      waits.push({ from: since, to: new Date(m.at) });
      since = undefined;
    }
  }
  if (since) waits.push({ from: since, to: null });
  return waits;
}

// SQL of investigation requests (migrations 0290, 0295): the investigations, their event log and the
// latest :eyes: event of each person on their posts.
import type { Investigation, Status } from '../domain/investigation.ts';
import type { Queryable } from './pool.ts';

/** An investigation as stored (`id` is the bigint's decimal string). */
export interface InvestigationRow extends Investigation {
  requestKey: string | null;
  updatedAt: Date;
}

/** The columns of an InvestigationRow, as a SELECT or RETURNING list. */
export const COLUMNS = `id::text, requester, assignee, customer, reference, category, question, deadline, urgency,
  status, source, request_key AS "requestKey", created_at AS "createdAt", updated_at AS "updatedAt",
  month_close AS "monthClose", waiting_since AS "waitingSince", waited_ms::float8 AS "waitedMs",
  due_at AS "dueAt", answer,
  cause, ticket, resolved_at AS "resolvedAt", resolved_by AS "resolvedBy"`;

/** What filing stores; the lifecycle columns start empty (monthClose: false unless given). */
export type NewInvestigation = Omit<
  InvestigationRow,
  | 'id'
  | 'status'
  | 'createdAt'
  | 'updatedAt'
  | 'monthClose'
  | 'waitingSince'
  | 'waitedMs'
  | 'dueAt'
  | 'answer'
  | 'cause'
  | 'ticket'
  | 'resolvedAt'
  | 'resolvedBy'
> & {
  at: Date;
  monthClose?: boolean;
};

/**
 * Inserts an open investigation; undefined when one with the same request key exists (then read
 * it with byRequestKey). Run it in the transaction that writes its event and outbox rows.
 */
export async function insertInvestigation(
  db: Queryable,
  inv: NewInvestigation,
): Promise<InvestigationRow | undefined> {
  const { rows } = await db.query<InvestigationRow>(
    `INSERT INTO investigations (requester, assignee, customer, reference, category, question, deadline,
                                 urgency, status, source, request_key, created_at, updated_at, month_close)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11, $11, $12)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      inv.requester,
      inv.assignee,
      inv.customer,
      inv.reference,
      inv.category,
      inv.question,
      inv.deadline,
      inv.urgency,
      inv.source === null ? null : JSON.stringify(inv.source),
      inv.requestKey,
      inv.at,
      inv.monthClose ?? false,
    ],
  );
  return rows[0];
}

export async function byRequestKey(db: Queryable, key: string): Promise<InvestigationRow | undefined> {
  const { rows } = await db.query<InvestigationRow>(
    `SELECT ${COLUMNS} FROM investigations WHERE request_key = $1`,
    [key],
  );
  return rows[0];
}

export async function investigationById(db: Queryable, id: string): Promise<InvestigationRow | undefined> {
  const { rows } = await db.query<InvestigationRow>(`SELECT ${COLUMNS} FROM investigations WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** The investigation, locked for update until the transaction ends. */
export async function lockInvestigation(db: Queryable, id: string): Promise<InvestigationRow | undefined> {
  const { rows } = await db.query<InvestigationRow>(
    `SELECT ${COLUMNS} FROM investigations WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function setAssignment(
  db: Queryable,
  id: string,
  change: { assignee: string | null; status: Status; at: Date },
): Promise<InvestigationRow> {
  const { rows } = await db.query<InvestigationRow>(
    `UPDATE investigations SET assignee = $2, status = $3, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.assignee, change.status, change.at],
  );
  return rows[0]!;
}

/** What an investigation_events row records (migration 0330's CHECK lists the same). */
export type EventWhat =
  | 'filed'
  | 'taken'
  | 'released'
  | 'reassigned'
  | 'waiting'
  | 'resumed'
  | 'resolved'
  | 'reopened'
  | 'reminded'
  | 'overdue'
  | 'paged'
  | 'note';

/**
 * Appends to an investigation's log. With a `requestKey` already used, nothing is written and
 * undefined is returned: the request (a redelivered Slack event) was handled before.
 */
export async function insertEvent(
  db: Queryable,
  e: {
    investigationId: string;
    at: Date;
    actor: string;
    what: EventWhat;
    detail?: Record<string, unknown>;
    requestKey?: string;
  },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO investigation_events (investigation_id, at, actor, what, detail, request_key)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING id::text`,
    [e.investigationId, e.at, e.actor, e.what, JSON.stringify(e.detail ?? {}), e.requestKey ?? null],
  );
  return rows[0]?.id;
}

/** The investigation whose channel post is the message at channel/ts (recorded under ref investigation:<id>). */
export async function investigationPostedAt(
  db: Queryable,
  channel: string,
  ts: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT substr(ref, length('investigation:') + 1) AS id FROM slack_messages
      WHERE channel = $1 AND ts = $2 AND ref ~ '^investigation:[0-9]+$'`,
    [channel, ts],
  );
  return rows[0]?.id;
}

/** The ref an investigation's channel post is recorded under (outbox slack.post `ref`). */
export function postRef(id: string): string {
  return `investigation:${id}`;
}

/**
 * Slack's event_ts of the last take or release applied to the investigation (recorded in its event's
 * detail as eventTs), if one was recorded. Read under the investigation's lock.
 */
export async function lastAppliedReactionTs(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ ts: string }>(
    `SELECT detail->>'eventTs' AS ts FROM investigation_events
      WHERE investigation_id = $1 AND what IN ('taken', 'released') AND detail ? 'eventTs'
      ORDER BY id DESC LIMIT 1`,
    [id],
  );
  return rows[0]?.ts;
}

/** Slack's event_ts of the latest :eyes: event `userId` sent on the investigation's post, if any. */
export async function lastReactionTsOf(
  db: Queryable,
  id: string,
  userId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ ts: string }>(
    `SELECT event_ts AS ts FROM investigation_reactions WHERE investigation_id = $1 AND user_id = $2`,
    [id, userId],
  );
  return rows[0]?.ts;
}

/** Records `ts` as the latest :eyes: event of `userId` on the post (the caller checked it is not older). */
export async function recordReactionTs(db: Queryable, id: string, userId: string, ts: string): Promise<void> {
  await db.query(
    `INSERT INTO investigation_reactions (investigation_id, user_id, event_ts) VALUES ($1, $2, $3)
     ON CONFLICT (investigation_id, user_id) DO UPDATE SET event_ts = EXCLUDED.event_ts`,
    [id, userId, ts],
  );
}

/**
 * The investigations assigned to `userId` still open, taken or waiting for the customer (the App
 * Home): the running ones first, soonest deadline first, then the waiting ones. `deadline` is the
 * deadline moved by the earlier waits (domain effectiveDeadline, before a wait in progress).
 */
export async function heldInvestigations(
  db: Queryable,
  userId: string,
  limit: number,
): Promise<Pick<InvestigationRow, 'id' | 'customer' | 'deadline' | 'status' | 'waitingSince'>[]> {
  const { rows } = await db.query<
    Pick<InvestigationRow, 'id' | 'customer' | 'deadline' | 'status' | 'waitingSince'>
  >(
    `SELECT id::text, customer, deadline + waited_ms * interval '1 millisecond' AS deadline, status,
            waiting_since AS "waitingSince"
       FROM investigations
      WHERE assignee = $1 AND status IN ('open', 'taken', 'waiting')
      ORDER BY status = 'waiting', deadline + waited_ms * interval '1 millisecond', id LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

/** An investigation still being worked (status open or taken), as a handoff shows it. */
export type OpenInvestigation = Pick<
  InvestigationRow,
  'id' | 'assignee' | 'customer' | 'status' | 'deadline' | 'urgency'
>;

/**
 * The investigations open or taken, soonest deadline first, at most `limit`, and how many there are
 * in all (a handoff lists the first few and says how many more).
 */
export async function openInvestigations(
  db: Queryable,
  limit: number,
): Promise<{ items: OpenInvestigation[]; total: number }> {
  const { rows } = await db.query<OpenInvestigation & { total: number }>(
    `SELECT id::text, assignee, customer, status, deadline, urgency, count(*) OVER ()::int AS total
       FROM investigations WHERE status IN ('open', 'taken')
      ORDER BY deadline, id LIMIT $1`,
    [limit],
  );
  return { items: rows.map(({ total: _total, ...r }) => r), total: rows[0]?.total ?? 0 };
}

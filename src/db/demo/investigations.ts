// SQL that loads the demo investigation requests (src/demo/investigations.ts makes the rows).
import type { Queryable } from '../pool.ts';
import type { NewInvestigation } from '../investigations.ts';

/**
 * Inserts each request with its 'filed' event (and a 'taken' one for a taken request); a request
 * whose key (demo:<n>) is already stored is kept as it is, so loading twice changes nothing.
 * @returns how many were inserted.
 */
export async function insertDemoInvestigations(
  db: Queryable,
  rows: (NewInvestigation & { requestKey: string; takenBy?: string })[],
): Promise<number> {
  const { rows: inserted } = await db.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         requester text, assignee text, customer text, reference text, category text, question text,
         deadline timestamptz, urgency text, "requestKey" text, "takenBy" text, at timestamptz)
     ), ins AS (
       INSERT INTO investigations (requester, assignee, customer, reference, category, question, deadline,
                                   urgency, status, request_key, created_at, updated_at)
       SELECT requester, coalesce("takenBy", assignee), customer, reference, category, question, deadline,
              urgency, CASE WHEN "takenBy" IS NULL THEN 'open' ELSE 'taken' END, "requestKey", at, at
       FROM input
       ON CONFLICT (request_key) DO NOTHING
       RETURNING id, request_key, requester, assignee, created_at
     ), events AS (
       -- One statement for both kinds, so each request's 'filed' comes before its 'taken' in the log.
       INSERT INTO investigation_events (investigation_id, at, actor, what, detail)
       SELECT e.id, e.at, e.actor, e.what, e.detail FROM (
         SELECT ins.id, ins.created_at AS at, ins.requester AS actor, 'filed' AS what,
                jsonb_build_object('assignee', i.assignee) AS detail, 1 AS n
         FROM ins JOIN input i ON i."requestKey" = ins.request_key
         UNION ALL
         SELECT ins.id, ins.created_at, i."takenBy", 'taken', jsonb_build_object('from', i.assignee), 2
         FROM ins JOIN input i ON i."requestKey" = ins.request_key
         WHERE i."takenBy" IS NOT NULL
       ) e
       ORDER BY e.id, e.n
     )
     SELECT id::text FROM ins`,
    [JSON.stringify(rows)],
  );
  return inserted.length;
}

/** A demo history request (src/demo/investigation-history.ts) with its whole state and log but 'filed'. */
export interface DemoHistoryRow {
  requestKey: string;
  requester: string;
  assignee: string;
  customer: string;
  reference: string | null;
  category: string;
  question: string;
  deadline: Date;
  urgency: string;
  at: Date;
  status: 'taken' | 'waiting' | 'resolved';
  waitingSince: Date | null;
  /** Business milliseconds waited for the customer. */
  waitedMs: number;
  /** The deadline moved by the waits (undefined: the deadline). */
  dueAt?: Date;
  answer: string | null;
  cause: string | null;
  ticket: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  /** After the 'filed' event, which is written from `at` and `requester`. */
  events: { at: Date; actor: string; what: string; detail: Record<string, unknown> }[];
}

/**
 * Inserts the history requests with their logs ('filed', then `events`); one whose key is already
 * stored is kept as it is, so loading twice changes nothing. The rows satisfy migration 0330's
 * checks: resolved ⇔ resolved_at and answer; waiting ⇔ waiting_since.
 * @returns how many were inserted.
 */
export async function insertDemoHistory(db: Queryable, rows: DemoHistoryRow[]): Promise<number> {
  const { rows: inserted } = await db.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         "requestKey" text, requester text, assignee text, customer text, reference text, category text,
         question text, deadline timestamptz, urgency text, at timestamptz, status text,
         "waitingSince" timestamptz, "waitedMs" bigint, "dueAt" timestamptz, answer text, cause text, ticket text,
         "resolvedAt" timestamptz, "resolvedBy" text, events jsonb)
     ), ins AS (
       INSERT INTO investigations (requester, assignee, customer, reference, category, question, deadline,
                                   urgency, status, request_key, created_at, updated_at, waiting_since,
                                   waited_ms, due_at, answer, cause, ticket, resolved_at, resolved_by)
       SELECT requester, assignee, customer, reference, category, question, deadline, urgency, status,
              "requestKey", at, coalesce("resolvedAt", "waitingSince", at), "waitingSince", "waitedMs",
              coalesce("dueAt", deadline), answer, cause, ticket, "resolvedAt", "resolvedBy"
         FROM input ORDER BY at
       ON CONFLICT (request_key) DO NOTHING
       RETURNING id, request_key
     ), events AS (
       INSERT INTO investigation_events (investigation_id, at, actor, what, detail)
       SELECT e.id, e.at, e.actor, e.what, e.detail FROM (
         SELECT ins.id, i.at, i.requester AS actor, 'filed' AS what,
                jsonb_build_object('assignee', i.assignee) AS detail, 0 AS n
           FROM ins JOIN input i ON i."requestKey" = ins.request_key
         UNION ALL
         SELECT ins.id, (ev->>'at')::timestamptz, ev->>'actor', ev->>'what', ev->'detail', o.n::int
           FROM ins JOIN input i ON i."requestKey" = ins.request_key,
                jsonb_array_elements(i.events) WITH ORDINALITY AS o(ev, n)
       ) e
       ORDER BY e.id, e.n
     )
     SELECT id::text FROM ins`,
    [JSON.stringify(rows)],
  );
  return inserted.length;
}

/**
 * A demo ledger order placed in the two weeks before `before` (the `n`-th of them, counting round),
 * for a money question to name; undefined when the ledger has none (it is not loaded).
 */
export async function demoOrderBefore(db: Queryable, before: Date, n: number): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `WITH near AS (
       SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total
         FROM ledger.orders
        WHERE ordered_on < $1::timestamptz::date AND ordered_on >= $1::timestamptz::date - 14
     )
     SELECT id FROM near WHERE k = $2::bigint % total`,
    [before, n],
  );
  return rows[0]?.id;
}

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

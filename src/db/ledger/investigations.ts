// Investigations still open from a month, for the month-close check. The investigations table
// belongs to another part of toban and may not exist yet: then the check is skipped. Columns are
// read through to_jsonb so this query does not break when that table's shape changes.
import type { Queryable } from '../pool.ts';

const CLOSED = ['answered', 'closed', 'resolved', 'done', 'cancelled', 'canceled'];

export async function openInvestigations(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<{ open: number | null; reason?: string }> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('investigations')::text AS t`);
  if (!rows[0]?.t) return { open: null, reason: 'no investigations table' };
  try {
    const r = await db.query<{ open: string }>(
      `SELECT count(*) AS open FROM investigations i
        WHERE coalesce(to_jsonb(i) ->> 'created_at', to_jsonb(i) ->> 'opened_at')::timestamptz >= $1
          AND coalesce(to_jsonb(i) ->> 'created_at', to_jsonb(i) ->> 'opened_at')::timestamptz < $2
          AND coalesce(to_jsonb(i) ->> 'closed_at', to_jsonb(i) ->> 'answered_at', to_jsonb(i) ->> 'resolved_at') IS NULL
          AND coalesce(to_jsonb(i) ->> 'status', to_jsonb(i) ->> 'state', 'open') <> ALL ($3::text[])`,
      [from, to, CLOSED],
    );
    return { open: Number(r.rows[0]!.open) };
  } catch (err) {
    return { open: null, reason: `investigations not readable: ${(err as Error).message}` };
  }
}

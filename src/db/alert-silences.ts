// SQL of silences (migration 0410): toban's record of every silence, Alertmanager-backed or a local
// mute, and the local mutes in force.
import type { Matcher, Mute } from '../domain/silence.ts';
import type { Queryable } from './pool.ts';

export type SilenceBackend = 'alertmanager' | 'local';

/** One silence as toban stores it. Ids are decimal strings. */
export interface SilenceRow {
  id: string;
  backend: SilenceBackend;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
  /** The outbox row that creates it in Alertmanager (backend 'alertmanager'). */
  createOutboxId: string | null;
  expiredAt: Date | null;
  expiredBy: string | null;
}

const COLUMNS = `id::text, backend, matchers, starts_at AS "startsAt", ends_at AS "endsAt",
  created_by AS "createdBy", comment, create_outbox_id::text AS "createOutboxId",
  expired_at AS "expiredAt", expired_by AS "expiredBy"`;

export interface NewSilence {
  backend: SilenceBackend;
  matchers: readonly Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
  requestKey?: string;
}

/** Inserts a silence; undefined when one with the same request key exists (see silenceByKey). */
export async function insertSilence(db: Queryable, s: NewSilence): Promise<SilenceRow | undefined> {
  const { rows } = await db.query<SilenceRow>(
    `INSERT INTO alert_silences (backend, matchers, starts_at, ends_at, created_by, comment, request_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      s.backend,
      JSON.stringify(s.matchers),
      s.startsAt,
      s.endsAt,
      s.createdBy,
      s.comment,
      s.requestKey ?? null,
    ],
  );
  return rows[0];
}

export async function silenceByKey(db: Queryable, requestKey: string): Promise<SilenceRow | undefined> {
  const { rows } = await db.query<SilenceRow>(
    `SELECT ${COLUMNS} FROM alert_silences WHERE request_key = $1`,
    [requestKey],
  );
  return rows[0];
}

/** The silence `id`; `lock`: FOR UPDATE (an unsilence, serialised with another). */
export async function silenceById(db: Queryable, id: string, lock = false): Promise<SilenceRow | undefined> {
  const { rows } = await db.query<SilenceRow>(
    `SELECT ${COLUMNS} FROM alert_silences WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function setCreateOutbox(db: Queryable, id: string, outboxId: string): Promise<void> {
  await db.query('UPDATE alert_silences SET create_outbox_id = $2 WHERE id = $1', [id, outboxId]);
}

/** Marks the silence expired by `by` at `at`; undefined when it was expired already. */
export async function markExpired(
  db: Queryable,
  id: string,
  at: Date,
  by: string,
): Promise<SilenceRow | undefined> {
  const { rows } = await db.query<SilenceRow>(
    `UPDATE alert_silences SET expired_at = $2, expired_by = $3
     WHERE id = $1 AND expired_at IS NULL RETURNING ${COLUMNS}`,
    [id, at, by],
  );
  return rows[0];
}

/** Alertmanager's id of a silence, once its create row has been delivered (outbox.result). */
export async function alertmanagerIdOf(db: Queryable, createOutboxId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string | null }>(
    `SELECT result->>'alertmanagerId' AS id FROM outbox WHERE id = $1 AND state = 'delivered'`,
    [createOutboxId],
  );
  return rows[0]?.id ?? undefined;
}

/** The local mutes not expired and not ended at `now` (those starting later included). */
export async function localMutes(db: Queryable, now: Date): Promise<Mute[]> {
  const { rows } = await db.query<Mute>(
    `SELECT matchers, starts_at AS "startsAt", ends_at AS "endsAt" FROM alert_silences
     WHERE backend = 'local' AND expired_at IS NULL AND ends_at > $1`,
    [now],
  );
  return rows;
}

/** The silences not expired and not ended at `now`, newest first (for /alerts and the buttons). */
export async function silencesInForce(db: Queryable, now: Date): Promise<SilenceRow[]> {
  const { rows } = await db.query<SilenceRow>(
    `SELECT ${COLUMNS} FROM alert_silences WHERE expired_at IS NULL AND ends_at > $1 ORDER BY id DESC`,
    [now],
  );
  return rows;
}

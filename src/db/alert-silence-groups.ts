// SQL of silences shown on alert groups (services/alerts/silence-groups.ts): which open groups a
// silence may be shown on, the group taking a silence or giving it up (each one UPDATE whose WHERE
// holds the rule, so two replicas or a re-run change a group once and move its `version` once), and
// the ended silences whose end is not shown yet (migration 0470).
import { GROUP_COLUMNS, type ActionGroupRow } from './alert-actions.ts';
import type { AlertSource } from '../domain/alert.ts';
import type { SilenceRow } from './alert-silences.ts';
import type { Queryable } from './pool.ts';

/** What matching a silence against a group needs. */
export interface GroupLabels {
  id: string;
  source: AlertSource;
  labels: Record<string, string>;
  /** The end of the silence it shows, if any. */
  silenced_until: Date | null;
}

/**
 * The open groups with a message that show no silence lasting until `until` or later (none, or one
 * ending before), oldest first; `source`: only that source's groups.
 */
export async function groupsShowingNoSilenceUntil(
  db: Queryable,
  until: Date,
  source?: AlertSource,
): Promise<GroupLabels[]> {
  const { rows } = await db.query<GroupLabels>(
    `SELECT id::text AS id, source, labels, silenced_until FROM alert_groups
      WHERE state = 'open' AND has_message AND (silenced_until IS NULL OR silenced_until < $1)
        AND ($2::text IS NULL OR source = $2)
      ORDER BY id`,
    [until, source ?? null],
  );
  return rows;
}

/**
 * Group `id` shows silence `s` (made by s.createdBy, until s.endsAt), one version on; undefined when
 * it is not open with a message, shows a silence lasting as long already (a second replica, a
 * re-run), or the silence has ended meanwhile. The silence row is share-locked: an unsilence or the
 * job showing its end (which lock it for update) comes after this and finds the group, or came
 * before and this takes nothing, so no group keeps showing an ended silence. `skipLocked`: undefined
 * at once when another transaction holds the group's row (a Silence submission holding its own
 * group's lock must not wait for another group's: two such submissions would deadlock; the silence
 * job shows it there within a minute).
 */
export async function takeSilence(
  db: Queryable,
  id: string,
  s: Pick<SilenceRow, 'id' | 'endsAt' | 'createdBy'>,
  skipLocked = false,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `UPDATE alert_groups g SET silence_id = $2, silenced_until = $3, silenced_by = $4, version = g.version + 1
      WHERE g.id = $1 AND g.state = 'open' AND g.has_message
        AND (g.silenced_until IS NULL OR g.silenced_until < $3)
        AND (NOT $5::boolean OR g.id IN (SELECT l.id FROM alert_groups l WHERE l.id = $1 FOR UPDATE SKIP LOCKED))
        AND EXISTS (SELECT 1 FROM alert_silences s
                     WHERE s.id = $2 AND s.expired_at IS NULL AND s.ended_shown_at IS NULL FOR SHARE)
      RETURNING ${GROUP_COLUMNS}`,
    [id, s.id, s.endsAt, s.createdBy, skipLocked],
  );
  return rows[0];
}

/**
 * The open groups with a message that show silence `silenceId`, oldest first, at most `limit`,
 * locked (FOR UPDATE: the end is shown once however many replicas try).
 */
export async function groupsHolding(db: Queryable, silenceId: string, limit: number): Promise<GroupLabels[]> {
  const { rows } = await db.query<GroupLabels>(
    `SELECT id::text AS id, source, labels, silenced_until FROM alert_groups
      WHERE silence_id = $1 AND state = 'open' AND has_message
      ORDER BY id LIMIT $2 FOR UPDATE`,
    [silenceId, limit],
  );
  return rows;
}

/**
 * Clears silence `silenceId` from the groups no message shows any more (resolved, or folded into a
 * storm): nothing to update in Slack, but /alerts must not show it.
 */
export async function dropFromHiddenGroups(db: Queryable, silenceId: string): Promise<void> {
  await db.query(
    `UPDATE alert_groups SET silence_id = NULL, silenced_until = NULL, silenced_by = NULL
      WHERE silence_id = $1 AND NOT (state = 'open' AND has_message)`,
    [silenceId],
  );
}

/**
 * Group `id` gives up silence `oldId` for `next` (another silence in force that matches it) or none,
 * one version on; undefined when it no longer holds `oldId`.
 */
export async function giveUpSilence(
  db: Queryable,
  id: string,
  oldId: string,
  next: Pick<SilenceRow, 'id' | 'endsAt' | 'createdBy'> | undefined,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `UPDATE alert_groups g SET silence_id = $3, silenced_until = $4, silenced_by = $5, version = g.version + 1
      WHERE g.id = $1 AND g.silence_id = $2
      RETURNING ${GROUP_COLUMNS}`,
    [id, oldId, next?.id ?? null, next?.endsAt ?? null, next?.createdBy ?? null],
  );
  return rows[0];
}

const SILENCE_COLUMNS = `id::text, backend, matchers, starts_at AS "startsAt", ends_at AS "endsAt",
  created_by AS "createdBy", comment, create_outbox_id::text AS "createOutboxId",
  expired_at AS "expiredAt", expired_by AS "expiredBy"`;

/**
 * The silences that ended (expired by someone, or past ends_at at `now`) whose end is not shown yet,
 * oldest first, at most `limit`, locked; SKIP LOCKED: a second replica takes others or none.
 */
export async function endedUnshown(db: Queryable, now: Date, limit: number): Promise<SilenceRow[]> {
  const { rows } = await db.query<SilenceRow>(
    `SELECT ${SILENCE_COLUMNS} FROM alert_silences
      WHERE ended_shown_at IS NULL AND (expired_at IS NOT NULL OR ends_at <= $1)
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}

/** Records that the end of silence `id` is shown on every group that held it. */
export async function markEndShown(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query('UPDATE alert_silences SET ended_shown_at = $2 WHERE id = $1 AND ended_shown_at IS NULL', [
    id,
    at,
  ]);
}

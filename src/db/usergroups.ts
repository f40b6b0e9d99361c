// SQL of the Slack user groups toban keeps (migration 0310): the members it last set in each, so a
// group is set only when the people on duty change.
import type { Queryable } from './pool.ts';

/**
 * Holds the group's lock until the transaction ends: two replicas recording handoffs of two rotations
 * that share the group compare and set its members one at a time.
 */
export async function lockUsergroup(db: Queryable, usergroup: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('toban.usergroup:' || $1))`, [usergroup]);
}

/** The members toban last set in the group (sorted), or undefined when it never set them. */
export async function usergroupMembers(db: Queryable, usergroup: string): Promise<string[] | undefined> {
  const { rows } = await db.query<{ users: string[] }>(
    'SELECT users FROM rotation_usergroups WHERE usergroup = $1',
    [usergroup],
  );
  return rows[0]?.users;
}

/** Records `users` (sorted, no repeats) as the group's members from `at`. */
export async function setUsergroupMembers(
  db: Queryable,
  usergroup: string,
  users: readonly string[],
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO rotation_usergroups (usergroup, users, set_at) VALUES ($1, $2, $3)
     ON CONFLICT (usergroup) DO UPDATE SET users = EXCLUDED.users, set_at = EXCLUDED.set_at`,
    [usergroup, users, at],
  );
}

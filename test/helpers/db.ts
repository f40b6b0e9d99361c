// A fresh database per test file, cloned from the migrated template (see global-setup.ts).
//
// Two connections, as in production: `url` / `pool` are the bot's (a login role in toban_app, no
// owner, no superuser), for the code under test; `ownerUrl` / `ownerPool` are the owner's, for what
// only the owner may do: loading ledger and sales data, TRUNCATE between tests, tampering on purpose.
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool, type Pool } from '../../src/db/pool.ts';

export interface TestDatabase {
  /** The bot's connection (DATABASE_URL). */
  url: string;
  pool: Pool;
  /** The owner's connection (DATABASE_OWNER_URL). */
  ownerUrl: string;
  ownerPool: Pool;
  /** The bot's role name. */
  botRole: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, db: string, user?: { name: string; password: string }): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}

export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('dbAdminUrl');
  const template = inject('dbTemplate');
  const botRole = inject('dbBotRole');
  const ppid = template.replace('toban_template_', '');
  const name = `toban_t_${ppid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    // A clone does not inherit the template's database privileges: give it what migration 0260 and
    // the README's set-up give a real one (only this run's bot may connect; nobody gets TEMPORARY).
    await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${name} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE ${name} TO ${botRole}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(adminUrl, name);
  const url = withDatabase(adminUrl, name, { name: botRole, password: inject('dbBotPassword') });
  const pool = createPool(url, { max: 5 });
  const ownerPool = createPool(ownerUrl, { max: 3 });
  return {
    url,
    pool,
    ownerUrl,
    ownerPool,
    botRole,
    async drop() {
      await pool.end();
      await ownerPool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Tuples of `table` read by `fn`, from PostgreSQL's statistics of one transaction (rolled back), on
 * a connection of its own to `url`: a pooled backend's statistics not yet flushed (about once a
 * second) would add the reads of its earlier transactions. A count, not a duration.
 */
export async function tuplesRead(
  url: string,
  table: string,
  fn: (c: pg.PoolClient) => Promise<unknown>,
): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    await fn(c as unknown as pg.PoolClient);
    const { rows } = await c.query<{ n: string }>(
      `SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS n
       FROM pg_stat_xact_user_tables WHERE relname = $1`,
      [table],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await c.query('ROLLBACK');
    await c.end();
  }
}

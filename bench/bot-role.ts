// The benches start toban as production does (README "Database roles"): the migrations run as the
// owner (the bench server's superuser), the bot as a login role of its own in toban_app, let into
// the bench database by name. toban refuses a superuser DATABASE_URL.
import crypto from 'node:crypto';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';

export interface BenchBot {
  /** The bot's connection to the same database (DATABASE_URL); `ownerUrl` is DATABASE_OWNER_URL. */
  url: string;
  /** Drops the role; call it after the database is dropped (a role with a privilege on one stays). */
  drop(): Promise<void>;
}

/**
 * Migrates the database of `ownerUrl` and makes a bot role for it; `adminUrl` (the server's
 * maintenance connection) drops the role at the end. Throws pg's errors.
 */
export async function benchBot(adminUrl: string, ownerUrl: string): Promise<BenchBot> {
  await migrate(ownerUrl);
  const role = `toban_bench_bot_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('hex');
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE toban_app`);
    await c.query(
      `GRANT CONNECT ON DATABASE ${c.escapeIdentifier(new URL(ownerUrl).pathname.slice(1))} TO ${role}`,
    );
  } finally {
    await c.end();
  }
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP ROLE IF EXISTS ${role}`);
      await d.end();
    },
  };
}

// The two database roles (ARCHITECTURE.md rule 6): migrations run as the tables' owner; the bot runs
// as a login role that is a member of the NOLOGIN role toban_app (migrations/0200_app_role.sql),
// which may read and write its working tables, append to the audit log and read ledger and sales.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { writePrivateFile } from '../core/private-files.ts';

/** The embedded server's login role for the bot. */
export const EMBEDDED_BOT_ROLE = 'toban_bot';
/** Its generated password, beside the superuser's, mode 0600. */
export const BOT_PASSWORD_FILE = 'pg.bot-password';

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The role can log in with `botUrl` and is what it must be: no superuser or other power, in toban_app. */
async function soundBotRole(botUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: botUrl, application_name: 'toban (role check)' });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT NOT (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)
              AND pg_has_role(current_user, 'toban_app', 'USAGE') AS ok
         FROM pg_roles WHERE rolname = current_user`,
    );
    return rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Catalogue updates that lose to a concurrent one (two tobans' first start at once): worth a retry. */
function raced(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === '40001' || /concurrently updated/.test(e.message ?? '');
}

/**
 * Embedded PostgreSQL: makes sure the login role `toban_bot` exists, is no superuser, may not create
 * roles or databases, belongs to toban_app, may connect to the database of `ownerUrl` and has the
 * password kept in `<dataDir>/pg.bot-password` (generated on first use). `ownerUrl` is the superuser's connection.
 * Changes nothing when the role already is so. Returns the bot's connection URL (same host, port
 * and database). Throws pg's errors.
 */
export async function ensureEmbeddedBotRole(ownerUrl: string, dataDir: string): Promise<string> {
  const file = path.join(dataDir, BOT_PASSWORD_FILE);
  if (!fs.existsSync(file)) writePrivateFile(file, crypto.randomBytes(18).toString('base64url'));
  else fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, 'utf8').trim();
  const botUrl = withUser(ownerUrl, EMBEDDED_BOT_ROLE, password);
  if (await soundBotRole(botUrl)) return botUrl;
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: ownerUrl, application_name: 'toban (roles)' });
    await client.connect();
    try {
      await client.query(`DO $$
        BEGIN
          CREATE ROLE ${EMBEDDED_BOT_ROLE} LOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$`);
      // A role or a password changed by hand is put back as it must be.
      await client.query(
        `ALTER ROLE ${EMBEDDED_BOT_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`,
      );
      await client.query(`GRANT toban_app TO ${EMBEDDED_BOT_ROLE}`);
      // The database is closed to PUBLIC (migration 0260): this deployment's bot is let in by name.
      const { rows } = await client.query<{ db: string }>(`SELECT current_database() AS db`);
      await client.query(
        `GRANT CONNECT ON DATABASE ${client.escapeIdentifier(rows[0]!.db)} TO ${EMBEDDED_BOT_ROLE}`,
      );
      return botUrl;
    } catch (err) {
      if (attempt >= 3 || !raced(err)) throw err;
    } finally {
      await client.end();
    }
  }
}

export interface BotRoleFacts {
  role: string;
  /** The database connected to. */
  database: string;
  superuser: boolean;
  /** Has the privileges of the role owning audit_log (is it, or a member of it); false before migrations. */
  ownsTables: boolean;
  /** Has the privileges of toban_app; false while toban_app does not exist. */
  inApp: boolean;
  /** Every role may connect to this database (CONNECT granted to PUBLIC; migration 0260 takes it). */
  publicConnect: boolean;
}

/** What the bot's connection really is (asked, not guessed from the URL). Throws pg's errors. */
export async function botRoleFacts(botUrl: string): Promise<BotRoleFacts> {
  const client = new pg.Client({ connectionString: botUrl, application_name: 'toban (role check)' });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<BotRoleFacts>(
      `SELECT current_user AS role,
              current_database() AS database,
              r.rolsuper AS superuser,
              coalesce((SELECT pg_has_role(current_user, c.relowner, 'USAGE')
                          FROM pg_class c WHERE c.oid = to_regclass('public.audit_log')), false) AS "ownsTables",
              coalesce((SELECT pg_has_role(current_user, a.oid, 'USAGE')
                          FROM pg_roles a WHERE a.rolname = 'toban_app'), false) AS "inApp",
              has_database_privilege('public', current_database(), 'CONNECT') AS "publicConnect"
         FROM pg_roles r
        WHERE r.rolname = current_user`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

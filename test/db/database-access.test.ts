// Who can reach this deployment's database, and what a temporary table can do (outside security
// review of issue 7, findings 1 and 2):
// - a SECURITY DEFINER function resolves every name it uses to toban's own objects, whatever
//   temporary table the caller made (PostgreSQL searches pg_temp first unless it is listed last);
// - the bot may not create temporary tables at all;
// - toban_app is one role for the whole server, so the database itself is the gate: CONNECT is
//   taken from PUBLIC and given to this deployment's bot alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/app/boot.ts';
import { StartupError } from '../../src/core/startup-errors.ts';
import { audit } from '../../src/db/audit.ts';
import { verifyAuditChain } from '../../src/db/audit-chain.ts';
import { migrate } from '../../src/db/migrate.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
const other = `toban_test_other_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-access-'));

beforeAll(async () => {
  db = await freshDatabase();
  // Another deployment's bot on the same server: a login role in toban_app, like ours.
  await db.ownerPool.query(`CREATE ROLE ${other} LOGIN PASSWORD 'other' IN ROLE toban_app`);
});
afterAll(async () => {
  await db?.ownerPool.query(`DROP ROLE IF EXISTS ${other}`);
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function asUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

const databaseName = () => new URL(db.url).pathname.slice(1);

async function connectAs(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

describe('SECURITY DEFINER functions', () => {
  it('name pg_temp last in their search_path, and no schema a caller can write to', async () => {
    const { rows } = await db.ownerPool.query<{ fn: string; config: string[] | null }>(
      `SELECT p.oid::regprocedure::text AS fn, p.proconfig AS config
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(rows.map((r) => r.fn)).toContain('audit_log_chain()');
    for (const r of rows)
      expect({ fn: r.fn, config: r.config }).toEqual({
        fn: r.fn,
        config: ['search_path=pg_catalog, pg_temp'],
      });
  });

  it('a temporary audit_chain_head does not move the chain, even for a role allowed temporary tables', async () => {
    await audit(db.pool, { actor: 'U1', action: 'ledger.balance', outcome: 'allowed' });
    // Granted here on purpose: the function itself must hold, whatever the database's privileges.
    await db.ownerPool.query(`GRANT TEMPORARY ON DATABASE ${databaseName()} TO ${db.botRole}`);
    const bot = await connectAs(db.url);
    try {
      await bot.query(`CREATE TEMP TABLE audit_chain_head (singleton boolean, seq bigint, hash bytea)`);
      await bot.query(`INSERT INTO pg_temp.audit_chain_head VALUES (true, 999999, '\\x00')`);
      await bot.query(
        `INSERT INTO audit_log (actor, action, outcome) VALUES ('U2', 'ledger.balance', 'allowed')`,
      );
    } finally {
      await bot.end();
      await db.ownerPool.query(`REVOKE TEMPORARY ON DATABASE ${databaseName()} FROM ${db.botRole}`);
    }
    const { rows } = await db.pool.query<{ seq: string }>(`SELECT seq FROM audit_log ORDER BY seq`);
    expect(rows.map((r) => r.seq)).toEqual(['1', '2']);
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true, rows: 2, headSeq: '2' });
  });
});

describe('the database as the gate', () => {
  it('refuses the bot a temporary table', async () => {
    await expect(db.pool.query(`CREATE TEMP TABLE t (x int)`)).rejects.toThrow(
      /permission denied to create temporary tables/,
    );
  });

  it("refuses another deployment's bot (a member of toban_app) a connection", async () => {
    await expect(connectAs(asUser(db.url, other, 'other'))).rejects.toThrow(
      `permission denied for database "${databaseName()}"`,
    );
  });

  it('takes CONNECT and TEMPORARY from PUBLIC when the migrations run, and leaves the owner its own', async () => {
    const empty = `toban_t_acl_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await db.ownerPool.query(`CREATE DATABASE ${empty}`);
    const u = new URL(db.ownerUrl);
    u.pathname = '/' + empty;
    try {
      await migrate(u.toString());
      const owner = await connectAs(u.toString());
      try {
        const { rows } = await owner.query<{ c: boolean; t: boolean }>(
          `SELECT has_database_privilege('public', current_database(), 'CONNECT') AS c,
                  has_database_privilege('public', current_database(), 'TEMPORARY') AS t`,
        );
        expect(rows[0]).toEqual({ c: false, t: false });
      } finally {
        await owner.end();
      }
    } finally {
      await db.ownerPool.query(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
    }
  });

  it('stops the start with the GRANT to run when the bot role may not connect', async () => {
    const err = await boot({
      env: { TOBAN_DATA_DIR: dataDir, DATABASE_URL: asUser(db.url, other, 'other') },
      cwd: dataDir,
      logTo: 'file',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `DATABASE_URL: the role "${other}" may not connect to the database "${databaseName()}"; run GRANT CONNECT ON DATABASE "${databaseName()}" TO "${other}" as the database's owner`,
    );
  });
});

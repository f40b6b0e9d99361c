// The two roles at start (issue 7, faults 5 and 10; security review finding 8): migrations run with
// DATABASE_OWNER_URL, the bot's pools with DATABASE_URL; a one-role set-up (the owner, no superuser)
// is warned about once, in the log and on stderr; a superuser, a bot role outside toban_app, or a
// role that cannot migrate stops the start with one sentence.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boot } from '../../src/app/boot.ts';
import { StartupError } from '../../src/core/startup-errors.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-boot-'));
const stranger = `toban_test_stranger_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
// Not a superuser, but has the privileges of the role owning toban's tables (the one-role set-up).
const ownerish = `toban_test_ownerish_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const warnings: string[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  const database = new URL(db.url).pathname.slice(1);
  const tablesOwner = new URL(db.ownerUrl).username;
  await db.ownerPool.query(`CREATE ROLE ${stranger} LOGIN PASSWORD 'stranger'`);
  await db.ownerPool.query(`CREATE ROLE ${ownerish} LOGIN PASSWORD 'ownerish' IN ROLE ${tablesOwner}`);
  await db.ownerPool.query(`GRANT CONNECT ON DATABASE ${database} TO ${stranger}, ${ownerish}`);
});
afterAll(async () => {
  // A role holding a privilege on a database cannot be dropped.
  await db?.ownerPool.query(
    `REVOKE ALL ON DATABASE ${new URL(db.url).pathname.slice(1)} FROM ${stranger}, ${ownerish}`,
  );
  await db?.ownerPool.query(`DROP ROLE IF EXISTS ${stranger}`);
  await db?.ownerPool.query(`DROP ROLE IF EXISTS ${ownerish}`);
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function logLines(): { level: string; msg: string }[] {
  const file = path.join(dataDir, 'toban.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; msg: string });
}

function asUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

async function bootWith(env: Record<string, string>) {
  fs.rmSync(path.join(dataDir, 'toban.log'), { force: true });
  warnings.length = 0;
  return boot({
    env: { TOBAN_DATA_DIR: dataDir, ...env },
    cwd: dataDir,
    logTo: 'file',
    warn: (line) => warnings.push(line),
  });
}

describe('boot with an external PostgreSQL', () => {
  it('runs the bot as DATABASE_URL and migrates as DATABASE_OWNER_URL, with no warning', async () => {
    const booted = await bootWith({ DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl });
    try {
      const { rows } = await booted.ctx.pool.query<{ u: string }>(`SELECT current_user AS u`);
      expect(rows[0]!.u).toBe(db.botRole);
      expect(await booted.withOwner(async (p) => (await p.query(`SELECT current_user AS u`)).rows[0].u)).toBe(
        new URL(db.ownerUrl).username,
      );
    } finally {
      await booted.close();
    }
    expect(logLines().filter((l) => l.level === 'warn')).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns once, at start, in the log and on stderr, when the bot runs as the owner of its tables', async () => {
    const booted = await bootWith({ DATABASE_URL: asUser(db.url, ownerish, 'ownerish') });
    await booted.close();
    const sentence = `DATABASE_URL connects as "${ownerish}", the owner of toban's tables: the bot could alter its tables and rewrite the audit log; give it a login role in toban_app and the owner's connection to DATABASE_OWNER_URL (README: database roles)`;
    expect(
      logLines()
        .filter((l) => l.level === 'warn')
        .map((l) => l.msg),
    ).toEqual([sentence]);
    expect(warnings).toEqual([sentence]);
  });

  it('refuses to start when the bot would run as a superuser', async () => {
    const err = await bootWith({ DATABASE_URL: db.ownerUrl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `DATABASE_URL: the role "${new URL(db.ownerUrl).username}" is a superuser, and the bot must not run as one; create a bot role as in the README's "Database roles" and give this connection to DATABASE_OWNER_URL`,
    );
  });

  it('warns when every role may still connect to the database (CONNECT granted to PUBLIC)', async () => {
    const database = new URL(db.url).pathname.slice(1);
    await db.ownerPool.query(`GRANT CONNECT ON DATABASE ${database} TO PUBLIC`);
    try {
      const booted = await bootWith({ DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl });
      await booted.close();
    } finally {
      await db.ownerPool.query(`REVOKE CONNECT ON DATABASE ${database} FROM PUBLIC`);
    }
    expect(warnings).toEqual([
      `DATABASE_URL: every role may connect to the database "${database}" (CONNECT is granted to PUBLIC), so another toban's bot on this server could use toban's tables; as the database's owner run REVOKE CONNECT, TEMPORARY ON DATABASE "${database}" FROM PUBLIC; GRANT CONNECT ON DATABASE "${database}" TO "${db.botRole}"`,
    ]);
  });

  it('toban migrate runs as a superuser DATABASE_URL (the owner migrates; no bot runs)', async () => {
    const booted = await boot({
      env: { TOBAN_DATA_DIR: dataDir, DATABASE_URL: db.ownerUrl },
      cwd: dataDir,
      logTo: 'file',
      migrateOnly: true,
      warn: (line) => warnings.push(line),
    });
    await booted.close();
  });

  it('stops with one sentence when the bot role is not in toban_app', async () => {
    const err = await bootWith({
      DATABASE_URL: asUser(db.url, stranger, 'stranger'),
      DATABASE_OWNER_URL: db.ownerUrl,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `DATABASE_URL: the role "${stranger}" is not a member of toban_app, so it cannot use toban's tables; run GRANT toban_app TO "${stranger}" as the owner`,
    );
  });

  it('points at DATABASE_OWNER_URL when the only role given cannot migrate', async () => {
    const empty = `toban_t_empty_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await db.ownerPool.query(`CREATE DATABASE ${empty}`);
    try {
      const u = new URL(db.url);
      u.pathname = '/' + empty;
      const err = await bootWith({ DATABASE_URL: u.toString() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toMatch(
        /^DATABASE_URL: user "\w+" may not create or change toban's tables \(permission denied for schema public\); migrations run as the tables' owner: set DATABASE_OWNER_URL/,
      );
      // A failed start leaves no connection behind (dropped by the DROP below, it would be an error
      // event later); a backend may outlive its client's goodbye for a moment.
      await vi.waitFor(
        async () => {
          const { rows } = await db.ownerPool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [empty],
          );
          expect(rows[0]!.n).toBe(0);
        },
        { timeout: 5_000, interval: 50 },
      );
    } finally {
      const admin = new pg.Client({ connectionString: db.ownerUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
      await admin.end();
    }
  });
});

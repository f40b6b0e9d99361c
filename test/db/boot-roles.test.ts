// The two roles at start (issue 7, faults 5 and 10): migrations run with DATABASE_OWNER_URL, the
// bot's pools with DATABASE_URL; a one-role set-up is warned about once; a bot role outside
// toban_app, or a role that cannot migrate, stops the start with one sentence.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/app/boot.ts';
import { StartupError } from '../../src/app/startup-errors.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-boot-'));
const stranger = `toban_test_stranger_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await freshDatabase();
  await db.ownerPool.query(`CREATE ROLE ${stranger} LOGIN PASSWORD 'stranger'`);
});
afterAll(async () => {
  await db?.ownerPool.query(`DROP ROLE IF EXISTS ${stranger}`);
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
  return boot({ env: { TOBAN_DATA_DIR: dataDir, ...env }, cwd: dataDir, logTo: 'file' });
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
  });

  it('warns once, at start, when the bot runs as the owner of its tables', async () => {
    const booted = await bootWith({ DATABASE_URL: db.ownerUrl });
    await booted.close();
    const warnings = logLines().filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(
      /^DATABASE_URL connects as "\w+", a superuser: the bot could alter its tables and rewrite the audit log/,
    );
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
    } finally {
      const admin = new pg.Client({ connectionString: db.ownerUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${empty} WITH (FORCE)`);
      await admin.end();
    }
  });
});

// Applies migrations/ with node-pg-migrate. Replicas starting together wait on its advisory lock.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactText } from '../app/log.ts';
import type { Queryable } from './pool.ts';

// From src/db (run from source) or dist/src/db (compiled): the migrations folder at the package root.
const here = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR =
  [path.resolve(here, '../../migrations'), path.resolve(here, '../../../migrations')].find((d) =>
    fs.existsSync(path.join(d, '0001_core.sql')),
  ) ?? path.resolve(here, '../../migrations');
const TABLE = 'pgmigrations';

export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  // Loaded when needed: migrations run once at start, and the library is large.
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: TABLE,
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: () => {},
    logger: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
  });
  return applied.map((m) => m.name);
}

/** The migration names in migrations/ (file names without extension), in order. */
export function migrationNames(dir: string = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(sql|js|ts)$/.test(f))
    .map((f) => f.replace(/\.(sql|js|ts)$/, ''))
    .sort();
}

/** Readiness: every migration file has been applied. Throws when the database cannot be asked. */
export async function pendingMigrations(db: Queryable, files: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${TABLE}`);
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

export type Readiness = { ok: true } | { ok: false; error: string; pending?: string[] };

/**
 * What /readyz answers: ready, or one sentence saying what is wrong (the database is unreachable,
 * refuses the bot's role, has no migrations yet, or lacks some), with the missing migrations when
 * that is the problem. Never throws.
 */
export async function readiness(db: Queryable, files: string[] = migrationNames()): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await pendingMigrations(db, files);
  } catch (err) {
    const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
    const message = redactText(e.errors?.[0]?.message ?? e.message ?? String(err));
    switch (e.code) {
      case '42P01':
        return { ok: false, error: 'no migrations applied yet (run `toban migrate`)', pending: files };
      case '42501':
        return { ok: false, error: `the bot's database role may not read ${TABLE}: ${message}` };
      case '57P03':
        return { ok: false, error: `the database is starting up or shutting down: ${message}` };
      default:
        return {
          ok: false,
          error:
            e.code && /^[0-9A-Z]{5}$/.test(e.code) && !/^08/.test(e.code)
              ? `database error ${e.code}: ${message}`
              : `database unreachable: ${message}`,
        };
    }
  }
  if (pending.length) return { ok: false, error: `${pending.length} migration(s) not applied`, pending };
  return { ok: true };
}

// Applies migrations/ with node-pg-migrate. Replicas starting together wait on its advisory lock.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Readiness: every migration file has been applied. */
export async function pendingMigrations(db: Queryable, files: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${TABLE}`).catch(() => ({ rows: [] }));
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

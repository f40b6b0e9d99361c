// Applies migrations/ with node-pg-migrate. Replicas starting together wait on its advisory lock.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Queryable } from './pool.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
const TABLE = 'pgmigrations';

export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
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

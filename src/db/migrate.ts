// Applies migrations/ with node-pg-migrate. Replicas starting together wait on its advisory lock.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactText } from '../core/log.ts';
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

/** How long /readyz waits for a database, ms: a load balancer's probe must get an answer. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Readiness: every migration file has been applied. `timeoutMs` is pg's client-side query timeout
 * (a connection that never answers is then dropped from the pool). Throws when the database
 * cannot be asked.
 */
export async function pendingMigrations(
  db: Queryable,
  files: string[],
  timeoutMs?: number,
): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>({
    text: `SELECT name FROM ${TABLE}`,
    ...(timeoutMs ? { query_timeout: timeoutMs } : {}),
  });
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

export type Readiness = { ok: true } | { ok: false; error: string; pending?: string[] };

class Late extends Error {}

/**
 * `work`, or a Late error after `ms`. The query's own client-side timeout frees its connection;
 * this also bounds the wait for a connection (a pool whose every connection is stuck).
 */
async function inTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Late()), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {}); // settled after the answer: nobody waits for it
  }
}

/** What went wrong asking a database, in words for /readyz (no secrets: URL passwords redacted). */
function databaseProblem(err: unknown, timeoutMs: number): string {
  if (err instanceof Late || (err as Error)?.message === 'Query read timeout')
    return `the database did not answer within ${timeoutMs / 1000} s`;
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  const message = redactText(e.errors?.[0]?.message ?? e.message ?? String(err));
  if (e.code === '57P03') return `the database is starting up or shutting down: ${message}`;
  return e.code && /^[0-9A-Z]{5}$/.test(e.code) && !/^08/.test(e.code)
    ? `database error ${e.code}: ${message}`
    : `database unreachable: ${message}`;
}

/**
 * What /readyz answers: ready, or one sentence saying what is wrong (the database is unreachable,
 * does not answer within `timeoutMs` ms, refuses the bot's role, has no migrations yet, or lacks
 * some), with the missing migrations when that is the problem. Never throws.
 */
export async function readiness(
  db: Queryable,
  files: string[] = migrationNames(),
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await inTime(pendingMigrations(db, files, timeoutMs), timeoutMs);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '42P01')
      return { ok: false, error: 'no migrations applied yet (run `toban migrate`)', pending: files };
    if (e.code === '42501')
      return {
        ok: false,
        error: `the bot's database role may not read ${TABLE}: ${redactText(e.message ?? '')}`,
      };
    return { ok: false, error: databaseProblem(err, timeoutMs) };
  }
  if (pending.length) return { ok: false, error: `${pending.length} migration(s) not applied`, pending };
  return { ok: true };
}

/** True when the connection's role may read the `ledger` schema (it exists and USAGE is granted). */
const LEDGER_READABLE = `SELECT coalesce((SELECT has_schema_privilege(n.oid, 'USAGE')
                                   FROM pg_namespace n WHERE n.nspname = 'ledger'), false) AS ok`;

/** The sentence for a ledger database without a ledger schema its role may read. */
export const NO_LEDGER_SCHEMA = 'the database has no schema "ledger" that this role may read';

/** Whether the ledger connection answers and may read `ledger`. Throws pg's errors. */
export async function ledgerReadable(db: Queryable, timeoutMs?: number): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>({
    text: LEDGER_READABLE,
    ...(timeoutMs ? { query_timeout: timeoutMs } : {}),
  });
  return rows[0]?.ok === true;
}

/**
 * /readyz for LEDGER_DATABASE_URL when the ledger lives in another database: ready, or one
 * sentence starting with the variable's name. Never throws.
 */
export async function ledgerReadiness(
  db: Queryable,
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  try {
    if (await inTime(ledgerReadable(db, timeoutMs), timeoutMs)) return { ok: true };
    return { ok: false, error: `LEDGER_DATABASE_URL: ${NO_LEDGER_SCHEMA}` };
  } catch (err) {
    return { ok: false, error: `LEDGER_DATABASE_URL: ${databaseProblem(err, timeoutMs)}` };
  }
}

// The pg pool and the one transaction helper every write path uses.
import pg from 'pg';

export type Pool = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// bigint columns (integer yen, ids) come back as strings unless told; keep them exact as bigint
// would be awkward in JSON, so ids stay strings and money is parsed with BigInt where it is used.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export function createPool(url: string, opts: { max?: number; applicationName?: string } = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'toban',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // No query may hang a command or a worker forever.
    statement_timeout: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one (a transaction open when PostgreSQL fails over or a backend is
  // terminated): pg emits 'error' on the client as well as rejecting the query in flight, and an
  // 'error' event without a listener ends the process. The caller sees the rejection; the pool
  // discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** BEGIN (as given), fn, COMMIT; ROLLBACK on any error. The one place transactions are opened. */
async function transaction<T>(
  pool: Pool,
  begin: string[],
  params: unknown[][],
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    for (const [i, sql] of begin.entries()) await client.query(sql, params[i]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export function withTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(pool, ['BEGIN'], [[]], fn);
}

// SQLSTATEs after which the same transaction, run again, may well succeed: serialization_failure,
// deadlock_detected (PostgreSQL aborts one of the two), lock_not_available, too_many_connections.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
const RETRYABLE = new Set(['40001', '40P01', '55P03', '53300']);

/** Whether `err` is a database failure worth running the whole transaction again for (RETRYABLE). */
function isRetryableTransactionError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RETRYABLE.has((err as { code?: unknown }).code as string);
}

/**
 * withTransaction, run again (up to `attempts` times in all, after 10–60 ms) when PostgreSQL
 * aborted it for a reason that a second run may not meet (isRetryableTransactionError). `fn` must
 * only write through `tx`: a rolled-back attempt then leaves nothing behind.
 * @throws the last attempt's error, or at once any other error.
 */
export async function withRetriedTransaction<T>(
  pool: Pool,
  fn: (tx: Tx) => Promise<T>,
  opts: { attempts?: number; onRetry?: (err: unknown, attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(pool, fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryableTransactionError(err)) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 50)));
    }
  }
}

/** PostgreSQL's query_canceled: the statement timeout fired. */
export function isStatementTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '57014';
}

/**
 * A READ ONLY transaction that PostgreSQL cancels after `timeoutMs` (ledger and sales questions).
 * `snapshot` makes it REPEATABLE READ, for several statements that must see the same data.
 */
export async function withReadOnly<T>(
  pool: Pool,
  timeoutMs: number,
  fn: (tx: Tx) => Promise<T>,
  opts: { snapshot?: boolean } = {},
): Promise<T> {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  return transaction(
    pool,
    // SET cannot take a bind parameter; set_config can, and `true` makes it local to the transaction.
    [
      opts.snapshot ? 'BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ' : 'BEGIN READ ONLY',
      `SELECT set_config('statement_timeout', $1, true)`,
    ],
    [[], [String(timeoutMs)]],
    fn,
  );
}

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
  return pool;
}

export async function withTransaction<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
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

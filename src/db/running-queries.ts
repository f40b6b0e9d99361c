// The queries this process has under way, so shutdown can cancel them when the drain grace ends: a
// statement waiting on a lock (or a pg_sleep) would otherwise keep the pool, and with it the process
// and the embedded server, alive past the grace the operator chose (until statement_timeout).
//
// Cancelling is PostgreSQL's own CancelRequest (protocol message, a connection of its own carrying
// the backend's pid and secret key): it needs no login, so it works for every pool whatever its
// role, and the backend answers the waiting statement with 57014 as a statement timeout would.
import net from 'node:net';
import type pg from 'pg';

/** What pg's Client knows of its connection (public fields, not all in @types/pg). */
interface ClientFacts {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
}

/** CancelRequest: length 16, code 80877102, pid, secret key (PostgreSQL protocol, "Canceling Requests"). */
function cancelRequest(pid: number, key: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(16, 0);
  b.writeInt32BE(80877102, 4);
  b.writeInt32BE(pid, 8);
  b.writeInt32BE(key, 12);
  return b;
}

/** Sends a CancelRequest for the client's backend. Resolves when sent (or when it cannot be). */
function sendCancel(c: ClientFacts): Promise<void> {
  if (c.processID === null || c.secretKey === null) return Promise.resolve();
  const pid = c.processID;
  const key = c.secretKey;
  return new Promise((resolve) => {
    const where = c.host.startsWith('/')
      ? { path: `${c.host}/.s.PGSQL.${c.port}` }
      : { host: c.host, port: c.port };
    const socket = net.connect(where, () => socket.end(cancelRequest(pid, key)));
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

export class RunningQueries {
  private readonly busy = new Set<pg.PoolClient>();

  /** Follows the clients `pool` lends out; returns `pool`. */
  watch(pool: pg.Pool): pg.Pool {
    pool.on('acquire', (client) => this.busy.add(client));
    pool.on('release', (_err, client) => this.busy.delete(client));
    pool.on('remove', (client) => this.busy.delete(client as pg.PoolClient));
    return pool;
  }

  /** Clients lent out now (a query running, or a transaction open between queries). */
  get size(): number {
    return this.busy.size;
  }

  /**
   * Asks PostgreSQL to cancel the statement each lent-out client is running. Resolves with how many
   * cancel requests were sent, once they are; never rejects (a server gone has nothing to cancel).
   */
  async cancelAll(): Promise<number> {
    const clients = [...this.busy] as unknown as ClientFacts[];
    await Promise.all(clients.map(sendCancel));
    return clients.length;
  }
}

// A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL in the tests), to make "the database is
// down" happen to a running process: freeze() stops every byte both ways (queries hang, as behind a
// dead network), thaw() lets them through again, cut() refuses and drops every connection.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  freeze(): void;
  thaw(): void;
  cut(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  held: { to: 'client' | 'upstream'; chunk: Buffer }[];
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let frozen = false;

  function send(pair: Pair, to: 'client' | 'upstream', chunk: Buffer): void {
    if (frozen || (to === 'upstream' && !pair.upstream)) pair.held.push({ to, chunk });
    else (to === 'client' ? pair.client : pair.upstream)?.write(chunk);
  }

  function connectUpstream(pair: Pair): void {
    const upstream = net.connect(target.port, target.host, () => {
      for (const h of pair.held.splice(0)) send(pair, h.to, h.chunk);
    });
    pair.upstream = upstream;
    upstream.on('data', (c: Buffer) => send(pair, 'client', c));
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
  }

  const server = net.createServer((client) => {
    const pair: Pair = { client, held: [] };
    pairs.add(pair);
    client.on('data', (c: Buffer) => send(pair, 'upstream', c));
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (!frozen) connectUpstream(pair);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;

  const closeServer = () => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r()));
  const cut = async (): Promise<void> => {
    const closed = closeServer();
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await closed;
  };
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) {
        if (!pair.upstream) connectUpstream(pair);
        else for (const h of pair.held.splice(0)) send(pair, h.to, h.chunk);
      }
    },
    cut,
    close: cut,
  };
}

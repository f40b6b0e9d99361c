// A fake Alertmanager API v2 (silences only) on a loopback port, for the outbox's Alertmanager kinds:
// it keeps silences as Alertmanager does (GET /silences lists every state, DELETE expires, 404 for
// an unknown id) and can be told to misbehave on the next POST: answer 500 without storing, answer
// 400, or store the silence and answer only after the client has given up (an unknown outcome).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSilence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt: string;
}

export type PostFault = '500' | '400' | 'store-then-hang';

export interface FakeAlertmanager {
  url: string;
  silences: FakeSilence[];
  /** Requests seen, as "METHOD /path". */
  requests: string[];
  /** Faults for the next POSTs /silences, used up in order. */
  postFaults: PostFault[];
  close(): Promise<void>;
}

export async function startFakeAlertmanager(opts: { hangMs?: number } = {}): Promise<FakeAlertmanager> {
  const hangMs = opts.hangMs ?? 1_500;
  const silences: FakeSilence[] = [];
  const requests: string[] = [];
  const postFaults: PostFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push(`${req.method} ${url.pathname}`);
      if (req.method === 'GET' && url.pathname === '/api/v2/silences') return json(res, 200, silences);
      if (req.method === 'POST' && url.pathname === '/api/v2/silences') {
        const fault = postFaults.shift();
        if (fault === '500') return json(res, 500, 'internal error');
        if (fault === '400') return json(res, 400, 'invalid silence: bad matcher');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeSilence;
        const id = `fake-${++seq}`;
        silences.push({
          ...body,
          id,
          status: { state: 'active' },
          updatedAt: new Date().toISOString(),
        });
        if (fault === 'store-then-hang') {
          const t = setTimeout(() => {
            timers.delete(t);
            if (!res.destroyed) json(res, 200, { silenceID: id });
          }, hangMs);
          timers.add(t);
          return;
        }
        return json(res, 200, { silenceID: id });
      }
      const m = /^\/api\/v2\/silence\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && m) {
        const s = silences.find((x) => x.id === decodeURIComponent(m[1]!));
        if (!s) return json(res, 404, `silence ${m[1]} not found`);
        if (s.status.state === 'expired') return json(res, 500, `silence ${s.id} already expired`);
        s.status.state = 'expired';
        return json(res, 200, '');
      }
      json(res, 404, 'not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    silences,
    requests,
    postFaults,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

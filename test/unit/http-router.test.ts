// The router and body reader on a real loopback server: parameterised routes, HEAD for GET, 405 with
// Allow, 404, 413 over 1 MiB, 415, JSON and form with or without charset, and a failing route
// answered 500 with a code that is in the log (no stack trace in the reply).
import net, { type AddressInfo } from 'node:net';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { readBody } from '../../src/http/body.ts';
import { createRouter, sendJson } from '../../src/http/router.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { LogCapture } from '../helpers/context.ts';

const logs = new LogCapture();
let server: http.Server;
let base = '';

beforeAll(async () => {
  const router = createRouter(createLogger('info', logs));
  router.on('GET', '/oncall/:rotation.ics', (_req, res, params) =>
    sendJson(res, 200, { rotation: params.rotation }),
  );
  router.on('POST', '/hooks/alerts/:source', async (req, res, params) => {
    const body = await readBody(req);
    sendJson(res, 202, { source: params.source, type: body.type, bytes: body.raw.length });
  });
  router.on('GET', '/boom', () => {
    throw new Error('secret detail at /srv/app.ts:12');
  });
  server = createHttpServer(router, createLogger('info', logs));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('HTTP routing', () => {
  it('matches parameterised routes, including a parameter with a suffix', async () => {
    expect(await (await fetch(`${base}/oncall/primary.ics`)).json()).toEqual({ rotation: 'primary' });
    expect((await fetch(`${base}/oncall/primary.txt`)).status).toBe(404);
  });

  it('answers HEAD through the GET route, without a body', async () => {
    const res = await fetch(`${base}/oncall/me.ics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.text()).toBe('');
  });

  it('answers a wrong method with 405 and Allow, an unknown path with 404', async () => {
    const res = await fetch(`${base}/hooks/alerts/grafana`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/hooks/alerts`)).status).toBe(404);
    expect((await fetch(`${base}/nowhere`, { method: 'DELETE' })).status).toBe(404);
  });

  it('takes JSON and form bodies with or without charset, and refuses other types with 415', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=UTF-8',
    ]) {
      const res = await fetch(`${base}/hooks/alerts/generic`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{}',
      });
      expect(res.status, type).toBe(202);
    }
    for (const type of ['text/plain', 'application/json; charset=latin1', '']) {
      const res = await fetch(`${base}/hooks/alerts/generic`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: '{}',
      });
      expect(res.status, type).toBe(415);
    }
  });

  it('refuses a body over 1 MiB with 413 and takes one of exactly 1 MiB', async () => {
    const post = (n: number) =>
      fetch(`${base}/hooks/alerts/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(n),
      });
    expect((await post(1024 * 1024 + 1)).status).toBe(413);
    expect(await (await post(1024 * 1024)).json()).toMatchObject({ bytes: 1024 * 1024 });
  });

  it('answers a failing route with 500 and a code found in the log, never the error itself', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; code: string; ref: string };
    expect(body).toEqual({
      error: 'internal error',
      code: 'E_HANDLER',
      ref: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    expect(JSON.stringify(body)).not.toMatch(/secret|app\.ts/);
    expect(
      logs.lines.some(
        (l) => l.code === 'E_HANDLER' && l.ref === body.ref && l.msg === 'http: a route failed',
      ),
    ).toBe(true);
  });
});

describe('HTTP server limits', () => {
  it('answers 408 to a client that sends its body too slowly, and keeps serving', async () => {
    const router = createRouter(createLogger('info', logs));
    router.on('POST', '/slow', async (req, res) => {
      await readBody(req);
      sendJson(res, 200, {});
    });
    router.on('GET', '/ok', (_req, res) => sendJson(res, 200, {}));
    const slow = createHttpServer(router, createLogger('info', logs), {
      headersMs: 100,
      requestMs: 200,
      checkEveryMs: 50,
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const port = (slow.address() as AddressInfo).port;
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () =>
          // Announces 100 bytes and sends 5: the server must not wait forever.
          socket.write(
            'POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
          ),
        );
        let got = '';
        socket.on('data', (c: Buffer) => (got += c.toString()));
        socket.on('error', reject);
        socket.on('close', () => resolve(got));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
    } finally {
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
    }
  });
});

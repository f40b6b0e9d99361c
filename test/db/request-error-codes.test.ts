// Every request path answers a failure with a short body naming a stable code and logs it with that
// code (request review, fault J): Slack's endpoint (signature, body, replay, database down for an
// interaction and an event), a route that fails (and one whose database fails), 404 / 405 / 413 /
// 415, malformed HTTP, /readyz (test/db/readiness.test.ts), and the answers after the
// acknowledgement: a slash command and a button whose handler throws.
import net, { type AddressInfo } from 'node:net';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createRouter } from '../../src/http/router.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { ackThenAnswer } from '../../src/transport/slack-admitted.ts';
import { SlackHttpReceiver } from '../../src/transport/slack-http-receiver.ts';
import { SlackIntake } from '../../src/transport/slack-intake.ts';
import { LogCapture, testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { postSigned } from '../helpers/slack-sign.ts';

const SECRET = 'codes-secret';
let db: TestDatabase;
let down: Pool;
const logs = new LogCapture();
const servers: http.Server[] = [];

/** A server with Slack's endpoint over `pool`, a route that throws and one whose database fails. */
async function serve(pool: Pool): Promise<string> {
  const log = createLogger('info', logs);
  const router = createRouter(log);
  const intake = new SlackIntake({
    pool,
    log,
    metrics: createMetrics(),
    defaultLocale: 'en',
    insertDeadlineMs: 500,
  });
  const receiver = new SlackHttpReceiver({
    intake,
    log,
    metrics: createMetrics(),
    signingSecret: SECRET,
    admitted: ackThenAnswer(() => {}),
  });
  router.on('POST', '/slack/events', receiver.handle);
  router.on('GET', '/boom', () => {
    throw new TypeError('x is undefined');
  });
  router.on('GET', '/db', async () => {
    await down.query('SELECT 1');
  });
  const server = createHttpServer(router, log);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base = '';
let baseDown = '';
beforeAll(async () => {
  db = await freshDatabase();
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  down = createPool(`postgres://toban:pw@127.0.0.1:${port}/toban`, { max: 1 });
  base = await serve(db.pool);
  baseDown = await serve(down);
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await down?.end();
  await db?.drop();
});

const command = (n: string) => ({
  command: '/oncall',
  text: '',
  user_id: 'U0AAA',
  channel_id: 'C0X',
  response_url: `https://hooks.slack.com/commands/T/1/${n}`,
});

/** The status, the body and whether a log line carries the same code. */
async function answered(
  res: Response,
): Promise<{ status: number; body: Record<string, unknown>; logged: boolean }> {
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, logged: logs.lines.some((l) => l.code === body.code) };
}

describe('a failing request names its code, in its answer and its log line', () => {
  it.each([
    [
      'a bad signature',
      () =>
        fetch(`${base}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': '1',
            'x-slack-signature': 'v0=00',
          },
          body: 'a=b',
        }),
      401,
      'E_SIGNATURE',
    ],
    [
      'a slash command without user_id',
      () =>
        postSigned(`${base}/slack/events`, SECRET, { command: '/oncall', response_url: 'https://x.test/1' }),
      400,
      'E_BODY',
    ],
    [
      'an event without event',
      () =>
        postSigned(`${base}/slack/events`, SECRET, '{"type":"event_callback","event_id":"Ev1"}', {
          contentType: 'application/json',
        }),
      400,
      'E_BODY',
    ],
    [
      'a content type Slack never sends',
      () => postSigned(`${base}/slack/events`, SECRET, 'x', { contentType: 'text/plain' }),
      415,
      'E_MEDIA_TYPE',
    ],
    ['an unknown path', () => fetch(`${base}/slack/`), 404, 'E_NOT_FOUND'],
    ['a wrong method', () => fetch(`${base}/slack/events`), 405, 'E_METHOD'],
    [
      'a body over 1 MiB',
      () => postSigned(`${base}/slack/events`, SECRET, 'x'.repeat(1024 * 1024 + 1)),
      413,
      'E_TOO_LARGE',
    ],
    [
      'an interaction while the database is down',
      () =>
        postSigned(`${baseDown}/slack/events`, SECRET, {
          payload: JSON.stringify({
            type: 'block_actions',
            user: { id: 'U0AAA' },
            actions: [{ action_id: 'a' }],
          }),
        }),
      503,
      'E_DATABASE',
    ],
    [
      'an event while the database is down',
      () =>
        postSigned(
          `${baseDown}/slack/events`,
          SECRET,
          '{"type":"event_callback","event_id":"Ev2","event":{"type":"app_mention","user":"U1","channel":"C1","ts":"1.1"}}',
          { contentType: 'application/json' },
        ),
      503,
      'E_DATABASE',
    ],
    ['a route that throws', () => fetch(`${base}/boom`), 500, 'E_HANDLER'],
    ['a route whose database is down', () => fetch(`${base}/db`), 503, 'E_DATABASE'],
  ] as const)('%s', async (_what, send, status, code) => {
    const got = await answered(await send());
    expect(got).toMatchObject({ status, body: { code }, logged: true });
    expect(JSON.stringify(got.body)).not.toMatch(/TypeError|ECONNREFUSED|\.ts:\d/);
  });

  it('a replayed signed command: 409 E_REPLAY', async () => {
    const ts = Math.floor(Date.now() / 1000);
    expect(
      (await postSigned(`${base}/slack/events`, SECRET, command('r'), { timestampSec: ts })).status,
    ).toBe(200);
    const got = await answered(
      await postSigned(`${base}/slack/events`, SECRET, command('r'), { timestampSec: ts }),
    );
    expect(got).toMatchObject({ status: 409, body: { code: 'E_REPLAY' }, logged: true });
  });

  it('malformed HTTP: 400 with a body naming E_HTTP', async () => {
    const port = Number(new URL(base).port);
    const reply = await new Promise<string>((resolve) => {
      let out = '';
      const s = net.connect(port, '127.0.0.1', () => s.write('GARBAGE / HTTP/1.1\r\n\r\n'));
      s.on('data', (c) => (out += c.toString()));
      s.on('close', () => resolve(out));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"code":"E_HTTP"');
    expect(logs.lines.some((l) => l.code === 'E_HTTP')).toBe(true);
  });

  it('a slash command or a button whose handler throws: logged E_HANDLER with the reference shown', async () => {
    const ctx = testContext(db.pool);
    const crash: SlashCommand = {
      name: '/crash',
      helpKey: 'oncall.help',
      async run() {
        throw new TypeError('boom');
      },
    };
    const d = new Dispatcher(ctx, {
      commands: [crash],
      actions: [
        {
          actionId: 'press',
          async run() {
            throw new TypeError('boom');
          },
        },
      ],
    });
    const out = await d.run({ command: '/crash', text: '', userId: 'U0AAA', locale: 'en' });
    const pressed = await d.press({ actionId: 'press', userId: 'U0AAA', locale: 'ja' });
    for (const reply of [out.reply.message.text, pressed!.reply!.message.text]) {
      const ref = /[(（]([0-9a-f]{6})[)）]/.exec(reply)?.[1];
      expect(ref).toBeDefined();
      expect(ctx.logs.lines.find((l) => l.ref === ref)).toMatchObject({ code: 'E_HANDLER', level: 'error' });
    }
  });
});

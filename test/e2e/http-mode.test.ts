// The real `toban` process in Slack HTTP mode against the fake Slack Web API: signed slash commands,
// Slack's signature rules, our HTTP routes, what an attacker or a broken client can send (it never
// takes the process down), replays and retries, and a clean shutdown on SIGTERM.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { postSigned, signSlackRequest } from '../helpers/slack-sign.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const SECRET = 'e2e-signing-secret';
let db: TestDatabase;
let slack: FakeSlack;
let toban: TobanProcess;

function slashCommand(text: string, responseUrl: string, user = 'U0BBB'): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T0TEAM',
    channel_id: 'C0ALERTS',
    user_id: user,
    command: '/oncall',
    text,
    response_url: responseUrl,
    trigger_id: '1.2.3',
    api_app_id: 'A0TOBAN',
  };
}

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
  toban = await spawnToban([], {
    // As in production: migrations as the owner, the bot as a login role in toban_app.
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook-token',
  });
  await toban.waitHealthy();
}, 90_000);

/** The process still answers; it would have exited on an uncaught error. */
async function expectAlive(): Promise<void> {
  expect(toban.proc.exitCode).toBeNull();
  expect((await fetch(`${toban.baseUrl}/healthz`)).status).toBe(200);
}

/** A request with the path sent exactly as given. */
function rawStatus(method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: toban.port, method, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes bytes on a fresh connection and returns what comes back before the server closes it. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(toban.port, '127.0.0.1', () => socket.write(bytes));
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

/** Announces 1,000 bytes of a signed-looking body, sends 10 and hangs up. */
function abortedBody(): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port: toban.port,
      method: 'POST',
      path: '/slack/events',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' },
    });
    req.on('error', () => resolve());
    req.write('command=/o');
    setImmediate(() => {
      req.destroy();
      resolve();
    });
  });
}

afterAll(async () => {
  if (toban) await toban.kill('SIGKILL');
  await slack?.close();
  await db?.drop();
});

describe('toban in Slack HTTP mode', () => {
  it('learns its bot identity once at start', () => {
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('acknowledges a signed /oncall at once and answers through the response_url', async () => {
    const res = await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      slashCommand('', slack.responseUrl('oncall-1')),
    );
    expect(res.status).toBe(200);
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'respond/oncall-1'));
    const answer = calls.find((x) => x.method === 'respond/oncall-1');
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(String(answer?.body.text)).toMatch(/Primary on-call/);
    expect(String(answer?.body.text)).toMatch(/調査当番/);
    // Still one auth.test: Bolt was given the bot id and does not ask per event.
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('answers `help` and a wrong command with the usage', async () => {
    await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      slashCommand('nightly', slack.responseUrl('oncall-2')),
    );
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'respond/oncall-2'));
    expect(String(calls.find((x) => x.method === 'respond/oncall-2')?.body.text)).toMatch(/`\/oncall`/);
  });

  it('rejects a bad signature with 401', async () => {
    const body = new URLSearchParams(slashCommand('', slack.responseUrl('nope'))).toString();
    const res = await fetch(`${toban.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest('wrong-secret', body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(res.status).toBe(401);
  });

  it('rejects a correctly signed request whose timestamp is 6 minutes old with 401', async () => {
    const res = await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      slashCommand('', slack.responseUrl('stale')),
      {
        timestampSec: Math.floor(Date.now() / 1000) - 6 * 60,
      },
    );
    expect(res.status).toBe(401);
  });

  it('serves /healthz, /readyz and /metrics, and 404 elsewhere', async () => {
    expect((await fetch(`${toban.baseUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${toban.baseUrl}/readyz`)).json()).toEqual({ ok: true });
    const metrics = await (await fetch(`${toban.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/toban_outbox_deliveries_total\{kind="slack.respond"\} \d+/);
    expect(metrics).toMatch(/toban_command_seconds_count\{command="\/oncall",outcome="ok"\} \d+/);
    expect((await fetch(`${toban.baseUrl}/nowhere`)).status).toBe(404);
  });

  it('answers 405 with Allow to another method on /slack/events, 404 elsewhere under /slack/, and stays up', async () => {
    const get = await fetch(`${toban.baseUrl}/slack/events`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${toban.baseUrl}/slack/events`, { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await fetch(`${toban.baseUrl}/slack/`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${toban.baseUrl}/slack/other`, { method: 'POST', body: 'x' })).status).toBe(404);
    // As sent by `curl --path-as-is`: no client-side normalisation of the dots.
    expect(await rawStatus('GET', '/slack/../healthz')).toBe(404);
    expect(await rawStatus('DELETE', '/slack/events')).toBe(405);
    await expectAlive();
  });

  it('answers HEAD like GET and a wrong method on our routes with 405', async () => {
    const head = await fetch(`${toban.baseUrl}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${toban.baseUrl}/healthz`, { method: 'POST', body: '' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers a correctly signed payload=null or JSON null with 400 naming the problem, and stays up', async () => {
    const form = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, 'payload=null');
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: 'invalid body' });
    const json = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, 'null', {
      contentType: 'application/json',
    });
    expect(json.status).toBe(400);
    for (const body of [
      'payload=%7B%22type%22%3A%22block_actions%22%7D',
      'payload=[1',
      '{"type":"event_callback"}',
      'command=/oncall',
    ]) {
      const res = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, body, {
        contentType: body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
      });
      expect(res.status, body).toBe(400);
      expect(await res.text(), body).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    await expectAlive();
  });

  it('answers malformed HTTP, oversized headers, aborted and oversized bodies without going down', async () => {
    expect(await rawExchange('GARBAGE / NOTHTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await rawExchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    ).toMatch(/^HTTP\/1\.1 431/);
    await abortedBody();
    const big = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, `text=${'a'.repeat(1024 * 1024)}`);
    expect(big.status).toBe(413);
    const xml = await fetch(`${toban.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<a/>',
    });
    expect(xml.status).toBe(415);
    await expectAlive();
  });

  it('accepts JSON and form bodies with or without a charset', async () => {
    const res = await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      slashCommand('', slack.responseUrl('charset')),
      { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' },
    );
    expect(res.status).toBe(200);
    const challenge = await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      JSON.stringify({ type: 'url_verification', token: 't', challenge: 'c-123' }),
      { contentType: 'application/json; charset=utf-8' },
    );
    expect(await challenge.json()).toEqual({ challenge: 'c-123' });
  });

  it('rejects correctly signed requests time-stamped an hour or a year in the future with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ahead of [6 * 60, 3600, 365 * 86_400]) {
      const res = await postSigned(
        `${toban.baseUrl}/slack/events`,
        SECRET,
        slashCommand('', slack.responseUrl(`future-${ahead}`)),
        { timestampSec: now + ahead },
      );
      expect(res.status, `${ahead} s ahead`).toBe(401);
    }
    // Four minutes either way is still inside Slack's five.
    const near = await postSigned(
      `${toban.baseUrl}/slack/events`,
      SECRET,
      slashCommand('', slack.responseUrl('near-future')),
      { timestampSec: now + 4 * 60 },
    );
    expect(near.status).toBe(200);
  });

  it('refuses a replayed signed command with 409: it runs and is answered once', async () => {
    const body = new URLSearchParams(slashCommand('', slack.responseUrl('replay'))).toString();
    const ts = Math.floor(Date.now() / 1000);
    const first = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, body, { timestampSec: ts });
    expect(first.status).toBe(200);
    const again = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, body, { timestampSec: ts });
    expect(again.status).toBe(409);
    await slack.waitFor((c) => c.some((x) => x.method === 'respond/replay'));
    const rows = await db.pool.query(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'slack.respond' AND payload->>'responseUrl' = $1`,
      [slack.responseUrl('replay')],
    );
    expect(rows.rows[0].n).toBe(1);
  });

  it('stores an Events API event once although Slack retries it', async () => {
    const event = {
      type: 'event_callback',
      team_id: 'T0TEAM',
      api_app_id: 'A0TOBAN',
      event_id: 'Ev0RETRY01',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: 'U0BBB', text: '<@UBOT> hi', channel: 'C0ALERTS', ts: '1.2' },
    };
    const opts = { contentType: 'application/json' };
    expect(
      (await postSigned(`${toban.baseUrl}/slack/events`, SECRET, JSON.stringify(event), opts)).status,
    ).toBe(200);
    const retry = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, JSON.stringify(event), {
      ...opts,
      timestampSec: Math.floor(Date.now() / 1000) + 1,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    const rows = await db.pool.query(
      `SELECT count(*)::int AS n FROM slack_requests WHERE key = 'event:Ev0RETRY01'`,
    );
    expect(rows.rows[0].n).toBe(1);
    // The mention is answered once, in its thread, with who is on duty.
    const threaded = (c: { method: string; body: Record<string, unknown> }) =>
      c.method === 'chat.postMessage' && c.body.channel === 'C0ALERTS' && c.body.thread_ts === '1.2';
    await slack.waitFor((calls) => calls.some(threaded), 15_000);
    await expectAlive();
    expect(slack.calls.filter(threaded)).toHaveLength(1);
    expect(String(slack.calls.find(threaded)?.body.text)).toMatch(/Primary on-call/);
  });

  it('publishes the App Home when it is opened', async () => {
    const event = {
      type: 'event_callback',
      team_id: 'T0TEAM',
      event_id: 'Ev0HOME01',
      event: { type: 'app_home_opened', user: 'U0AAA', channel: 'D0AAA', tab: 'home' },
    };
    const res = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, JSON.stringify(event), {
      contentType: 'application/json',
    });
    expect(res.status).toBe(200);
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'views.publish'), 15_000);
    const publish = calls.find((x) => x.method === 'views.publish')!;
    expect(publish.body.user_id).toBe('U0AAA');
    expect(JSON.stringify(publish.body.view)).toMatch(/Primary on-call/);
  });

  it('never logs the bot token', () => {
    expect(toban.stderr()).not.toContain('xoxb-e2e-token');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await toban.kill('SIGTERM')).toBe(0);
  });
});

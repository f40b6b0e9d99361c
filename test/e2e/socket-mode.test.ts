// The real `toban` process in Socket Mode (the manifest's default) against the fake Slack Web API
// and a fake Socket Mode endpoint (issue 8, item 5): apps.connections.open asked of SLACK_API_URL,
// /healthz at once and /readyz "connecting to Slack" until `hello`, a slash command, a block action
// and an event each acknowledged by envelope_id and answered, then Slack's `disconnect`
// (refresh_requested): toban opens a new connection and keeps answering. A SIGTERM while the socket
// is still connecting ends the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';
import { startFakeSocketMode, type FakeSocketMode } from '../helpers/fake-socket-mode.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const APP_TOKEN = 'xapp-1-A0TOBAN-1-e2e';
let db: TestDatabase;
let slack: FakeSlack;
let socket: FakeSocketMode;
let toban: TobanProcess;
const dataDir = tempDataDir();

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
  // `hello` held back: the test looks at /readyz while the socket is still connecting.
  socket = await startFakeSocketMode(slack, { helloHeld: true });
  toban = await spawnToban([], {
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook-token',
    HOST: '127.0.0.1',
  });
}, 90_000);

afterAll(async () => {
  if (toban?.proc.exitCode === null) await toban.kill('SIGKILL');
  await socket?.close();
  await slack?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function slashCommand(text: string, responseUrl: string): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: 'T0TEAM',
    team_domain: 'toban-test',
    channel_id: 'C0ALERTS',
    channel_name: 'alerts',
    user_id: 'U0BBB',
    user_name: 'bbb',
    command: '/oncall',
    text,
    api_app_id: 'A0TOBAN',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1.2.3',
  };
}

/** The first Block Kit element with `action_id` anywhere in `blocks`. */
function findAction(blocks: unknown, actionId: string): Record<string, unknown> | undefined {
  if (Array.isArray(blocks)) {
    for (const b of blocks) {
      const found = findAction(b, actionId);
      if (found) return found;
    }
  } else if (blocks && typeof blocks === 'object') {
    const o = blocks as Record<string, unknown>;
    if (o.action_id === actionId) return o;
    for (const v of Object.values(o)) {
      const found = findAction(v, actionId);
      if (found) return found;
    }
  }
  return undefined;
}

async function answerAt(name: string): Promise<FakeSlackCall> {
  const calls = await slack.waitFor((c) => c.some((x) => x.method === `respond/${name}`), 15_000);
  return calls.find((x) => x.method === `respond/${name}`) as FakeSlackCall;
}

async function get(path: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(`${toban.baseUrl}${path}`);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined; // not listening yet
  }
}

describe('toban in Socket Mode', () => {
  it('answers /healthz while connecting; /readyz says "connecting to Slack" until hello', async () => {
    // The socket is open but not greeted: the Socket Mode client is still connecting.
    await socket.waitForConnection(1, 60_000);
    let readyz = await get('/readyz');
    while (!readyz || !/connecting to Slack/.test(readyz.body)) {
      if (toban.proc.exitCode !== null) throw new Error(`toban exited:\n${toban.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
      readyz = await get('/readyz');
    }
    expect(readyz.status).toBe(503);
    expect((await get('/healthz'))?.status).toBe(200);
    // apps.connections.open went to SLACK_API_URL with the app-level token.
    const opens = slack.callsTo('apps.connections.open');
    expect(opens.length).toBeGreaterThan(0);
    for (const c of opens) expect(c.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);

    socket.greet();
    await toban.waitHealthy();
    expect(socket.connections()).toBe(1);
  }, 90_000);

  let oncallBlocks: unknown;

  it('acknowledges a slash command by envelope_id and answers at its response_url', async () => {
    const id = socket.send('slash_commands', slashCommand('', slack.responseUrl('sock-1')));
    const ack = await socket.waitForAck(id);
    expect(ack.connection).toBe(1);
    const answer = await answerAt('sock-1');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toMatch(/Primary on-call/);
    oncallBlocks = answer.body.blocks;
  }, 30_000);

  it('acknowledges a block action (the /oncall Details button) and answers it', async () => {
    const button = findAction(oncallBlocks, 'oncall.details');
    expect(button, JSON.stringify(oncallBlocks)).toBeDefined();
    const id = socket.send('interactive', {
      type: 'block_actions',
      user: { id: 'U0BBB', username: 'bbb', name: 'bbb', team_id: 'T0TEAM' },
      api_app_id: 'A0TOBAN',
      token: 'legacy',
      container: { type: 'message', message_ts: '1.1', channel_id: 'C0ALERTS', is_ephemeral: true },
      trigger_id: '1.2.4',
      team: { id: 'T0TEAM', domain: 'toban-test' },
      channel: { id: 'C0ALERTS', name: 'alerts' },
      response_url: slack.responseUrl('sock-2'),
      actions: [
        {
          action_id: 'oncall.details',
          block_id: 'b1',
          text: { type: 'plain_text', text: 'Details' },
          value: button?.value,
          type: 'button',
          action_ts: '1.3',
        },
      ],
      state: { values: {} },
    });
    await socket.waitForAck(id);
    const answer = await answerAt('sock-2');
    // The button's rotation's next shifts, in the user's language (ja-JP on the fake users.info).
    expect(String(answer.body.text)).toMatch(/^\*Primary on-call\* のこの先のシフト\n.*<@U0/);
  }, 30_000);

  it('acknowledges an event, also its redelivery, and stores it once', async () => {
    const event = {
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0TOBAN',
      event: {
        type: 'app_mention',
        user: 'U0BBB',
        text: '<@UBOT> hi',
        ts: '1712710800.000100',
        channel: 'C0ALERTS',
        event_ts: '1712710800.000100',
      },
      type: 'event_callback',
      event_id: 'Ev0SOCKET01',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0TEAM', user_id: 'UBOT', is_bot: true }],
      is_ext_shared_channel: false,
    };
    await socket.waitForAck(socket.send('events_api', event));
    const again = socket.send('events_api', event, { retry_attempt: 1, retry_reason: 'timeout' });
    await socket.waitForAck(again);
    const rows = await db.pool.query(
      `SELECT count(*)::int AS n FROM slack_requests WHERE key = 'event:Ev0SOCKET01'`,
    );
    expect(rows.rows[0].n).toBe(1);
    // Answered once although delivered twice: in the mention's thread.
    const threaded = (c: { method: string; body: Record<string, unknown> }) =>
      c.method === 'chat.postMessage' && c.body.thread_ts === '1712710800.000100';
    await slack.waitFor((calls) => calls.some(threaded), 15_000);
    const home = socket.send('events_api', {
      type: 'event_callback',
      event_id: 'Ev0SOCKHOME',
      event: { type: 'app_home_opened', user: 'U0AAA', tab: 'home' },
    });
    await socket.waitForAck(home);
    await slack.waitFor((calls) => calls.some((x) => x.method === 'views.publish'), 15_000);
    expect(slack.calls.filter(threaded)).toHaveLength(1);
    expect(slack.callsTo('views.publish')).toHaveLength(1);
  }, 30_000);

  it('reconnects on disconnect (refresh_requested) with a new URL and keeps answering', async () => {
    const opensBefore = slack.callsTo('apps.connections.open').length;
    socket.disconnect('refresh_requested');
    await socket.waitForConnection(2, 30_000);
    expect(slack.callsTo('apps.connections.open').length).toBe(opensBefore + 1);
    expect(new Set(socket.tickets).size).toBe(2);

    const id = socket.send('slash_commands', slashCommand('', slack.responseUrl('sock-3')));
    const ack = await socket.waitForAck(id);
    expect(ack.connection).toBe(2);
    expect(String((await answerAt('sock-3')).body.text)).toMatch(/Primary on-call/);
  }, 60_000);

  it('sent nothing but acknowledgements, and shuts down cleanly on SIGTERM', async () => {
    expect(socket.strays).toEqual([]);
    expect(await toban.kill('SIGTERM')).toBe(0);
    expect(toban.stderr()).not.toContain(APP_TOKEN);
  }, 60_000);
});

describe('Socket Mode that never connects', () => {
  it('SIGTERM while the socket waits for hello exits 0', async () => {
    const silent = await startFakeSocketMode(slack, { helloHeld: true });
    const dir = tempDataDir();
    try {
      const stuck = await spawnToban([], {
        DATABASE_OWNER_URL: db.ownerUrl,
        DATABASE_URL: db.url,
        TOBAN_DATA_DIR: dir,
        SLACK_BOT_TOKEN: 'xoxb-e2e-token',
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: slack.url,
        ALERT_WEBHOOK_TOKEN: 'hook-token',
        HOST: '127.0.0.1',
      });
      await silent.waitForConnection(1, 60_000);
      stuck.proc.kill('SIGTERM');
      // A guard against a hang (the process had to be killed before), not a timing assertion.
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 20_000)));
      const code = await Promise.race([stuck.exit(), hung]);
      clearTimeout(timer);
      if (code === 'hung') await stuck.kill('SIGKILL');
      expect(code, stuck.stderr()).toBe(0);
    } finally {
      await silent.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

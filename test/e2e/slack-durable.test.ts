// An acknowledged Slack command is never lost (the real process, real PostgreSQL, the fake Slack):
// one still running when SIGTERM's drain grace ends is answered after a restart, exactly once; and
// when the database cannot take a command, the acknowledgement itself says so, in the person's
// language, and the command never runs later behind that answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { postSigned, signSlackRequest } from '../helpers/slack-sign.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const SECRET = 'durable-secret';
let db: TestDatabase;
let slack: FakeSlack;
const started: TobanProcess[] = [];

function command(name: string, user: string, text = ''): Record<string, string> {
  return {
    team_id: 'T0TEAM',
    channel_id: 'C0ALERTS',
    user_id: user,
    command: name,
    text,
    response_url: slack.responseUrl(`${name.slice(1)}-${user}-${text}`),
    trigger_id: '1.2.3',
  };
}

async function start(env: Record<string, string>): Promise<TobanProcess> {
  const toban = await spawnToban([], {
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-durable',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook',
    ...env,
  });
  started.push(toban);
  await toban.waitHealthy();
  return toban;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends one call of `method` to the fake so that the failure queued for it is used up. */
async function consumeQueuedFailure(method: string): Promise<void> {
  const seen = slack.callsTo(method).length;
  const abort = new AbortController();
  fetch(`${slack.url}${method}`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-test' },
    signal: abort.signal,
  }).catch(() => {});
  await slack.waitFor((c) => c.filter((x) => x.method === method).length > seen);
  abort.abort();
}

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
}, 90_000);

afterAll(async () => {
  for (const t of started) await t.kill('SIGKILL');
  await slack?.close();
  await db?.drop();
});

describe('acknowledged Slack commands are never lost', () => {
  it('answers a command still running when the drain grace ends after a restart, exactly once', async () => {
    const first = await start({ TOBAN_DRAIN_SECONDS: '1' });
    // The command's work waits on Slack (locale, then the finance group) far longer than the grace.
    slack.failNext('users.info', { delayMs: 20_000 });
    slack.failNext('usergroups.users.list', { delayMs: 20_000 });
    const body = command('/ledger', 'U0BBB', 'trial 2024-03');
    const ack = await postSigned(`${first.baseUrl}/slack/events`, SECRET, body);
    expect(ack.status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'users.info'), 10_000);
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(first.stderr()).toMatch(/drain timed out/);
    expect(slack.callsTo(`respond/ledger-U0BBB-trial 2024-03`)).toHaveLength(0);
    // The first process never got as far as the finance group: take its slow answer off the fake.
    await consumeQueuedFailure('usergroups.users.list');

    const second = await start({});
    await slack.waitFor((c) => c.some((x) => x.method === 'respond/ledger-U0BBB-trial 2024-03'), 20_000);
    expect(await second.kill('SIGTERM')).toBe(0);
    expect(slack.callsTo('respond/ledger-U0BBB-trial 2024-03')).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT state, attempts FROM slack_requests WHERE kind = 'command'`);
    expect(rows).toEqual([{ state: 'answered', attempts: 2 }]);
  }, 90_000);

  it('says in the acknowledgement that toban cannot take commands while the database is away', async () => {
    const proxy: TcpProxy = await startTcpProxy({
      host: new URL(db.url).hostname,
      port: Number(new URL(db.url).port || 5432),
    });
    try {
      slack.handle('users.info', (b) => ({ user: { id: b.user, locale: 'en-US' } }));
      const toban = await start({ DATABASE_URL: proxy.via(db.url) });
      // Answered once while the database is there, so toban knows U0ENG reads English.
      await postSigned(`${toban.baseUrl}/slack/events`, SECRET, command('/oncall', 'U0ENG'));
      await slack.waitFor((c) => c.some((x) => x.method === 'respond/oncall-U0ENG-'));

      // The database stops answering (queries hang): the ack cannot wait for it past Slack's 3 s.
      proxy.freeze();
      const body = new URLSearchParams(command('/oncall', 'U0ENG', 'primary')).toString();
      const ts = Math.floor(Date.now() / 1000);
      const ack = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, body, { timestampSec: ts });
      expect(ack.status).toBe(200);
      expect(await ack.json()).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/cannot take commands right now/),
      });
      const other = await postSigned(`${toban.baseUrl}/slack/events`, SECRET, command('/oncall', 'U0NEW'));
      expect(String(((await other.json()) as { text?: string }).text)).toMatch(/受け付けられません/);

      // When the database comes back, the INSERT that was cut short lands, and is marked refused.
      proxy.thaw();
      const key = `sig:${signSlackRequest(SECRET, body, ts)['x-slack-signature'].slice(3)}`;
      await waitUntil('the late request is refused', async () => {
        const r = await db.pool.query(`SELECT state FROM slack_requests WHERE key = $1`, [key]);
        return r.rows[0]?.state === 'refused';
      });
      expect(slack.callsTo('respond/oncall-U0ENG-primary')).toHaveLength(0);

      // A database that refuses connections outright gets the same answer.
      await proxy.cut();
      const refused = await postSigned(
        `${toban.baseUrl}/slack/events`,
        SECRET,
        command('/oncall', 'U0ENG', 'x'),
      );
      expect(refused.status).toBe(200);
      expect(String(((await refused.json()) as { text?: string }).text)).toMatch(
        /cannot take commands right now/,
      );
      expect(toban.proc.exitCode).toBeNull();
    } finally {
      await proxy.close();
    }
  }, 90_000);
});

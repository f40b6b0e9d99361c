// The real `toban` process in Slack HTTP mode against the fake Slack Web API: signed slash commands,
// Slack's signature rules, our HTTP routes, and a clean shutdown on SIGTERM.
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

  it('never logs the bot token', () => {
    expect(toban.stderr()).not.toContain('xoxb-e2e-token');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await toban.kill('SIGTERM')).toBe(0);
  });
});

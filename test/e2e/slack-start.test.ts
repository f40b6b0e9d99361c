// Reaching Slack at start (brief fix-lifecycle C and H): a transient auth.test failure (429, 5xx,
// network) is waited out with /healthz up and /readyz saying why, a SIGTERM ends the wait with exit 0;
// a wrong SLACK_APP_TOKEN stops Socket Mode with one sentence naming it, asked of SLACK_API_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { freePort, spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

let db: TestDatabase;
let slack: FakeSlack;
const dataDir = tempDataDir();

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function slackEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    DATABASE_OWNER_URL: db.ownerUrl,
    TOBAN_DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook',
    HOST: '127.0.0.1',
    ...extra,
  };
}

async function readyz(toban: TobanProcess): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(`${toban.baseUrl}/readyz`);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined; // not listening yet
  }
}

/** Polls /readyz until `pred` holds on its answer. */
async function readyzUntil(toban: TobanProcess, pred: (r: { status: number; body: string }) => boolean) {
  for (;;) {
    const r = await readyz(toban);
    if (r && pred(r)) return r;
    if (toban.proc.exitCode !== null)
      throw new Error(`toban exited (${toban.proc.exitCode}):\n${toban.stderr()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('auth.test at start', () => {
  it('a 5xx is waited out: /healthz 200, /readyz 503 with the cause, then ready', async () => {
    slack.failNext('auth.test', { status: 500 }, 2);
    const toban = await spawnToban([], slackEnv());
    const waiting = await readyzUntil(toban, (r) => r.status === 503 && /auth\.test: HTTP 500/.test(r.body));
    expect(waiting.body).toMatch(/waiting for Slack \(auth\.test: HTTP 500\)/);
    expect((await fetch(`${toban.baseUrl}/healthz`)).status).toBe(200);
    await toban.waitHealthy();
    expect(toban.stderr()).toMatch(/auth\.test failed \(HTTP 500\); trying again/);
    expect(await toban.kill('SIGTERM')).toBe(0);
  }, 60_000);

  it('SIGTERM while rate-limited (429, Retry-After) exits 0 without waiting', async () => {
    slack.failNext('auth.test', { status: 429, retryAfter: 120 }, 1);
    const toban = await spawnToban([], slackEnv());
    await readyzUntil(toban, (r) => r.status === 503 && /rate-limited, retry after 120 s/.test(r.body));
    expect(await toban.kill('SIGTERM')).toBe(0);
  }, 60_000);

  it('a Slack API nothing answers for is waited out too (ECONNREFUSED on /readyz)', async () => {
    const port = await freePort();
    const toban = await spawnToban([], slackEnv({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` }));
    await readyzUntil(toban, (r) => r.status === 503 && /auth\.test: ECONNREFUSED/.test(r.body));
    expect(await toban.kill('SIGTERM')).toBe(0);
  }, 60_000);

  it('a refused bot token still stops with one sentence, exit 1', async () => {
    slack.revokeToken('invalid_auth');
    try {
      const toban = await spawnToban([], slackEnv());
      expect(await toban.exit()).toBe(1);
      expect(toban.stderr()).toMatch(/^toban: SLACK_BOT_TOKEN: Slack refused the token/m);
    } finally {
      slack.restoreToken();
    }
  }, 60_000);
});

describe('Socket Mode at start', () => {
  it('a refused SLACK_APP_TOKEN (asked of SLACK_API_URL) stops with one sentence naming it, exit 1', async () => {
    slack.handle('apps.connections.open', () => ({ ok: false, error: 'not_allowed_token_type' }));
    const toban = await spawnToban(
      [],
      slackEnv({ SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }),
    );
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 20_000)));
    const code = await Promise.race([toban.exit(), hung]);
    clearTimeout(timer);
    if (code === 'hung') await toban.kill('SIGKILL');
    expect(code, toban.stderr()).toBe(1);
    const sentences = toban
      .stderr()
      .split('\n')
      .filter((l) => l && !l.startsWith('{'));
    expect(sentences).toEqual([
      expect.stringMatching(
        /^toban: SLACK_APP_TOKEN: Slack refused the app-level token \(apps\.connections\.open answered not_allowed_token_type\)/,
      ),
    ]);
    expect(slack.callsTo('apps.connections.open').length).toBeGreaterThan(0);
  }, 60_000);
});

// Start-up failures outside toban.yml (issue 7, fault 10): the real process stops with exit 1 and
// one sentence naming the variable and the problem, never a stack trace.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { freePort, spawnToban, tempDataDir } from '../helpers/toban-process.ts';

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

/** Runs `toban` (or `toban <args>`) to its end; returns its exit code and its stderr. */
async function failingStart(env: Record<string, string>, args: string[] = []) {
  const toban = await spawnToban(args, { TOBAN_DATA_DIR: dataDir, ...env });
  toban.proc.stdin.end();
  const code = await toban.exit();
  return { code, stderr: toban.stderr() };
}

/** What a person reads: stderr without the JSON log lines (Slack modes log to stderr). */
function oneSentence(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('{'));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('start-up failures', () => {
  it('a DATABASE_URL port that is no port', async () => {
    const { code, stderr } = await failingStart({ DATABASE_URL: 'postgres://bot:pw@127.0.0.1:99999/toban' });
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe('toban: DATABASE_URL: the port "99999" is not a port number (1-65535)');
  });

  it('a database nothing answers for', async () => {
    const port = await freePort();
    const { code, stderr } = await failingStart({
      DATABASE_URL: `postgres://bot:pw@127.0.0.1:${port}/toban`,
    });
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      `toban: DATABASE_URL: nothing accepts connections at 127.0.0.1:${port} (connection refused); start PostgreSQL there or correct the host and port`,
    );
  });

  it('an owner connection with a wrong password, named as DATABASE_OWNER_URL', async () => {
    const owner = new URL(db.ownerUrl);
    owner.username = 'no_such_role_for_toban';
    const { code, stderr } = await failingStart(
      { DATABASE_URL: db.url, DATABASE_OWNER_URL: owner.toString() },
      ['migrate'],
    );
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toMatch(/^toban: DATABASE_OWNER_URL: PostgreSQL at 127\.0\.0\.1:\d+ refused/);
  });

  it('an unknown LOG_LEVEL', async () => {
    const { code, stderr } = await failingStart({ LOG_LEVEL: 'verbose' });
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      'toban: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });

  it('a Slack token that auth.test refuses', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const { code, stderr } = await failingStart({
      DATABASE_OWNER_URL: db.ownerUrl,
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.url,
      ALERT_WEBHOOK_TOKEN: 'hook',
    });
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      "toban: SLACK_BOT_TOKEN: Slack refused the token (auth.test answered invalid_auth); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth page again",
    );
  });
});

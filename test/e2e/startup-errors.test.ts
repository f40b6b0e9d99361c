// Start-up failures outside toban.yml (issue 7, fault 10, and the security review's findings 5, 6,
// 8, 10 and 11): the real process stops with exit 1 and one sentence naming the variable and the
// problem, never a stack trace, and nothing else on stderr but the JSON log lines of Slack modes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

/**
 * Runs `toban` (or `toban <args>`) to its end; returns its exit code and its stderr. A process
 * still running after 20 s (a start-up that hangs or spins) is killed and reported as 'hung'.
 */
async function failingStart(env: Record<string, string>, args: string[] = []) {
  const toban = await spawnToban(args, { TOBAN_DATA_DIR: dataDir, ...env });
  toban.proc.stdin.end();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 20_000)));
  const code = await Promise.race([toban.exit(), hung]);
  clearTimeout(timer);
  if (code === 'hung') await toban.kill('SIGKILL');
  return { code, stderr: toban.stderr() };
}

/** The environment of an HTTP-mode start on the test database, against the fake Slack. */
function httpMode(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook',
    HOST: '127.0.0.1',
    ...extra,
  };
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

  it('a DATABASE_URL whose password holds an unencoded /, without echoing it', async () => {
    const { code, stderr } = await failingStart(
      { DATABASE_URL: 'postgres://toban:Sup3r/Secret@127.0.0.1:5432/x' },
      ['migrate'],
    );
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toMatch(/^toban: DATABASE_URL: the URL is malformed; /);
    expect(stderr).not.toMatch(/Sup3r|Secret/);
  });

  it('a superuser DATABASE_URL', async () => {
    const { code, stderr } = await failingStart(httpMode({ DATABASE_URL: db.ownerUrl }));
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      `toban: DATABASE_URL: the role "${new URL(db.ownerUrl).username}" is a superuser, and the bot must not run as one; create a bot role as in the README's "Database roles" and give this connection to DATABASE_OWNER_URL`,
    );
  });

  it('a PORT another program holds', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await failingStart(httpMode({ PORT: String(port) }));
      expect(code).toBe(1);
      expect(oneSentence(stderr)).toBe(
        `toban: PORT: 127.0.0.1:${port} is already in use by another program; stop it or choose another PORT`,
      );
    } finally {
      await new Promise<void>((r) => holder.close(() => r()));
    }
  });

  it('a HOST that is no address', async () => {
    const { code, stderr } = await failingStart(httpMode({ HOST: '256.1.1.1' }));
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      'toban: HOST: "256.1.1.1" cannot be resolved to an address; use 0.0.0.0 (every interface), 127.0.0.1 or an address of this machine',
    );
  });

  it("a HOST that is not this machine's", async () => {
    const { code, stderr } = await failingStart(httpMode({ HOST: '8.8.8.8' }));
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(
      'toban: HOST: 8.8.8.8 is not an address of this machine; use 0.0.0.0 (every interface), 127.0.0.1 or an address of this machine',
    );
  });

  it('a TOBAN_CONFIG that is a directory', async () => {
    const { code, stderr } = await failingStart({ TOBAN_CONFIG: dataDir });
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toBe(`toban: TOBAN_CONFIG: ${dataDir} is a directory, not a YAML file`);
  });

  // auth.test answering 429, HTTP 5xx or not at all is waited out, not a start-up failure:
  // test/e2e/slack-start.test.ts.

  it('a TOBAN_DATA_DIR that is a shared folder, left as it was', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-shared-'));
    fs.chmodSync(shared, 0o1777);
    try {
      const { code, stderr } = await failingStart({ TOBAN_DATA_DIR: shared }, ['migrate']);
      expect(code).toBe(1);
      expect(oneSentence(stderr)).toBe(
        `toban: TOBAN_DATA_DIR: ${shared} is a shared folder (world-writable or sticky, as /tmp is); toban keeps passwords and ledger exports there, so name a folder of its own (a new path is created 0700)`,
      );
      expect(fs.statSync(shared).mode & 0o7777).toBe(0o1777);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });

  it('a TOBAN_DATA_DIR under /proc, at once', async () => {
    const { code, stderr } = await failingStart({ TOBAN_DATA_DIR: '/proc/self/x' }, ['migrate']);
    expect(code).toBe(1);
    expect(oneSentence(stderr)).toMatch(
      /^toban: TOBAN_DATA_DIR: \/proc\/self\/x is on the proc file system, where no folder can be made; /,
    );
  });
});

describe('start-up warnings', () => {
  const ownerish = `toban_test_ownerish_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const database = () => new URL(db.url).pathname.slice(1);

  beforeAll(async () => {
    await db.ownerPool.query(
      `CREATE ROLE ${ownerish} LOGIN PASSWORD 'ownerish' IN ROLE ${new URL(db.ownerUrl).username}`,
    );
    await db.ownerPool.query(`GRANT CONNECT ON DATABASE ${database()} TO ${ownerish}`);
  });
  afterAll(async () => {
    await db.ownerPool.query(`REVOKE ALL ON DATABASE ${database()} FROM ${ownerish}`);
    await db.ownerPool.query(`DROP ROLE IF EXISTS ${ownerish}`);
  });

  it('says on stderr, not only in the log file, that the bot runs as the owner of its tables', async () => {
    const u = new URL(db.url);
    u.username = ownerish;
    u.password = 'ownerish';
    const toban = await spawnToban(['run', '/oncall'], {
      TOBAN_DATA_DIR: dataDir,
      DATABASE_URL: u.toString(),
    });
    expect(await toban.exit()).toBe(0);
    expect(toban.stderr()).toBe(
      `toban: warning: DATABASE_URL connects as "${ownerish}", the owner of toban's tables: the bot could alter its tables and rewrite the audit log; give it a login role in toban_app and the owner's connection to DATABASE_OWNER_URL (README: database roles)\n`,
    );
  });
});

// Shutdown of the real process while a command is still answering (brief fix-lifecycle A and B):
// the console drains like the Slack transports (the reply of a command under way is printed), a
// drain that runs out is logged, and the grace bounds the whole shutdown: a query stuck in the
// database (here on a lock the test holds) is cancelled when it ends.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

let db: TestDatabase;
const dataDir = tempDataDir();
let holder: pg.PoolClient | undefined;

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await holder?.query('ROLLBACK').catch(() => {});
  holder?.release();
  holder = undefined;
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Console mode on the test database (no Slack tokens). */
function consoleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    DATABASE_OWNER_URL: db.ownerUrl,
    TOBAN_DATA_DIR: dataDir,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/**
 * Holds a lock every /ledger balance waits on: the ledger's accounts (its first read, so the
 * command still has its audit row to write after the wait) or the audit chain's head row (its last
 * write).
 */
async function lockFor(what: 'ledger' | 'audit'): Promise<void> {
  holder = await db.ownerPool.connect();
  await holder.query('BEGIN');
  await holder.query(
    what === 'ledger'
      ? 'LOCK TABLE ledger.accounts IN ACCESS EXCLUSIVE MODE'
      : 'SELECT * FROM audit_chain_head FOR UPDATE',
  );
}

async function releaseLock(): Promise<void> {
  await holder?.query('COMMIT');
  holder?.release();
  holder = undefined;
}

/** Resolves once a backend of the bot's role waits on a lock (the command is stuck there). */
async function commandWaitingOnLock(toban: TobanProcess): Promise<void> {
  for (;;) {
    const { rows } = await db.ownerPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND usename = $1 AND wait_event_type = 'Lock'`,
      [db.botRole],
    );
    if (rows[0]!.n > 0) return;
    if (toban.proc.exitCode !== null) throw new Error(`toban exited:\n${toban.stdout()}\n${toban.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const logFile = () => path.join(dataDir, 'toban.log');
const logText = () => (fs.existsSync(logFile()) ? fs.readFileSync(logFile(), 'utf8') : '');

/** Resolves once the process's log has a line matching `pattern` written after `from` characters. */
async function logged(pattern: RegExp, from: number, toban: TobanProcess): Promise<void> {
  while (!pattern.test(logText().slice(from))) {
    if (toban.proc.exitCode !== null) throw new Error(`toban exited before logging ${pattern}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The exit code, or 'hung' when the process is still running after `ms` (it is then killed). */
async function exitOrHung(toban: TobanProcess, ms: number): Promise<number | null | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const code = await Promise.race([toban.exit(), hung]);
  clearTimeout(timer);
  if (code === 'hung') await toban.kill('SIGKILL');
  return code;
}

const BALANCE = '/ledger balance 売掛金 2024-03-31\n';

describe('console shutdown', () => {
  // At EOF the shell answers the last line before it shuts down (it did before this brief too).
  for (const how of ['SIGTERM', 'SIGINT', 'EOF'] as const) {
    it(`${how} while a command is answering: its reply is printed before exit 0`, async () => {
      const from = logText().length;
      const toban = await spawnToban([], consoleEnv({ TOBAN_DRAIN_SECONDS: '60' }));
      await toban.waitFor(/toban/);
      await lockFor('ledger');
      if (how === 'EOF') toban.proc.stdin.end(BALANCE);
      else toban.proc.stdin.write(BALANCE);
      await commandWaitingOnLock(toban);
      if (how !== 'EOF') toban.proc.kill(how);
      // Past the point where the shutdown waits for the command, or goes on without it.
      if (how !== 'EOF') await logged(/shutdown: draining|outbox: worker stopped/, from, toban);
      await releaseLock();
      expect(await exitOrHung(toban, 30_000)).toBe(0);
      expect(toban.stdout()).toMatch(/売掛金/);
    }, 90_000);
  }

  it('the grace bounds the shutdown: a query stuck on a lock is cancelled, the drain timeout logged, exit 0', async () => {
    const from = logText().length;
    const toban = await spawnToban([], consoleEnv({ TOBAN_DRAIN_SECONDS: '1' }));
    await toban.waitFor(/toban/);
    await lockFor('audit'); // held until the process has exited
    toban.proc.stdin.write(BALANCE);
    await commandWaitingOnLock(toban);
    toban.proc.kill('SIGTERM');
    // The pool's statement_timeout (30 s) would end the wait on its own; the grace (1 s) must first.
    expect(await exitOrHung(toban, 20_000)).toBe(0);
    const log = logText().slice(from);
    expect(log).toMatch(/drain timed out/);
    expect(log).toMatch(/cancelling the database queries still running/);
    expect(toban.stdout()).toMatch(/コマンド 1 件を止めました/); // the person at the terminal is told
  }, 90_000);
});

// The embedded PostgreSQL as a process (issue 6, faults 8-10; issue 7, faults 6-7), with the real
// `toban` executable: the server stays out of toban's process group and is left last; tobans
// sharing a data directory keep working until the last one leaves; a stale postmaster.pid never
// gets an unrelated process killed; the server holds no secret and the bot is no superuser;
// everything toban writes is private; as root it works from inside a 0700 directory, and runs the
// server as toban's own system user, so another PostgreSQL on the host cannot read its files.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { SERVER_USER, findUser } from '../../src/db/embedded-layout.ts';
import { alive, readPostmasterPid } from '../../src/db/embedded-process.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { postSigned } from '../helpers/slack-sign.ts';
import {
  clusterOf,
  freePort,
  removeDataDir,
  spawnToban,
  tempDataDir,
  type TobanProcess,
} from '../helpers/toban-process.ts';

const dataDir = tempDataDir();
const env = { TOBAN_DATA_DIR: dataDir, LANG: 'C.UTF-8' };
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
  removeDataDir(dataDir);
});

function superuserUrl(dir: string): string {
  const lock = readPostmasterPid(clusterOf(dir));
  if (!lock) throw new Error('no embedded server is running');
  const password = fs.readFileSync(path.join(dir, 'pg.password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${lock.port}/postgres`;
}

function botUrl(dir: string): string {
  const u = new URL(superuserUrl(dir));
  u.username = 'toban_bot';
  u.password = fs.readFileSync(path.join(dir, 'pg.bot-password'), 'utf8').trim();
  return u.toString();
}

/** Runs `sql` (several statements allowed) on a connection of its own; the last result's rows. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const result = (await c.query<T>(sql)) as pg.QueryResult<T> | pg.QueryResult<T>[];
    return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
  } finally {
    await c.end();
  }
}

/** Starts the server from the test (as a toban would), runs fn, and leaves it. */
async function withServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = await startEmbeddedPostgres({ dataDir });
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('the embedded PostgreSQL', () => {
  it('treats a postmaster.pid naming an unrelated live process as stale, and leaves that process alone', async () => {
    // The first start makes the cluster; then the server is gone and its PID file names a process
    // that looks like a postgres (argv[0]) but is a `sleep`, orphaned as a stale PID's owner would be.
    const first = await startEmbeddedPostgres({ dataDir });
    await first.stop();
    const pid = Number(
      execFileSync('bash', ['-c', '(exec -a postgres sleep 60 </dev/null >/dev/null 2>&1) & echo $!'], {
        encoding: 'utf8',
      }).trim(),
    );
    cleanups.push(() => {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    const pidFile = path.join(clusterOf(dataDir), 'postmaster.pid');
    fs.writeFileSync(
      pidFile,
      `${pid}\n${clusterOf(dataDir)}\n1700000000\n5432\n\n127.0.0.1\n  0    0\nready   \n`,
    );

    const server = await startEmbeddedPostgres({ dataDir });
    try {
      expect(server.pid).not.toBe(pid);
      expect((await query<{ one: number }>(server.url, 'SELECT 1 AS one'))[0]!.one).toBe(1);
    } finally {
      await server.stop();
    }
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  }, 120_000);

  it('keeps serving a second toban when the first exits; the last one out stops it', async () => {
    const a = await spawnToban([], env);
    await a.waitFor(/toban コンソール/);
    const b = await spawnToban([], env);
    await b.waitFor(/toban コンソール/);
    const serverPid = readPostmasterPid(clusterOf(dataDir))!.pid;

    a.proc.stdin.end('/oncall\n');
    expect(await a.exit()).toBe(0);
    expect(alive(serverPid)).toBe(true);

    b.proc.stdin.end('/oncall\n');
    expect(await b.exit()).toBe(0);
    expect(b.stdout()).toMatch(/Primary on-call/);
    expect(alive(serverPid)).toBe(false);
  }, 180_000);

  it('writes the data directory and its folders 0700 and every file 0600 (CSV, chart, log, passwords)', async () => {
    const toban = await spawnToban([], env);
    toban.proc.stdin.end('/ledger account 売掛金 2024-01-01 2026-12-31\n/sales forecast 2026-01 2026-12\n');
    expect(await toban.exit()).toBe(0);
    expect(toban.stdout()).toMatch(/account-ledger-1130-.*\.csv/);
    expect(toban.stdout()).toMatch(/sales-forecast-.*\.png/);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'files'))).toBe(0o700);
    const files = fs.readdirSync(path.join(dataDir, 'files')).map((f) => path.join(dataDir, 'files', f));
    expect(files).toHaveLength(2);
    const own = ['toban.log', 'pg.log', 'pg.password', 'pg.bot-password'].map((f) => path.join(dataDir, f));
    for (const f of [...files, ...own]) expect([f, mode(f).toString(8)]).toEqual([f, '600']);
  }, 120_000);

  describe('under a Slack-mode toban', () => {
    const secret = 'embedded-sigint-secret';
    let slack: FakeSlack;
    let toban: TobanProcess;
    let su: string;
    let serverPid: number;
    beforeAll(async () => {
      slack = await startFakeSlack();
      toban = await spawnToban(
        [],
        {
          ...env,
          SLACK_BOT_TOKEN: 'xoxb-embedded-secret-token',
          SLACK_SIGNING_SECRET: secret,
          SLACK_API_URL: slack.url,
          ALERT_WEBHOOK_TOKEN: 'hook',
        },
        { detached: true },
      );
      await toban.waitHealthy();
      su = superuserUrl(dataDir);
      serverPid = readPostmasterPid(clusterOf(dataDir))!.pid;
    }, 120_000);
    afterAll(async () => {
      if (toban && toban.proc.exitCode === null) await toban.kill('SIGKILL');
      await slack?.close();
    });

    it('gives the server no secret from the environment and the bot no superuser power', async () => {
      const environ = fs.readFileSync(`/proc/${serverPid}/environ`, 'utf8').split('\0');
      expect(environ.filter((v) => /^(SLACK_|ALERT_|DATABASE_|GITHUB_)/.test(v))).toEqual([]);
      const viaSql = await query<{ line: string }>(
        su,
        `CREATE TEMP TABLE e (line text); COPY e FROM PROGRAM 'env'; SELECT line FROM e`,
      );
      expect(viaSql.length).toBeGreaterThan(0);
      expect(viaSql.map((r) => r.line).filter((l) => /^(SLACK_|ALERT_|DATABASE_)/.test(l))).toEqual([]);
      const bot = botUrl(dataDir);
      expect(
        await query<{ u: string; s: boolean }>(
          bot,
          `SELECT current_user AS u, usesuper AS s FROM pg_user WHERE usename = current_user`,
        ),
      ).toEqual([{ u: 'toban_bot', s: false }]);
      await expect(query(bot, `COPY (SELECT 1) TO PROGRAM 'env'`)).rejects.toThrow(
        /permission denied to COPY|pg_execute_server_program|superuser/,
      );
      // Nor a temporary table (the database is closed to PUBLIC; the bot is let in by name).
      await expect(query(bot, `CREATE TEMP TABLE e (line text)`)).rejects.toThrow(
        /permission denied to create temporary tables/,
      );
      // The bot's pools really use that role.
      const users = await query<{ usename: string }>(
        su,
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'toban'`,
      );
      expect(users).toEqual([{ usename: 'toban_bot' }]);
    });

    it('takes no Ctrl-C meant for toban: a command waiting on the database is recorded, then the server stops', async () => {
      // The database is busy: the audit table is locked, so the command's audit row has to wait.
      const holder = new pg.Client({ connectionString: su });
      await holder.connect();
      cleanups.push(() => void holder.end().catch(() => {}));
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE audit_log IN SHARE MODE');
      const res = await postSigned(`${toban.baseUrl}/slack/events`, secret, {
        token: 'legacy',
        team_id: 'T0TEAM',
        channel_id: 'C0FINANCE',
        user_id: 'U0FIN1',
        command: '/ledger',
        text: 'balance 売掛金 2024-03-31',
        response_url: slack.responseUrl('ledger-sigint'),
        trigger_id: '1.2.3',
        api_app_id: 'A0TOBAN',
      });
      expect(res.status).toBe(200);
      for (;;) {
        const waiting = await query<{ n: string }>(
          su,
          `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO audit_log%'`,
        );
        if (waiting[0]!.n !== '0') break;
        await new Promise((r) => setTimeout(r, 50));
      }

      // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
      process.kill(-toban.proc.pid!, 'SIGINT');
      await toban.waitFor(/shutting down/, 'stderr');
      expect(alive(serverPid)).toBe(true);
      await holder.query('COMMIT'); // the database is free again; toban is still draining
      await holder.end();
      expect(await toban.exit()).toBe(0);
      expect(alive(serverPid)).toBe(false);

      await withServer(async (url) => {
        const rows = await query<{ action: string; outcome: string }>(
          url,
          `SELECT action, outcome FROM audit_log WHERE actor = 'U0FIN1' ORDER BY seq`,
        );
        expect(rows).toContainEqual({ action: 'ledger.balance', outcome: 'allowed' });
        const replies = await query<{ n: string }>(
          url,
          `SELECT count(*) AS n FROM outbox WHERE payload::text LIKE '%ledger-sigint%'`,
        );
        expect(replies[0]!.n).toBe('1');
      });
    }, 120_000);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "works as root from inside a 0700 directory (as in root's home), keeping the data directory 0700",
    async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-roothome-'));
      fs.chmodSync(home, 0o700);
      const dir = path.join(home, 'project', '.toban');
      cleanups.push(() => {
        removeDataDir(dir);
        fs.rmSync(home, { recursive: true, force: true });
      });
      const server = await startEmbeddedPostgres({ dataDir: dir });
      try {
        expect((await query<{ one: number }>(server.url, 'SELECT 1 AS one'))[0]!.one).toBe(1);
      } finally {
        await server.stop();
      }
      expect(mode(dir)).toBe(0o700);
      expect(mode(home)).toBe(0o700);
    },
    120_000,
  );

  describe.skipIf(process.getuid?.() !== 0)("as root: toban's own system user, not postgres", () => {
    /** The real uid a process runs as (/proc/<pid>/status). */
    const uidOf = (pid: number) =>
      Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    const tobanPg = () => findUser(SERVER_USER)!;
    const postgresUser = () => findUser('postgres');
    /** Whether the `postgres` system user can read `file` (as another PostgreSQL's COPY … FROM PROGRAM would). */
    const postgresCanRead = (file: string) =>
      spawnSync('cat', [file], { uid: postgresUser()!.uid, gid: postgresUser()!.gid, stdio: 'ignore' })
        .status === 0;

    it('runs the server as toban-pg, its cluster closed to the postgres user', async () => {
      const dir = tempDataDir();
      cleanups.push(() => removeDataDir(dir));
      const server = await startEmbeddedPostgres({ dataDir: dir });
      try {
        expect(uidOf(server.pid)).toBe(tobanPg().uid);
        const pgdata = clusterOf(dir);
        expect(fs.statSync(pgdata).uid).toBe(tobanPg().uid);
        expect(mode(pgdata)).toBe(0o700);
        if (postgresUser()) expect(postgresCanRead(path.join(pgdata, 'PG_VERSION'))).toBe(false);
      } finally {
        await server.stop();
      }
    }, 120_000);

    it.skipIf(!findUser('postgres'))(
      'hands a cluster an older toban made for postgres to toban-pg, stopping its server, and keeps its data',
      async () => {
        const dir = tempDataDir();
        cleanups.push(() => removeDataDir(dir));
        const first = await startEmbeddedPostgres({ dataDir: dir });
        const binary = fs.readlinkSync(`/proc/${first.pid}/exe`);
        await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('前受金')`);
        await first.stop();
        // As the previous toban left it: the cluster the postgres user's, its server still running.
        const pgdata = clusterOf(dir);
        const pg = postgresUser()!;
        execFileSync('chown', ['-R', `${pg.uid}:${pg.gid}`, pgdata]);
        const old = spawn(
          binary,
          [
            '-D',
            pgdata,
            '-p',
            String(await freePort()),
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'unix_socket_directories=',
          ],
          {
            uid: pg.uid,
            gid: pg.gid,
            env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' },
            detached: true,
            stdio: 'ignore',
          },
        );
        old.unref();
        cleanups.push(() => {
          if (old.pid && alive(old.pid)) process.kill(old.pid, 'SIGKILL');
        });
        for (let i = 0; readPostmasterPid(pgdata)?.status !== 'ready'; i++) {
          if (i > 600) throw new Error('the old server did not start');
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(uidOf(old.pid!)).toBe(pg.uid);

        const server = await startEmbeddedPostgres({ dataDir: dir });
        try {
          expect(alive(old.pid!)).toBe(false);
          expect(uidOf(server.pid)).toBe(tobanPg().uid);
          expect(fs.statSync(pgdata).uid).toBe(tobanPg().uid);
          expect(fs.statSync(path.join(pgdata, 'PG_VERSION')).uid).toBe(tobanPg().uid);
          expect(postgresCanRead(path.join(pgdata, 'PG_VERSION'))).toBe(false);
          expect(await query<{ v: string }>(server.url, 'SELECT v FROM kept')).toEqual([{ v: '前受金' }]);
        } finally {
          await server.stop();
        }
      },
      180_000,
    );
  });
});

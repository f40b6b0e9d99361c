// What a postmaster.pid names, and whether that process really is the server of this data directory.
// A PID in a stale postmaster.pid may since belong to any process (another PostgreSQL, an editor):
// only a process whose executable is our postgres binary and whose command line holds `-D <pgdata>`
// may be signalled. Linux /proc; elsewhere nothing can be proven, so nothing is signalled.
import fs from 'node:fs';
import path from 'node:path';

export interface PostmasterPid {
  pid: number;
  port: number;
  /** Line 8 of postmaster.pid (PostgreSQL 10+): starting, ready, stopping, standby. */
  status: string;
}

/**
 * Reads `<pgdata>/postmaster.pid` (format: src/include/utils/pidfile.h in PostgreSQL's sources:
 * line 1 PID, line 4 port, line 8 status). Undefined when absent or unreadable.
 */
export function readPostmasterPid(pgdata: string): PostmasterPid | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The process exists and is not a zombie (a zombie still answers kill 0 but is gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = statFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22), to tell a reused PID. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * True only when `pid` is alive, runs `postgresBinary` (by /proc/<pid>/exe, else its argv[0]) and
 * was started with `-D <pgdata>`. A binary replaced on disk since (an upgrade) still counts.
 */
export function isServerOf(pid: number, postgresBinary: string, pgdata: string): boolean {
  if (!alive(pid)) return false;
  const cmdline = readProc(pid, 'cmdline');
  if (!cmdline) return false;
  const argv = cmdline.split('\0').filter((a) => a !== '');
  let exe: string | undefined;
  try {
    exe = fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    exe = argv[0];
  }
  if (!exe || realpath(exe) !== realpath(postgresBinary)) return false;
  const d = argv.indexOf('-D');
  const dataArg = d >= 0 ? argv[d + 1] : argv.find((a) => a.startsWith('-D'))?.slice(2);
  return dataArg !== undefined && dataArg !== '' && realpath(dataArg) === realpath(pgdata);
}

/** Polls until `pid` is gone (or a zombie). Resolves false after `timeoutMs`. */
export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

// Runs the real `toban` executable (bin/toban.js) as a child process, as an operator would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { recordedLocation, removeEmbeddedData } from '../../src/db/embedded-layout.ts';
import { alive, readPostmasterPid } from '../../src/db/embedded-process.ts';

export interface TobanProcess {
  proc: ChildProcessWithoutNullStreams;
  port: number;
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  exit(): Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'toban-e2e-'));
}

/** The embedded cluster of a data directory (as root it lives outside it: see embedded-layout.ts). */
export function clusterOf(dataDir: string): string {
  return recordedLocation(dataDir) ?? path.join(dataDir, 'pg');
}

/**
 * After a test: kills an embedded server a failed test left running on `dataDir`, then removes the
 * data directory and its cluster.
 */
export function removeDataDir(dataDir: string): void {
  const pgdata = clusterOf(dataDir);
  const lock = readPostmasterPid(pgdata);
  if (lock && alive(lock.pid)) {
    const cmdline = fs.readFileSync(`/proc/${lock.pid}/cmdline`, 'utf8').split('\0');
    if (cmdline.includes(pgdata)) process.kill(lock.pid, 'SIGKILL');
  }
  removeEmbeddedData(dataDir);
}

const BIN = path.resolve('bin/toban.js');
/**
 * The Node options bin/toban.js gives itself on its #! line (V8 heap settings), which `toban` and
 * `npm start` run it with. Tests run it with process.execPath, so they pass these themselves.
 */
export const TOBAN_NODE_FLAGS = (fs.readFileSync(BIN, 'utf8').split('\n', 1)[0] ?? '')
  .replace(/^#!.*?\bnode\b/, '')
  .trim()
  .split(/\s+/)
  .filter(Boolean);

export async function spawnToban(
  args: string[],
  env: Record<string, string>,
  opts: { port?: number; cwd?: string; detached?: boolean; nodeArgs?: string[] } = {},
): Promise<TobanProcess> {
  const port = opts.port ?? (await freePort());
  // nodeArgs: Node's own options (a benchmark's --cpu-prof), which NODE_OPTIONS may not carry.
  const proc = spawn(process.execPath, [...TOBAN_NODE_FLAGS, ...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd: opts.cwd ?? path.resolve('.'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, as a shell gives a foreground job: a test can signal the whole group
    // the way a Ctrl-C in the terminal does (process.kill(-pid, 'SIGINT')).
    detached: opts.detached ?? false,
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    while (!pattern.test(stream === 'stdout' ? out : err)) {
      if (proc.exitCode !== null)
        throw new Error(`toban exited (${proc.exitCode}) before ${pattern}:\n${out}\n${err}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}:\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    proc,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    async waitHealthy(timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`toban exited (${proc.exitCode}):\n${out}\n${err}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > end) throw new Error(`toban not ready in time:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exit: () => exited,
    async kill(signal) {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}

// A mutex between processes on this machine, for the few steps that must not interleave when two
// tobans share one data directory (start or join the embedded server; leave it, stopping it last).
// It is a listening Unix socket: binding fails while another process holds the name, and the kernel
// frees it when the holder exits, even by kill -9, so there is no stale lock to guess about.
// Linux: the abstract namespace (no file). Elsewhere: a socket file in the temporary directory; a
// file nobody answers on is a dead holder's and is removed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface HostLock {
  release(): Promise<void>;
}

function socketPath(name: string): string {
  const digest = crypto.createHash('sha256').update(name).digest('hex').slice(0, 32);
  return os.platform() === 'linux' ? `\0toban-${digest}` : path.join(os.tmpdir(), `toban-${digest}.lock`);
}

function tryListen(where: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err),
    );
    server.listen(where, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** A socket file whose holder is gone refuses connections. */
function answers(where: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(where);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Takes the lock named `name` (any string; a path is usual), waiting for its holder.
 * Throws `Error` naming the lock after `timeoutMs` (ms). `onWait` is called once, when it must wait.
 */
export async function acquireHostLock(
  name: string,
  opts: { timeoutMs: number; onWait?: () => void },
): Promise<HostLock> {
  const where = socketPath(name);
  const end = Date.now() + opts.timeoutMs;
  let waited = false;
  for (;;) {
    const server = await tryListen(where);
    if (server)
      return {
        release: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    if (!where.startsWith('\0') && !(await answers(where))) {
      fs.rmSync(where, { force: true });
      continue;
    }
    if (Date.now() > end)
      throw new Error(`another toban has held the start lock of ${name} for over ${opts.timeoutMs / 1000} s`);
    if (!waited) opts.onWait?.();
    waited = true;
    await new Promise((r) => setTimeout(r, 100));
  }
}

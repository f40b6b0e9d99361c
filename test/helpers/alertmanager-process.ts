// A real Alertmanager (Debian's prometheus-alertmanager, which .ci/run installs) for end-to-end
// tests: one instance on a free loopback port with the configuration a test gives, no cluster
// gossip, its own storage directory, stopped and removed by stop(). Without the binary the tests
// that need it skip, saying so (alertmanagerPresent, skipNotice).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './toban-process.ts';

export const ALERTMANAGER_BINARY = 'prometheus-alertmanager';

function installed(): boolean {
  try {
    execFileSync(ALERTMANAGER_BINARY, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether the binary runs here (checked once, when the module loads). */
export const alertmanagerPresent = installed();

/** Prints why `suite` is skipped when the binary is absent; call it at a test file's top level. */
export function skipNotice(suite: string): void {
  if (!alertmanagerPresent)
    console.warn(
      `${suite}: skipped, ${ALERTMANAGER_BINARY} not installed (apt-get install -y prometheus-alertmanager)`,
    );
}

/** Polls `probe` until it returns a value (a condition, not a duration: the timeout only bounds a hang). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface AlertmanagerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** What it printed so far (for a failure's message). */
  output(): string;
  /** POSTs alerts to its API v2 (`/api/v2/alerts`); resolves with the status. */
  postAlerts(alerts: readonly Record<string, unknown>[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager with `config` (alertmanager.yml's text; `port`: default a free one) and waits
 * until /-/ready answers. @throws when it does not get ready in 15 s, with what it printed.
 */
export async function startAlertmanager(config: string, port?: number): Promise<AlertmanagerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-alertmanager-'));
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config);
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const out: string[] = [];
  const am: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${listen}`,
      '--cluster.listen-address=', // no gossip port: one instance, nothing to collide with
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  am.stdout?.on('data', (b: Buffer) => out.push(b.toString()));
  am.stderr?.on('data', (b: Buffer) => out.push(b.toString()));
  const stop = async () => {
    if (am.exitCode === null && am.signalCode === null) {
      const exited = new Promise((resolve) => am.once('exit', resolve));
      am.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      `Alertmanager ready at ${url}`,
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${out.join('')}`);
  }
  return {
    url,
    output: () => out.join(''),
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      await res.arrayBuffer();
      return res.status;
    },
    stop,
  };
}

// An AppContext for tests: a real database, a manual clock, a silent (or captured) logger,
// the built-in demo configuration and a fixed directory of user groups.
import { Writable } from 'node:stream';
import { ManualClock } from '../../src/app/clock.ts';
import type { AppContext } from '../../src/core/context.ts';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import { loadConfig, type Config } from '../../src/config/load.ts';
import type { Pool } from '../../src/db/pool.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { DEMO_USERS } from '../../src/demo/config.ts';

export function demoConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig(env, '/nonexistent-dir-for-tests');
}

/** Collects log lines so tests can assert what was logged. */
export class LogCapture extends Writable {
  lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    cb();
  }
}

export function testContext(
  pool: Pool,
  overrides: Partial<AppContext> = {},
): AppContext & { clock: ManualClock; logs: LogCapture } {
  const logs = new LogCapture();
  const clock = new ManualClock('2024-04-10T01:00:00Z');
  return {
    config: demoConfig(),
    pool,
    ledgerPool: pool,
    clock,
    log: createLogger('debug', logs),
    // The demo's people (and U0FIN2) are the workspace's users; no locales, so the configured one is used.
    directory: staticDirectory({ S0FINANCE: ['U0FIN2'] }, {}, {}, [...Object.keys(DEMO_USERS), 'U0FIN2']),
    metrics: createMetrics(),
    outboxTransport: 'slack',
    logs,
    ...overrides,
  } as AppContext & { clock: ManualClock; logs: LogCapture };
}

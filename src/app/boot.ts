// The common start of every `toban` subcommand: configuration, logger, database (embedded when no
// DATABASE_URL), migrations, pools, and the AppContext. `close()` undoes it in reverse order.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config/load.ts';
import { DEMO_USERS } from '../config/demo.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { createPool, type Pool } from '../db/pool.ts';
import { staticDirectory, type Directory } from '../services/directory.ts';
import { createSalesSource } from '../services/sales/source.ts';
import { systemClock } from './clock.ts';
import type { AppContext } from './context.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics } from './metrics.ts';

export interface Booted {
  ctx: AppContext;
  databaseUrl: string;
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

export interface BootOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where logs go. Default: a file in console mode (they would interleave with the shell), else stderr. */
  logTo?: 'stderr' | 'file';
  directory?: (config: Config) => Directory;
  poolMax?: number;
}

/** Demo user groups for console mode: the finance group holds the demo finance member. */
export function demoDirectory(config: Config): Directory {
  const locales = Object.fromEntries(Object.entries(DEMO_USERS).map(([id, u]) => [id, u.locale]));
  const oncall = config.rotations.find((r) => r.usergroup === 'S0ONCALL')?.members ?? [];
  return staticDirectory({ S0FINANCE: ['U0FIN1'], S0ONCALL: oncall }, locales);
}

export function createLog(config: Config, to: 'stderr' | 'file'): Logger {
  if (to === 'file') {
    fs.mkdirSync(config.env.dataDir, { recursive: true });
    const dest = fs.createWriteStream(path.join(config.env.dataDir, 'toban.log'), { flags: 'a' });
    return createLogger(config.env.logLevel, dest);
  }
  return createLogger(config.env.logLevel);
}

export async function boot(opts: BootOptions): Promise<Booted> {
  const config = loadConfig(opts.env, opts.cwd);
  const log = createLog(config, opts.logTo ?? (config.env.mode === 'console' ? 'file' : 'stderr'));
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.env.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.env.dataDir,
      log: (line) => log.info({ embedded: true }, line),
    });
    databaseUrl = embedded.url;
  }
  const closers: (() => Promise<void>)[] = [];
  try {
    const applied = await migrate(databaseUrl, (m) => log.warn(m));
    if (applied.length) log.info({ applied }, 'migrations applied');
    const pool = createPool(databaseUrl, { max: opts.poolMax ?? 10 });
    closers.push(() => pool.end());
    let ledgerPool: Pool = pool;
    if (config.env.ledgerDatabaseUrl) {
      ledgerPool = createPool(config.env.ledgerDatabaseUrl, { max: 5, applicationName: 'toban-ledger' });
      closers.push(() => ledgerPool.end());
    }
    const ctx: AppContext = {
      config,
      pool,
      ledgerPool,
      clock: systemClock,
      log,
      directory: (opts.directory ?? demoDirectory)(config),
      metrics: createMetrics({ defaults: true }),
      sales: createSalesSource(config, pool),
    };
    return {
      ctx,
      databaseUrl,
      embedded,
      async close() {
        for (const c of closers.reverse()) await c().catch(() => {});
        if (embedded?.owned) await embedded.stop();
        log.flush?.();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => {});
    if (embedded?.owned) await embedded.stop();
    throw err;
  }
}

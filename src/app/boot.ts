// The common start of every `toban` subcommand: configuration, logger, database (embedded when no
// DATABASE_URL), migrations, pools, and the AppContext. `close()` undoes it in reverse order.
//
// Two database roles (ARCHITECTURE.md rule 6, README "Database roles"): migrations run with the
// owner's connection (DATABASE_OWNER_URL, else DATABASE_URL); the bot's pools use DATABASE_URL, a
// login role in toban_app. With the embedded server toban makes both: its superuser migrates, and
// the login role toban_bot (password in <TOBAN_DATA_DIR>/pg.bot-password) is the bot.
import path from 'node:path';
import { loadConfig, type Config } from '../config/load.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded.ts';
import {
  NO_LEDGER_SCHEMA,
  ledgerReadable,
  migrate,
  migrationNames,
  pendingMigrations,
} from '../db/migrate.ts';
import { createPool, type Pool } from '../db/pool.ts';
import { RunningQueries } from '../db/running-queries.ts';
import { botRoleFacts, ensureEmbeddedBotRole } from '../db/roles.ts';
import type { Directory } from '../services/directory.ts';
import { demoDirectory } from '../demo/index.ts';
import { createSalesSource } from '../services/sales/source.ts';
import { transportOf } from '../outbox/deliverer.ts';
import { systemClock } from './clock.ts';
import type { AppContext } from '../core/context.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { ensureDataDir, openPrivateAppendStream } from '../core/private-files.ts';
import { StartupError, databaseStartupError } from '../core/startup-errors.ts';

export interface Booted {
  ctx: AppContext;
  /** The bot's connection (a member of toban_app). */
  databaseUrl: string;
  /** The owner's connection: migrations and demo data only. */
  ownerUrl: string;
  embedded?: EmbeddedServer;
  /** The bot's and the ledger's pools' lent-out clients: shutdown cancels their queries at the grace's end. */
  running: RunningQueries;
  /** Runs `fn` with a small pool on the owner's connection (demo data writes ledger and sales). */
  withOwner<T>(fn: (pool: Pool) => Promise<T>): Promise<T>;
  /**
   * Closes the pools, then leaves the embedded server (stopped by the last toban out). With
   * `poolsWithinMs`, a pool still waiting on a client after that many ms is left behind (its
   * connections die with the process), so the server is still left and the caller may exit.
   * Resolves false when something was left behind.
   */
  close(opts?: { poolsWithinMs?: number }): Promise<boolean>;
}

export interface BootOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where logs go. Default: a file in console mode (they would interleave with the shell), else stderr. */
  logTo?: 'stderr' | 'file';
  directory?: (config: Config, log: Logger) => Directory;
  poolMax?: number;
  /**
   * `toban migrate`: apply the migrations with the owner's connection (DATABASE_OWNER_URL, else
   * DATABASE_URL) and check nothing about the bot's role, which may not exist yet.
   */
  migrateOnly?: boolean;
  /**
   * Where a start-up warning an operator must see goes besides the log (one sentence, no prefix).
   * Default: stderr, as `toban: warning: <sentence>`.
   */
  warn?: (sentence: string) => void;
}

function warnOnStderr(sentence: string): void {
  process.stderr.write(`toban: warning: ${sentence}\n`);
}

/** SQL identifier quoting for a statement the operator copies. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Resolves once every line written to `stream` so far is in the file. */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const logFiles = new WeakMap<Logger, NodeJS.WritableStream>();

export function createLog(config: Config, to: 'stderr' | 'file'): Logger {
  if (to === 'file') {
    ensureDataDir(config.env.dataDir);
    const file = path.join(config.env.dataDir, 'toban.log');
    let stream: NodeJS.WritableStream;
    try {
      stream = openPrivateAppendStream(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new StartupError(
        `TOBAN_DATA_DIR: the log file ${file} cannot be written (${e.code ?? e.message}); choose a directory you own`,
        { cause: err },
      );
    }
    const logger = createLogger(config.env.logLevel, stream);
    logFiles.set(logger, stream);
    return logger;
  }
  return createLogger(config.env.logLevel);
}

/** Writes out what the logger has buffered (the log file's last lines, before the process ends). */
async function flushLog(log: Logger): Promise<void> {
  log.flush?.();
  const stream = logFiles.get(log);
  if (stream) await flushed(stream);
}

/** Runs a database step, turning a connection or permission failure into one sentence. */
async function step<T>(
  variable: string,
  url: string,
  during: 'connect' | 'migrate',
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw databaseStartupError(variable, url, err, during);
  }
}

interface Connections {
  ownerUrl: string;
  botUrl: string;
}

/**
 * An external PostgreSQL: the bot's role is asked what it is (a superuser is refused before anything
 * is done with it), the migrations run as the owner, then the role must be in toban_app (or be the
 * owner: the one-role set-up, warned about). A database every role may connect to is warned about.
 */
async function externalDatabase(
  config: Config,
  log: Logger,
  opts: { migrateOnly: boolean; warn: (sentence: string) => void },
): Promise<Connections> {
  const botUrl = config.env.databaseUrl ?? '';
  const ownerUrl = config.env.databaseOwnerUrl ?? botUrl;
  const ownerVar = config.env.databaseOwnerUrl ? 'DATABASE_OWNER_URL' : 'DATABASE_URL';
  const runMigrations = async () => {
    const applied = await step(ownerVar, ownerUrl, 'migrate', () => migrate(ownerUrl, (m) => log.warn(m)));
    if (applied.length) log.info({ applied }, 'migrations applied');
  };
  if (opts.migrateOnly) {
    await runMigrations();
    return { ownerUrl, botUrl };
  }
  const warn = (sentence: string, fields: Record<string, unknown>) => {
    log.warn(fields, sentence);
    opts.warn(sentence);
  };
  let facts = await step('DATABASE_URL', botUrl, 'connect', () => botRoleFacts(botUrl));
  if (facts.superuser)
    throw new StartupError(
      `DATABASE_URL: the role ${ident(facts.role)} is a superuser, and the bot must not run as one; create a bot role as in the README's "Database roles" and give this connection to DATABASE_OWNER_URL`,
    );
  // Without DATABASE_OWNER_URL, a bot role whose migrations were applied beforehand (`toban migrate`
  // with the owner's connection, in a deploy step) starts without migrating: the running replicas
  // then never hold the owner's credentials. Anything pending is migrated with DATABASE_URL, which
  // says in one sentence what to set when that role may not.
  // Either way the migration library is loaded only when something is pending: once loaded it stays
  // for the process's life (about 20 MB of memory), and a database already migrated is the usual start.
  const checkVar = config.env.databaseOwnerUrl ? 'DATABASE_OWNER_URL' : 'DATABASE_URL';
  const checkUrl = config.env.databaseOwnerUrl ? ownerUrl : botUrl;
  const upToDate = await step(checkVar, checkUrl, 'connect', () => allMigrationsApplied(checkUrl));
  if (!upToDate) {
    await runMigrations();
    // toban_app and the tables may have just been made.
    facts = await step('DATABASE_URL', botUrl, 'connect', () => botRoleFacts(botUrl));
  }
  if (facts.ownsTables) {
    // Said once per start: the set-up works, but the audit log is only as safe as this role.
    warn(
      `DATABASE_URL connects as ${ident(facts.role)}, the owner of toban's tables: the bot could alter its tables and rewrite the audit log; give it a login role in toban_app and the owner's connection to DATABASE_OWNER_URL (README: database roles)`,
      { role: facts.role, ownsTables: true },
    );
  } else if (!facts.inApp) {
    throw new StartupError(
      `DATABASE_URL: the role ${ident(facts.role)} is not a member of toban_app, so it cannot use toban's tables; run GRANT toban_app TO ${ident(facts.role)} as the owner`,
    );
  }
  if (facts.publicConnect) {
    // toban_app is server-wide: only the database's CONNECT privilege keeps other deployments out.
    const db = ident(facts.database);
    warn(
      `DATABASE_URL: every role may connect to the database ${db} (CONNECT is granted to PUBLIC), so another toban's bot on this server could use toban's tables; as the database's owner run REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC; GRANT CONNECT ON DATABASE ${db} TO ${ident(facts.role)}`,
      { database: facts.database, publicConnect: true },
    );
  }
  return { ownerUrl, botUrl };
}

/**
 * LEDGER_DATABASE_URL answers and its role may read the ledger schema; else one sentence naming it
 * (otherwise toban would start and answer every /ledger with an internal error).
 */
async function checkLedger(url: string): Promise<void> {
  const pool = createPool(url, { max: 1, applicationName: 'toban-boot' });
  try {
    const readable = await step('LEDGER_DATABASE_URL', url, 'connect', () => ledgerReadable(pool));
    if (!readable)
      throw new StartupError(
        `LEDGER_DATABASE_URL: ${NO_LEDGER_SCHEMA}; point it at the database holding the ledger, or grant its role USAGE and SELECT on that schema`,
      );
  } finally {
    await pool.end();
  }
}

/** True when the migrations table lists every migration; false when it is missing or behind. */
async function allMigrationsApplied(url: string): Promise<boolean> {
  const pool = createPool(url, { max: 1, applicationName: 'toban-boot' });
  try {
    return (await pendingMigrations(pool, migrationNames())).length === 0;
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return false; // no migrations table yet
    throw err;
  } finally {
    await pool.end();
  }
}

/** The embedded server: its superuser migrates; the bot is the login role toban_bot. */
async function embeddedDatabase(server: EmbeddedServer, config: Config, log: Logger): Promise<Connections> {
  const ownerUrl = server.url;
  const upToDate = await step('TOBAN_DATA_DIR (embedded PostgreSQL)', ownerUrl, 'connect', () =>
    allMigrationsApplied(ownerUrl),
  );
  const applied = upToDate
    ? []
    : await step('TOBAN_DATA_DIR (embedded PostgreSQL)', ownerUrl, 'migrate', () =>
        migrate(ownerUrl, (m) => log.warn(m)),
      );
  if (applied.length) log.info({ applied }, 'migrations applied');
  const botUrl = await step('TOBAN_DATA_DIR (embedded PostgreSQL)', ownerUrl, 'connect', () =>
    ensureEmbeddedBotRole(ownerUrl, config.env.dataDir),
  );
  return { ownerUrl, botUrl };
}

export async function boot(opts: BootOptions): Promise<Booted> {
  const config = loadConfig(opts.env, opts.cwd);
  const log = createLog(config, opts.logTo ?? (config.env.mode === 'console' ? 'file' : 'stderr'));
  let embedded: EmbeddedServer | undefined;
  const closers: (() => Promise<void>)[] = [];
  const running = new RunningQueries();
  // The embedded server is left last, after every pool is closed (a Ctrl-C never reaches it).
  const closeAll = async (withinMs?: number): Promise<boolean> => {
    let complete = true;
    for (const c of closers.reverse()) {
      const closed = c().catch(() => {});
      if (withinMs === undefined) {
        await closed;
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), withinMs)));
      if ((await Promise.race([closed, late])) === 'late') complete = false;
      clearTimeout(timer);
    }
    closers.length = 0;
    await embedded?.stop().catch((err: unknown) => log.error({ err }, 'stopping embedded PostgreSQL failed'));
    return complete;
  };
  try {
    let conn: Connections;
    if (config.env.databaseUrl) {
      conn = await externalDatabase(config, log, {
        migrateOnly: opts.migrateOnly ?? false,
        warn: opts.warn ?? warnOnStderr,
      });
    } else {
      ensureDataDir(config.env.dataDir);
      embedded = await startEmbeddedPostgres({
        dataDir: config.env.dataDir,
        log: (line) => log.info({ embedded: true }, line),
      });
      conn = await embeddedDatabase(embedded, config, log);
    }
    const pool = running.watch(createPool(conn.botUrl, { max: opts.poolMax ?? 10 }));
    closers.push(() => pool.end());
    let ledgerPool: Pool = pool;
    const ledgerUrl = config.env.ledgerDatabaseUrl;
    if (ledgerUrl && !opts.migrateOnly) await checkLedger(ledgerUrl);
    if (ledgerUrl) {
      ledgerPool = running.watch(createPool(ledgerUrl, { max: 5, applicationName: 'toban-ledger' }));
      closers.push(() => ledgerPool.end());
    }
    const ctx: AppContext = {
      config,
      pool,
      ledgerPool,
      clock: systemClock,
      log,
      directory: (opts.directory ?? demoDirectory)(config, log),
      metrics: createMetrics({ defaults: true }),
      outboxTransport: transportOf(config.env.mode),
      sales: createSalesSource(config, pool),
    };
    return {
      ctx,
      databaseUrl: conn.botUrl,
      ownerUrl: conn.ownerUrl,
      embedded,
      running,
      async withOwner(fn) {
        const owner = createPool(conn.ownerUrl, { max: 2, applicationName: 'toban-owner' });
        try {
          return await fn(owner);
        } finally {
          await owner.end();
        }
      },
      async close(closeOpts) {
        const complete = await closeAll(closeOpts?.poolsWithinMs);
        await flushLog(log);
        return complete;
      },
    };
  } catch (err) {
    log.error({ err }, 'start failed');
    await closeAll();
    await flushLog(log);
    throw err;
  }
}

// Reads the process environment into typed settings. Pure: callers pass the env, tests pass their own.
import path from 'node:path';

export type Mode = 'http' | 'socket' | 'console';

export interface EnvSettings {
  mode: Mode;
  /** The bot's own connection: a login role in toban_app (README: database roles). */
  databaseUrl?: string;
  /** The connection migrations run with (the tables' owner); DATABASE_URL when unset. */
  databaseOwnerUrl?: string;
  dataDir: string;
  ledgerDatabaseUrl?: string;
  configPath?: string;
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string };
  github: { token?: string; repository?: string; apiUrl: string; webhookSecret?: string };
  alertmanagerUrl?: string;
  sales: { apiUrl?: string; token?: string };
  alertWebhookToken?: string;
  /**
   * Where people reach toban's HTTP routes from outside (TOBAN_PUBLIC_URL, e.g.
   * https://toban.example.com): the calendar feed URLs `/oncall calendar` hands out begin with it.
   * Unset: only the path is given.
   */
  publicUrl?: string;
  port: number;
  host: string;
  timezone?: string;
  logLevel: string;
  /** How long an outbox claim is exclusive; a crashed replica's rows are retried after it. */
  outboxLeaseMs: number;
  /** Timeout of one Slack Web API (or response_url) request, ms (TOBAN_SLACK_TIMEOUT_SECONDS). */
  slackTimeoutMs: number;
  /** How long shutdown waits for acknowledged Slack requests still being answered (TOBAN_DRAIN_SECONDS). */
  drainMs: number;
}

/**
 * The most Slack calls one outbox delivery makes (a file: upload URL, bytes, completion; a post
 * after an unknown outcome: join, history, post). Kept equal to MAX_CALLS_PER_ROW of the outbox's
 * kind registry (a test holds them together).
 */
export const OUTBOX_CALLS_PER_ROW = 3;
/** What the lease must add to the longest delivery: recording the outcome, clock drift. */
export const OUTBOX_LEASE_MARGIN_MS = 5_000;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** pino's levels: anything else makes pino throw at the first log line. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * A PostgreSQL connection URL from `name`, checked before pg sees it (pg throws a bare RangeError
 * for a port such as 99999, and reads a password holding an unencoded `/` as a host and a port).
 * Forms pg accepts without a URL's host part (`socket:…`, a socket directory `/run/postgresql db`)
 * are passed through. No sentence echoes anything of the user name or password: when the text
 * after the host holds an `@`, the password held a `/`, `?` or `#` and the host and port read from
 * it would be pieces of that password.
 */
function databaseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  if (value.startsWith('/') || /^socket:/i.test(value)) return value;
  const malformed = new ConfigError(
    `${name}: the URL is malformed; write it as postgres://user:password@host:5432/database, with any / ? # @ : % in the user name or password percent-encoded (%2F %3F %23 %40 %3A %25)`,
  );
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(value);
  if (!m) throw malformed;
  const [, scheme = '', authority = '', rest = ''] = m;
  if (!/^postgres(ql)?$/i.test(scheme))
    throw new ConfigError(
      `${name}: expected a postgres:// URL (postgres://user:password@host:5432/database)`,
    );
  if (rest.includes('@')) throw malformed;
  // The host and port follow the last @ (WHATWG URL: an earlier @ belongs to the password).
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const hp = /^(\[[0-9a-f:.]*\]|[^[\]:]*)(?::(.*))?$/i.exec(hostPort);
  if (!hp) throw malformed;
  const port = hp[2];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port))
      throw new ConfigError(
        `${name}: the port is not a number (1-65535); if the URL holds a password, percent-encode any / ? # @ : in it`,
      );
    if (!(Number(port) >= 1 && Number(port) <= 65535))
      throw new ConfigError(`${name}: the port "${port}" is not a port number (1-65535)`);
  }
  // What pg itself does (pg-connection-string): an empty host is allowed after a user name.
  try {
    new URL(value.replace('@/', '@h/'));
  } catch {
    throw malformed;
  }
  return value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/**
 * A plain decimal number (`10`, `2.5`), else NaN: Number() would also take `0x10`, `1e3`, `Infinity`
 * and `  `, which no one means for a port or a number of seconds.
 */
function decimal(text: string): number {
  return /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
}

export function readEnv(env: NodeJS.ProcessEnv, cwd: string): EnvSettings {
  const slack = {
    botToken: nonEmpty(env.SLACK_BOT_TOKEN),
    signingSecret: nonEmpty(env.SLACK_SIGNING_SECRET),
    appToken: nonEmpty(env.SLACK_APP_TOKEN),
    apiUrl: nonEmpty(env.SLACK_API_URL) ?? 'https://slack.com/api/',
  };
  const mode: Mode =
    slack.signingSecret && slack.botToken ? 'http' : slack.appToken && slack.botToken ? 'socket' : 'console';
  const portText = nonEmpty(env.PORT) ?? '3000';
  const port = decimal(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT: expected a port number, got "${portText}"`);
  const repository = nonEmpty(env.GITHUB_REPOSITORY);
  if (repository && !/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new ConfigError(`GITHUB_REPOSITORY: expected "owner/name", got "${repository}"`);
  const timeoutText = nonEmpty(env.TOBAN_SLACK_TIMEOUT_SECONDS) ?? '10';
  const slackTimeout = decimal(timeoutText);
  if (!Number.isFinite(slackTimeout) || slackTimeout < 0.1 || slackTimeout > 300)
    throw new ConfigError(
      `TOBAN_SLACK_TIMEOUT_SECONDS: expected seconds between 0.1 and 300, got "${timeoutText}"`,
    );
  const leaseText = nonEmpty(env.TOBAN_OUTBOX_LEASE_SECONDS) ?? '60';
  const lease = decimal(leaseText);
  if (!Number.isFinite(lease) || lease < 1 || lease > 3600)
    throw new ConfigError(
      `TOBAN_OUTBOX_LEASE_SECONDS: expected seconds between 1 and 3600, got "${leaseText}"`,
    );
  // A lease that a delivery can outlast lets a second replica take the row over while the first
  // may still be acting on it (issue 6, fault 2): refuse it here rather than deliver twice.
  const longestMs = slackTimeout * 1000 * OUTBOX_CALLS_PER_ROW + OUTBOX_LEASE_MARGIN_MS;
  if (lease * 1000 < longestMs)
    throw new ConfigError(
      `TOBAN_OUTBOX_LEASE_SECONDS: ${leaseText} is shorter than the longest outbox delivery: ${OUTBOX_CALLS_PER_ROW} Slack calls × ${slackTimeout} s (TOBAN_SLACK_TIMEOUT_SECONDS) + ${OUTBOX_LEASE_MARGIN_MS / 1000} s margin = ${longestMs / 1000} s; raise the lease or lower the timeout`,
    );
  const drainText = nonEmpty(env.TOBAN_DRAIN_SECONDS) ?? '10';
  const drain = decimal(drainText);
  if (!Number.isFinite(drain) || drain < 0 || drain > 600)
    throw new ConfigError(`TOBAN_DRAIN_SECONDS: expected seconds between 0 and 600, got "${drainText}"`);
  const alertWebhookToken = nonEmpty(env.ALERT_WEBHOOK_TOKEN);
  if (mode !== 'console' && !alertWebhookToken)
    throw new ConfigError(
      'ALERT_WEBHOOK_TOKEN: required when Slack tokens are set (it guards /hooks/alerts/*)',
    );
  const publicUrl = nonEmpty(env.TOBAN_PUBLIC_URL);
  if (publicUrl && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl))
    throw new ConfigError(
      `TOBAN_PUBLIC_URL: expected an http(s) URL without query or fragment (https://toban.example.com), got "${publicUrl}"`,
    );
  const dataDir = path.resolve(cwd, nonEmpty(env.TOBAN_DATA_DIR) ?? '.toban');
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const bot = databaseUrl(env, 'DATABASE_URL');
  const owner = databaseUrl(env, 'DATABASE_OWNER_URL');
  if (owner && !bot)
    throw new ConfigError(
      "DATABASE_OWNER_URL: set DATABASE_URL too (the bot's own role); without both toban uses its embedded PostgreSQL",
    );
  return {
    mode,
    databaseUrl: bot,
    databaseOwnerUrl: owner,
    dataDir,
    ledgerDatabaseUrl: databaseUrl(env, 'LEDGER_DATABASE_URL'),
    configPath: nonEmpty(env.TOBAN_CONFIG),
    slack,
    github: {
      token: nonEmpty(env.GITHUB_TOKEN),
      repository,
      apiUrl: nonEmpty(env.GITHUB_API_URL) ?? 'https://api.github.com',
      webhookSecret: nonEmpty(env.GITHUB_WEBHOOK_SECRET),
    },
    alertmanagerUrl: nonEmpty(env.ALERTMANAGER_URL),
    sales: { apiUrl: nonEmpty(env.SALES_API_URL), token: nonEmpty(env.SALES_API_TOKEN) },
    alertWebhookToken,
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    port,
    host: nonEmpty(env.HOST) ?? (mode === 'console' ? '127.0.0.1' : '0.0.0.0'),
    timezone: nonEmpty(env.TZ),
    logLevel,
    outboxLeaseMs: lease * 1000,
    slackTimeoutMs: Math.round(slackTimeout * 1000),
    drainMs: Math.round(drain * 1000),
  };
}

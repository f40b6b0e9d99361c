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
  port: number;
  host: string;
  timezone?: string;
  logLevel: string;
  /** How long an outbox claim is exclusive; a crashed replica's rows are retried after it. */
  outboxLeaseMs: number;
}

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
 * for a port such as 99999). Forms pg accepts without a host part (`socket:`…) are passed through.
 */
function databaseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(value);
  if (!m) return value;
  const [, scheme, , port] = m;
  if (!/^postgres(ql)?$/i.test(scheme ?? ''))
    throw new ConfigError(
      `${name}: expected a postgres:// URL (postgres://user:password@host:5432/database)`,
    );
  if (
    port !== undefined &&
    port !== '' &&
    !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)
  )
    throw new ConfigError(`${name}: the port "${port}" is not a port number (1-65535)`);
  return value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
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
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT: expected a port number, got "${portText}"`);
  const repository = nonEmpty(env.GITHUB_REPOSITORY);
  if (repository && !/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new ConfigError(`GITHUB_REPOSITORY: expected "owner/name", got "${repository}"`);
  const leaseText = nonEmpty(env.TOBAN_OUTBOX_LEASE_SECONDS) ?? '60';
  const lease = Number(leaseText);
  // Must outlast one delivery (Slack calls time out after 10 s, a post may make two or three).
  if (!Number.isFinite(lease) || lease < 1 || lease > 3600)
    throw new ConfigError(
      `TOBAN_OUTBOX_LEASE_SECONDS: expected seconds between 1 and 3600, got "${leaseText}"`,
    );
  const alertWebhookToken = nonEmpty(env.ALERT_WEBHOOK_TOKEN);
  if (mode !== 'console' && !alertWebhookToken)
    throw new ConfigError(
      'ALERT_WEBHOOK_TOKEN: required when Slack tokens are set (it guards /hooks/alerts/*)',
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
    port,
    host: nonEmpty(env.HOST) ?? (mode === 'console' ? '127.0.0.1' : '0.0.0.0'),
    timezone: nonEmpty(env.TZ),
    logLevel,
    outboxLeaseMs: lease * 1000,
  };
}

// Start-up failures an operator can fix, said in one sentence that names the setting and the problem
// (no stack trace): an unreachable database, a refused password, a role that may not migrate, a Slack
// token that auth.test refuses, a data directory that cannot be made. The CLI prints the sentence and
// exits 1; the full error still goes to the log.
import { redactText } from './log.ts';

export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
  errno?: number;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

function where(url: string): { host: string; port: string; user: string; database: string } {
  try {
    const u = new URL(url);
    return {
      host: u.hostname || 'localhost',
      port: u.port || '5432',
      user: decodeURIComponent(u.username) || '(default user)',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)',
    };
  } catch {
    return { host: '?', port: '?', user: '?', database: '?' };
  }
}

/** A name as an SQL identifier, for a statement the operator copies: "name", inner quotes doubled. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The first error of an AggregateError (pg reports each address it tried), else the error itself. */
function firstCause(err: unknown): PgLikeError {
  const e = err as PgLikeError & { errors?: unknown[] };
  if (Array.isArray(e?.errors) && e.errors.length) return e.errors[0] as PgLikeError;
  return (e ?? {}) as PgLikeError;
}

/**
 * Turns an error from connecting or migrating with the connection named `variable` (DATABASE_URL,
 * DATABASE_OWNER_URL, LEDGER_DATABASE_URL, or the embedded server) into one sentence. `during`
 * says what was being done, so a permission error while migrating points at DATABASE_OWNER_URL.
 */
export function databaseStartupError(
  variable: string,
  url: string,
  err: unknown,
  during: 'connect' | 'migrate' = 'connect',
): StartupError {
  const e = firstCause(err);
  const w = where(url);
  const at = `${w.host}:${w.port}`;
  // node-pg-migrate wraps some errors in a new Error holding the old one's stack as text: keep the
  // first line, and read a permission error from its words when its code was lost.
  const firstLine = (e.message ?? String(err)).split('\n')[0] ?? '';
  const wrapped = /^Unable to ensure migrations table: (?:error: )?(.*)$/.exec(firstLine);
  const message = wrapped?.[1] ?? firstLine;
  const code = e.code ?? (/permission denied|must be owner/.test(message) ? '42501' : undefined);
  // The database's CONNECT privilege is given to each deployment's bot by name (migration 0260).
  const noConnect = /^permission denied for database "(.*)"$/.exec(message)?.[1];
  let sentence: string;
  switch (code) {
    case 'ECONNREFUSED':
      sentence = `nothing accepts connections at ${at} (connection refused); start PostgreSQL there or correct the host and port`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      sentence = `the host "${w.host}" cannot be resolved; correct the host name`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      sentence = `${at} does not answer (${e.code}); check the host, the port and the network`;
      break;
    case '28P01':
      sentence = `PostgreSQL at ${at} refused the password of user "${w.user}"; correct the user or the password`;
      break;
    case '28000':
      sentence = `PostgreSQL at ${at} refused user "${w.user}" (${redactText(message)}); create the role or allow it in pg_hba.conf`;
      break;
    case '3D000':
      sentence = `the database "${w.database}" does not exist at ${at}; create it or correct the URL`;
      break;
    case '42501':
      if (noConnect)
        sentence = `the role ${ident(w.user)} may not connect to the database ${ident(noConnect)}; run GRANT CONNECT ON DATABASE ${ident(noConnect)} TO ${ident(w.user)} as the database's owner`;
      else
        sentence =
          during === 'migrate'
            ? `user "${w.user}" may not create or change toban's tables (${redactText(message)}); migrations run as the tables' owner: set DATABASE_OWNER_URL to the owner's connection`
            : `user "${w.user}" lacks a privilege (${redactText(message)}); grant it the role toban_app`;
      break;
    default:
      if (/timeout/i.test(message))
        sentence = `${at} did not answer in time; check the host, the port and the network`;
      else
        sentence = `${during === 'migrate' ? 'migrations failed' : 'cannot connect'}: ${redactText(message)}`;
  }
  return new StartupError(`${variable}: ${sentence}`, { cause: err });
}

/** Slack's answers to auth.test that mean the token itself is wrong (see api.slack.com/methods/auth.test). */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/**
 * One sentence for a Slack Web API error that stopped the start (auth.test), or undefined when the
 * error is not from Slack. Error shapes are @slack/web-api's coded errors.
 */
export function slackStartupError(err: unknown): StartupError | undefined {
  const e = err as {
    code?: string;
    data?: { error?: string };
    original?: { message?: string; cause?: { message?: string } };
    statusCode?: number;
    retryAfter?: number;
  };
  if (e?.code === 'slack_webapi_rate_limited_error')
    return new StartupError(
      `SLACK_BOT_TOKEN: Slack is rate-limiting this token (auth.test answered 429, retry after ${e.retryAfter ?? '?'} s); start again after that`,
      { cause: err },
    );
  // An answer, but not a Web API one: Slack's side failed, or SLACK_API_URL names some other server.
  if (e?.code === 'slack_webapi_http_error')
    return new StartupError(
      `SLACK_API_URL: Slack answered auth.test with HTTP ${e.statusCode ?? '?'}${(e.statusCode ?? 0) >= 500 ? ", a failure on Slack's side" : ''}; start again later, or correct SLACK_API_URL if it is not Slack's Web API`,
      { cause: err },
    );
  if (e?.code === 'slack_webapi_platform_error') {
    const answer = e.data?.error ?? 'an error';
    if (TOKEN_ERRORS.has(answer))
      return new StartupError(
        `SLACK_BOT_TOKEN: Slack refused the token (auth.test answered ${answer}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth page again`,
        { cause: err },
      );
    return new StartupError(`SLACK_BOT_TOKEN: Slack's auth.test answered ${answer}`, { cause: err });
  }
  if (e?.code === 'slack_webapi_request_error') {
    // fetch says only "fetch failed"; what failed (ECONNREFUSED, ENOTFOUND, …) is its cause.
    const why = e.original?.cause?.message ?? e.original?.message ?? String((err as Error).message);
    return new StartupError(
      `SLACK_API_URL: Slack cannot be reached (${redactText(why)}); check the network or SLACK_API_URL`,
      { cause: err },
    );
  }
  return undefined;
}

/**
 * One sentence for an error of the HTTP listener (PORT, HOST), or undefined for any other error.
 * Node's errors: EADDRINUSE / EADDRNOTAVAIL / EACCES from listen(2), ENOTFOUND / EAI_AGAIN from
 * resolving a HOST that is a name.
 */
export function listenStartupError(err: unknown, port: number, host: string): StartupError | undefined {
  const e = err as NodeJS.ErrnoException & { syscall?: string };
  const hint = 'use 0.0.0.0 (every interface), 127.0.0.1 or an address of this machine';
  switch (e?.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `PORT: ${host}:${port} is already in use by another program; stop it or choose another PORT`,
        { cause: err },
      );
    case 'EACCES':
      return new StartupError(
        `PORT: ${port} may not be opened by this user (ports below 1024 need privileges); choose a PORT of 1024 or more`,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(`HOST: ${host} is not an address of this machine; ${hint}`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new StartupError(`HOST: "${host}" cannot be resolved to an address; ${hint}`, { cause: err });
    default:
      return undefined;
  }
}

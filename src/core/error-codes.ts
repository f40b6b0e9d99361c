// Stable error codes for every failure on a request path (HTTP routes, Slack commands, buttons,
// events), so an operator can search the logs and alert on a kind of failure, and a person holding
// an answer can name it. Each log line of such a failure carries `code` (one of these) and, when the
// failure is one of a kind (a 500, an internal error shown to a person), `ref`: a random reference
// that the answer also shows, to find that one line.
import crypto from 'node:crypto';

export const ERROR_CODES = {
  /** A body of no known shape, or one that could not be read (400). */
  E_BODY: 'bad request body',
  /** A bad, missing or stale Slack signature (401). */
  E_SIGNATURE: 'bad signature',
  /** A missing or wrong token on a hook or feed (401 / 404). */
  E_AUTH: 'not authorized',
  /** A replayed signed request (409). */
  E_REPLAY: 'replayed request',
  /** No such route (404). */
  E_NOT_FOUND: 'no such route',
  /** The route exists, the method does not (405). */
  E_METHOD: 'method not allowed',
  /** A body over the limit (413). */
  E_TOO_LARGE: 'body too large',
  /** Neither JSON nor form-encoded UTF-8 (415). */
  E_MEDIA_TYPE: 'unsupported media type',
  /** Malformed HTTP, headers too large, or too slow a client (400 / 431 / 408). */
  E_HTTP: 'malformed HTTP request',
  /** The database did not answer or refused the statement (503 / internal error). */
  E_DATABASE: 'database unavailable',
  /** Not ready: migrations not applied, a condition down (503 on /readyz). */
  E_NOT_READY: 'not ready',
  /** The Slack directory (user groups, locales) could not answer: a finance command is refused. */
  E_DIRECTORY: 'Slack directory unavailable',
  /** A route, command, button or event handler failed (500 / internal error). */
  E_HANDLER: 'handler failed',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The code an HTTP status stands for when the thrower names none. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'E_AUTH';
    case 404:
      return 'E_NOT_FOUND';
    case 405:
      return 'E_METHOD';
    case 409:
      return 'E_REPLAY';
    case 413:
      return 'E_TOO_LARGE';
    case 415:
      return 'E_MEDIA_TYPE';
    case 503:
      return 'E_DATABASE';
    default:
      return status < 500 ? 'E_BODY' : 'E_HANDLER';
  }
}

// Connection-level failures of the database client, by Node's error code or pg's message.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database did not answer/i;

/**
 * Whether `err` comes from the database: a server error (pg's DatabaseError carries a five-character
 * SQLSTATE and a severity), a connection that failed or was cut, the pool's connect timeout.
 */
export function isDatabaseError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; severity?: unknown };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string')
    return true;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  return CONNECTION_MESSAGES.test(e.message);
}

/** The code of an unexpected failure inside a handler: E_DATABASE when the database failed, else E_HANDLER. */
export function failureCode(err: unknown): 'E_DATABASE' | 'E_HANDLER' {
  return isDatabaseError(err) ? 'E_DATABASE' : 'E_HANDLER';
}

/** A reference for one failure, short enough to read out, shown in its answer and logged with it. */
export function errorRef(bytes = 4): string {
  return crypto.randomBytes(bytes).toString('hex');
}

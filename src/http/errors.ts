// An error a route throws on purpose: it becomes an answer with this status and a JSON body
// {"error": what, "detail"?, "code": stable code}, and one log line with the code (router.ts).
// Anything else a route throws is a 500 (503 for the database) with a code and a reference.
import { codeForStatus, type ErrorCode } from '../core/error-codes.ts';

export interface HttpErrorOptions {
  /** The stable code (src/core/error-codes.ts); by default the one the status stands for. */
  code?: ErrorCode;
  /** Fields for the log line only (never sent): why a signature was refused, which kind of body. */
  log?: Record<string, unknown>;
}

export class HttpError extends Error {
  readonly errCode: ErrorCode;
  readonly logFields: Record<string, unknown>;

  /**
   * @param status the HTTP status (4xx / 5xx)
   * @param code the short human word of the body's `error` field (kept for compatibility)
   * @param detail what was wrong, for the client (a field name, a limit); never a value it sent
   */
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
    opts: HttpErrorOptions = {},
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'HttpError';
    this.errCode = opts.code ?? codeForStatus(status);
    this.logFields = opts.log ?? {};
  }
}

// An error a route throws on purpose: it becomes an answer with this status and a JSON body
// {"error": code, "detail"?}. Anything else a route throws is a 500 with a logged error code.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'HttpError';
  }
}

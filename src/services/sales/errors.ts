// The one error a sales source raises when it cannot answer in time or at all.
/** Why a source could not answer; the service turns it into a sentence for the person who asked. */
export class SalesSourceError extends Error {
  constructor(
    readonly reason: 'timeout' | 'unavailable',
    readonly detail: { status?: number; seconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(`sales source ${reason}`, options);
    this.name = 'SalesSourceError';
  }
}

// The seam between the outbox worker and the outside world. The worker claims a row, hands it to a
// Deliverer, and records what comes back; the Deliverer performs one external write and says, by
// the error it throws, what the worker should do next. Slack has one (slack-deliverer.ts), the
// console mode has another; GitHub and Alertmanager will add theirs.
//
// Glossary
//   attempt     one claim of a row followed by one try at delivering it. `row.attempts` counts this
//               one, so 1 on the first try; a value above 1 means an earlier try may have reached
//               the other side before its outcome was recorded (a timeout, a crash).
//   ref         a stable name for a posted Slack message ("alert-group:42"); slack_messages maps it
//               to where the message landed (channel, ts) so later rows can update or thread on it.

/** A claimed outbox row, as a deliverer sees it. */
export interface OutboxRow {
  id: string;
  kind: string;
  payload: unknown;
  /** 1 on the first try; includes this one. */
  attempts: number;
  createdAt: Date;
}

export interface MessageLocation {
  channel: string;
  ts: string;
}

export interface DeliveryContext {
  /** Where the message named `ref` landed, once the row that posted it has been delivered. */
  lookupRef(ref: string): Promise<MessageLocation | undefined>;
}

export interface Delivered {
  /** Stored in outbox.result (JSON). */
  result: Record<string, unknown>;
  /** A message the row posted under a ref; the worker records it in slack_messages in the same transaction. */
  message?: MessageLocation & { ref: string };
}

export interface Deliverer {
  /**
   * Performs the row's external write. Resolve when it is done; throw RetryAfterError,
   * NotReadyError, PermanentError or TransientError to steer the worker. Any other error counts as
   * transient. Messages of thrown errors are stored (redacted) in outbox.last_error.
   */
  deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered>;
}

/** The other side asked us to wait (HTTP 429 Retry-After). Does not count towards the dead limit. */
export class RetryAfterError extends Error {
  override name = 'RetryAfterError';
  constructor(
    readonly seconds: number,
    message = `rate limited, retry after ${seconds}s`,
  ) {
    super(message);
  }
}

/** Retrying cannot help (unknown channel, invalid blocks, revoked token): the row goes dead at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Worth another try later with backoff (5xx, network error, timeout). Counts towards the dead limit. */
export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Something this row depends on is not there yet (an update whose message has no ts yet). The row
 * waits and is tried again; it does not count towards the dead limit, only its age does.
 */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

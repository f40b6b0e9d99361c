// The seam between the outbox worker and the outside world. The worker claims a row, hands it to a
// Deliverer, and records what comes back; the Deliverer performs one external write and says, by
// the error it throws, what the worker should do next. Slack has one (slack-deliverer.ts), the
// console mode has another (console-deliverer.ts); both look the row's kind up in the registry
// (kinds/index.ts), which holds each kind's calls. GitHub and Alertmanager will add theirs.
//
// Glossary
//   attempt     one claim of a row followed by one try at delivering it. `row.attempts` counts the
//               tries that may have reached the other side, this one included: 1 on the first try.
//               A value above 1 means an earlier try may have acted without its outcome being
//               recorded (a timeout, a crash), so a kind that must not repeat itself checks first.
//               Tries that certainly did not act (rate limited, paced, a dependency not posted yet,
//               a look-up that could not answer) give their attempt back.
//   ref         a stable name for a posted Slack message ("alert-group:42"); slack_messages maps it
//               to where the message landed (channel, ts) so later rows can update or thread on it.
//   transport   what a row was written for: 'slack' (the Web API) or 'console' (the terminal of a
//               console-mode toban). A worker delivers only the rows of its own transport.
//   deadline    every delivery runs under an AbortSignal that fires well before the row's lease
//               ends, so no replica can take the row over while this one may still be acting on it.

export type Transport = 'slack' | 'console';

/**
 * The transport of the rows a toban running in `mode` writes, and of the rows its worker delivers:
 * the one place the running mode decides it (boot.ts puts it in AppContext.outboxTransport). A
 * console-mode toban sharing a database with a Slack-mode one then never takes Slack's rows, nor
 * Slack its rows (issue 6, fault 11).
 */
export function transportOf(mode: 'http' | 'socket' | 'console'): Transport {
  return mode === 'console' ? 'console' : 'slack';
}

/** A claimed outbox row, as a deliverer sees it. */
export interface OutboxRow {
  id: string;
  kind: string;
  payload: unknown;
  /** Tries that may have reached the other side, this one included (see the glossary). */
  attempts: number;
  createdAt: Date;
  /** The first try, by the database's clock (set on the first claim). */
  firstAttemptAt: Date;
  /** What an earlier try made durable with DeliveryContext.saveProgress, if anything. */
  progress: Record<string, unknown> | null;
}

export interface MessageLocation {
  channel: string;
  ts: string;
}

export interface DeliveryContext {
  /** Where the message named `ref` landed, once the row that posted it has been delivered. */
  lookupRef(ref: string): Promise<MessageLocation | undefined>;
  /**
   * Makes part of a delivery durable before its outcome is known (e.g. an uploaded file's id before
   * it is shared), fenced on this claim. Throws if the lease was lost meanwhile.
   */
  saveProgress(progress: Record<string, unknown>): Promise<void>;
  /** Fires at the delivery's deadline (or when the process stops): abandon every call at once. */
  signal: AbortSignal;
  /**
   * Whether a slack.update of the message `ref`, written after this row, is still to be delivered:
   * it shows a newer state, so this one may be skipped (an alert group's message changes many times
   * a minute in a storm, and each update costs one of Slack's ~50 chat.update calls a minute).
   */
  newerUpdatePending?(ref: string): Promise<boolean>;
}

export interface Delivered {
  /** Stored in outbox.result (JSON). */
  result: Record<string, unknown>;
  /** A message the row posted under a ref; the worker records it in slack_messages in the same transaction. */
  message?: MessageLocation & { ref: string };
}

export interface Deliverer {
  /** The rows this deliverer takes: only those written for its transport. */
  readonly transport: Transport;
  /**
   * The longest one delivery may take, in ms: the worker aborts it then (DeliveryContext.signal)
   * and refuses a lease shorter than this plus a margin.
   */
  readonly deadlineMs: number;
  /**
   * Performs the row's external write. Resolve when it is done; throw one of the errors below to
   * steer the worker. Any other error counts as transient. Messages of thrown errors are stored
   * (redacted) in outbox.last_error.
   */
  deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered>;
  /**
   * After a QueuePausedError: resolves when the shared cause is gone (e.g. Slack's auth.test
   * works again), throws while it is not. Absent: the queue resumes at the next probe interval.
   */
  probe?(signal: AbortSignal): Promise<void>;
}

/** The other side asked us to wait (HTTP 429 Retry-After). Not the row's fault: the attempt is given back. */
export class RetryAfterError extends Error {
  override name = 'RetryAfterError';
  constructor(
    readonly seconds: number,
    message = `rate limited, retry after ${seconds}s`,
  ) {
    super(message);
  }
}

/**
 * The row certainly did not act and should be tried again after `delayMs`: its channel's turn has
 * not come (pacing), a shared pause is in force, or a look-up for an earlier post could not answer.
 * The attempt is given back.
 */
export class DeferredError extends Error {
  override name = 'DeferredError';
  constructor(
    readonly delayMs: number,
    readonly reason: 'paced' | 'paused' | 'lookup',
    message: string,
  ) {
    super(message);
  }
}

/** Retrying this row cannot help (unknown channel, invalid blocks, text too long): it goes dead at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Worth another try later with backoff (5xx, network error, timeout). The row goes dead only by age. */
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
 * waits and is tried again; if the row that was to post `ref` went dead, this one fails with it.
 */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(
    message: string,
    readonly ref?: string,
  ) {
    super(message);
  }
}

/**
 * A problem that affects every row, not this one (Slack rejects the token): the worker puts the
 * row back untouched and pauses the whole queue until Deliverer.probe() succeeds.
 */
export class QueuePausedError extends Error {
  override name = 'QueuePausedError';
  constructor(
    message: string,
    readonly reason: 'auth',
    readonly code?: string,
  ) {
    super(message);
  }
}

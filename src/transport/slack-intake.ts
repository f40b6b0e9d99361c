// The one step every Slack request takes before it is acknowledged, in HTTP and in Socket Mode:
// store it (one INSERT, slack-requests.ts) under its key. The key makes the same INSERT the replay
// check (a signature seen before), the Events API retry dedupe (an event_id seen before) and the
// durable record that lets another replica, or the next start, answer a request this one could not.
//
// Requests arriving while earlier INSERTs are under way are stored together, in one statement, when
// a slot frees (db/statement-group.ts): each is still acknowledged only once the statement holding
// its row has committed; a group the server refused is tried row by row, so one bad row fails alone.
//
// If the database cannot take the request in time, the acknowledgement says so instead (for a slash
// command, an ephemeral message in the person's language where toban knows it), and the key is
// marked refused so that an INSERT landing late never runs it behind that answer.
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Pool } from '../db/pool.ts';
import {
  insertRequests,
  refuseRequest,
  type NewRequest,
  type SlackRequestKind,
  type StoredRequest,
} from '../db/slack-requests.ts';
import { StatementGroup } from '../db/statement-group.ts';
import { t, type Locale } from '../i18n/index.ts';

/** How long a request is this replica's before any replica may take it over (ms). */
export const REQUEST_LEASE_MS = 60_000;
/** How long the INSERT may take before the acknowledgement gives up on it: inside Slack's 3 s. */
export const INSERT_DEADLINE_MS = 2_000;
const REFUSE_RETRY_MS = 2_000;
const REFUSE_TRIES = 30;
const LOCALES_KEPT = 10_000;

export type Admission =
  | { status: 'new'; request: StoredRequest }
  /** The key was stored before: a replayed signature, a retried event or envelope. */
  | { status: 'seen' }
  /** The database did not take it; `message` is the acknowledgement a slash command gets. */
  | { status: 'unavailable'; message?: { response_type: 'ephemeral'; text: string } };

export interface IntakeOptions {
  pool: Pool;
  log: Logger;
  metrics: Metrics;
  /** The configured locale, for people whose language toban has not learned yet. */
  defaultLocale: Locale;
  leaseMs?: number;
  insertDeadlineMs?: number;
  /** INSERT statements under way at once; requests arriving meanwhile wait and go together. Default 2. */
  insertConcurrency?: number;
}

class DeadlineError extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** `work` with a signal that fires after `ms`, when the result is no longer awaited. */
function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeadlineError(ms);
      abort.abort(err);
      reject(err);
    }, ms);
  });
  return Promise.race([work(abort.signal), deadline]).finally(() => clearTimeout(timer));
}

export class SlackIntake {
  private readonly locales = new Map<string, Locale>();
  private readonly leaseMs: number;
  private readonly deadlineMs: number;
  private readonly inserts: StatementGroup<NewRequest, StoredRequest | undefined>;

  constructor(private readonly opts: IntakeOptions) {
    this.leaseMs = opts.leaseMs ?? REQUEST_LEASE_MS;
    this.deadlineMs = opts.insertDeadlineMs ?? INSERT_DEADLINE_MS;
    this.inserts = new StatementGroup({
      run: (reqs) => insertRequests(opts.pool, reqs),
      concurrency: opts.insertConcurrency ?? 2,
    });
  }

  /** Remembers a person's language (learned while answering), for acknowledgements that cannot ask. */
  rememberLocale(userId: string, locale: Locale): void {
    if (this.locales.size >= LOCALES_KEPT && !this.locales.has(userId)) this.locales.clear();
    this.locales.set(userId, locale);
  }

  /**
   * Stores the request under `key` (see the module comment). Never throws. `userId` picks the
   * language of the "cannot take commands right now" acknowledgement.
   */
  async admit(req: {
    key: string;
    kind: SlackRequestKind;
    payload: unknown;
    userId?: string;
    /** How long the INSERT may take (ms): a view submission passes what its check left of the budget. */
    deadlineMs?: number;
  }): Promise<Admission> {
    const { log, metrics } = this.opts;
    let stored: StoredRequest | undefined;
    try {
      // A request still waiting for a slot at its deadline is dropped, never stored.
      stored = await withDeadline(
        (signal) =>
          this.inserts.submit(
            { key: req.key, kind: req.kind, payload: req.payload, leaseMs: this.leaseMs },
            signal,
          ),
        req.deadlineMs ?? this.deadlineMs,
      );
    } catch (err) {
      metrics.slackRequests.inc({ kind: req.kind, outcome: 'unavailable' });
      log.error(
        { err, code: 'E_DATABASE', kind: req.kind },
        'slack: could not store a request; telling Slack toban cannot take it',
      );
      // Slack retries an event it got no 200 for, and that retry must run: an event's key is never
      // marked refused (an INSERT landing late is answered once, and the retry is then a duplicate).
      // A command's person has been told, and an interaction's saw an error: a late INSERT must not
      // run behind that.
      if (req.kind !== 'event') this.refuseLater(req, 1);
      if (req.kind !== 'command') return { status: 'unavailable' };
      const locale = (req.userId && this.locales.get(req.userId)) || this.opts.defaultLocale;
      return {
        status: 'unavailable',
        message: { response_type: 'ephemeral', text: t(locale, 'slack.unavailable') },
      };
    }
    if (!stored) {
      metrics.slackRequests.inc({ kind: req.kind, outcome: 'seen' });
      return { status: 'seen' };
    }
    metrics.slackRequests.inc({ kind: req.kind, outcome: 'stored' });
    return { status: 'new', request: stored };
  }

  /** Marks the key refused, retrying while the database stays away (in the background). */
  private refuseLater(req: { key: string; kind: SlackRequestKind; payload: unknown }, attempt: number): void {
    refuseRequest(this.opts.pool, req).then(
      () => this.opts.log.info({ kind: req.kind, attempt }, 'slack: request marked refused'),
      (err: unknown) => {
        if (attempt >= REFUSE_TRIES) {
          this.opts.log.error(
            { err, code: 'E_DATABASE', kind: req.kind },
            'slack: could not mark a refused request; giving up',
          );
          return;
        }
        setTimeout(() => this.refuseLater(req, attempt + 1), REFUSE_RETRY_MS).unref();
      },
    );
  }
}

// The outbox worker: claims due rows, hands each to a Deliverer, and records the outcome. Any number
// of workers (in one process or in several replicas) can share one database.
//
// How it stays correct across replicas (the SQL is in store.ts):
// - Claim = lease. Rows are picked with FOR UPDATE SKIP LOCKED in a short transaction that counts
//   the attempt and moves next_attempt_at to the end of a lease (default 60 s), then commits. No
//   transaction or pooled connection is held while Slack answers, so a slow Slack cannot starve the
//   pool that commands and alert webhooks need. A worker killed mid-delivery leaves its row
//   'pending'; it is retried when the lease ends. Outcomes are fenced on the claim, so a worker that
//   overran its lease cannot overwrite the next one's. Every delivery runs under a deadline
//   (Deliverer.deadlineMs: client timeout x calls per row) that aborts its calls well inside the
//   lease, and the worker refuses a lease shorter than that plus a margin: no replica takes a row
//   over while another may still be acting on it.
// - Dead rows: a row goes dead by age (maxAgeMs, default 24 h, counted from when it was queued) or
//   by a permanent error of its own, never by a number of attempts; the rows that need its message
//   go dead with it at once. A problem shared by every row (Slack rejects the token) pauses the
//   queue instead: nothing is claimed, the pause is logged once a minute, counted in
//   toban_outbox_paused and reported to /readyz as degraded, and the queue resumes by itself when
//   Deliverer.probe() (auth.test) works again. While paused no row ages out (that is the point). A
//   "token" error is believed only if the probe, asked at once, fails too: when auth.test works, the
//   code concerns that row alone, which goes dead with the cause instead of pausing every row.
// - Unknown outcomes: a channel-visible write (an exactly-once kind) that failed without a clear
//   answer (a timeout, a dropped connection, a 5xx) may still be acted on by Slack after the client
//   gave up: its retry, which first looks for the earlier write, waits at least settleMs (default
//   60 s, the lease) so that the look-up sees what a late request did instead of posting again.
// - Transport: a worker claims only the rows written for its deliverer's transport.
// - Order: a row is eligible only while no earlier pending row has its ordering key, and a leased
//   row stays pending, so a message, its updates and its thread go out one at a time in id order.
//   Id order is commit order as long as writers of one key serialize (they lock the entity whose
//   message it is); two concurrent transactions writing the same key may commit out of id order.
// - Wake-ups: LISTEN toban_outbox on a dedicated connection for instant delivery after COMMIT, a
//   timer for the next due row, and a poll every pollMs in case a notification was missed.
// - Direct delivery: a writer in this process may hold free slots (reserve) and write its rows
//   already claimed by this worker (enqueue.ts, insertRowsSql with the slots' leaseMs), committed
//   like any row, then hand the claims over (take): they are delivered at once, with no NOTIFY and
//   no claim query, under the same lease, fence and deadline as a claimed row. A slash command's
//   answer goes out this way; if this process dies first, the lease ends and any worker delivers it.
//   Direct deliveries have slots of their own (directConcurrency), so answers never queue behind
//   posts; when those are all busy, answers are written due and claimed like any row.
// - Outcomes of deliveries that finish together are recorded in one statement (markDelivered).
import pg from 'pg';
import type { Health } from '../core/health.ts';
import { redactText, type Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Pool } from '../db/pool.ts';
import { StatementGroup } from '../db/statement-group.ts';
import {
  DeferredError,
  NotReadyError,
  PermanentError,
  QueuePausedError,
  RetryAfterError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type Transport,
} from './deliverer.ts';
import { OUTBOX_CHANNEL } from './enqueue.ts';
import { kindOf } from './kinds/index.ts';
import {
  anyDue,
  claimDue,
  deadProviderOf,
  depthByState,
  lookupRef,
  newerUpdatePending,
  markDead,
  markDelivered,
  nextDueInMs,
  reschedule,
  saveProgress,
  type Claim,
  type DeliveryRecord,
  type Now,
  type Rescheduled,
} from './store.ts';

export interface OutboxWorkerOptions {
  pool: Pool;
  /** Connection string for the LISTEN connection (the same database as `pool`). */
  listenUrl: string;
  deliverer: Deliverer;
  log: Logger;
  metrics: Metrics;
  /** Deliveries of claimed rows in flight at once in this process. Default 4. */
  concurrency?: number;
  /**
   * Direct deliveries (rows written claimed by a writer of this process) in flight at once, apart from
   * the claimed ones, so answers to commands never wait behind a queue of posts. Default 16.
   */
  directConcurrency?: number;
  /** Longest sleep between looks at the table when no notification comes. Default 1000 ms. */
  pollMs?: number;
  /** A row still undelivered this long after it was queued goes dead at its next failure. Default 24 h. */
  maxAgeMs?: number;
  /**
   * Scheduling clock (what is due, next_attempt_at, leases). Default: the database's clock, the one
   * enqueue() stamps rows with, so app/database clock skew cannot delay rows. A test clock must not
   * be behind the database's, or freshly enqueued rows are not due yet.
   */
  now?: () => Date;
  /** How long a claim is exclusive; a crashed worker's row is retried after this. Default 60 s. */
  leaseMs?: number;
  /** The lease must exceed the deliverer's deadline by this much (recording the outcome, clock drift). Default 5 s. */
  leaseMarginMs?: number;
  /** Where the paused queue is reported (/readyz). */
  health?: Health;
  /** While paused, how often the deliverer's probe is tried. Default 30 s. */
  probeMs?: number;
  /** First retry delay; doubles per attempt, with jitter, up to retryMaxMs. Default 5 s. */
  retryBaseMs?: number;
  /** Default 15 minutes. */
  retryMaxMs?: number;
  /**
   * After a transient failure of an exactly-once kind (the outcome unknown: Slack may still act on
   * the request the client gave up on), the least delay before the retry and its look-up for the
   * earlier write. Default: the lease (60 s).
   */
  settleMs?: number;
}

/** Delivery slots held for rows a writer is about to write claimed by this worker (see the module comment). */
export interface DeliverySlots {
  /** How many rows may be written claimed. */
  readonly count: number;
  /** The lease to write them with (ms), this worker's. */
  readonly leaseMs: number;
  /** The transport this worker delivers: only rows written for it may be claimed for it. */
  readonly transport: Transport;
  /** Starts delivering the rows written claimed (at most `count`); frees the slots not used. */
  take(claims: Claim[]): void;
  /** Frees every slot not taken (the write failed, or wrote nothing claimed). */
  release(): void;
}

export interface OutboxWorker {
  /** Stops claiming, waits for deliveries in flight to be recorded, closes the LISTEN connection. */
  stop(): Promise<void>;
  /**
   * Holds up to `max` free delivery slots for direct delivery, or undefined when none is free, the
   * queue is paused or the worker is stopping (then rows are written due, as usual). The holder must
   * end it with take() or release().
   */
  reserve(max: number): DeliverySlots | undefined;
  /**
   * Resolves once nothing is in flight and no eligible row is due now (rows waiting for a retry
   * later do not hold it up). For tests and one-shot runs. Rejects after timeoutMs.
   */
  drain(timeoutMs?: number): Promise<void>;
}

const MIN_WAKE_MS = 20;
const DEPTH_EVERY_MS = 5_000;
const RECONNECT_MS = 2_000;
const MAX_ERROR_LENGTH = 2_000;
const PAUSE_LOG_EVERY_MS = 60_000;
const HEALTH_NAME = 'outbox';

/** The worker refuses to start with a lease that a delivery could outlast. */
export class LeaseTooShortError extends Error {
  override name = 'LeaseTooShortError';
}

export async function startOutboxWorker(opts: OutboxWorkerOptions): Promise<OutboxWorker> {
  const { pool, deliverer, metrics } = opts;
  const transport = deliverer.transport;
  const log = opts.log.child({ component: 'outbox', transport });
  const concurrency = opts.concurrency ?? 4;
  const directConcurrency = opts.directConcurrency ?? 16;
  const pollMs = opts.pollMs ?? 1_000;
  // Null: the database's clock (see store.ts).
  const now = (): Now => opts.now?.() ?? null;
  const leaseMs = opts.leaseMs ?? 60_000;
  const leaseMarginMs = opts.leaseMarginMs ?? 5_000;
  const deadlineMs = deliverer.deadlineMs;
  const retryBaseMs = opts.retryBaseMs ?? 5_000;
  const retryMaxMs = opts.retryMaxMs ?? 15 * 60_000;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3_600_000;
  const settleMs = opts.settleMs ?? leaseMs;
  const probeMs = opts.probeMs ?? 30_000;
  if (leaseMs < deadlineMs + leaseMarginMs)
    throw new LeaseTooShortError(
      `outbox: the lease (${leaseMs} ms) is shorter than the longest delivery (${deadlineMs} ms) plus a margin of ${leaseMarginMs} ms; a row could be delivered twice`,
    );

  /** Deliveries under way: of claimed rows (counted against `concurrency`) and direct ones. */
  const inFlight = new Set<Promise<void>>();
  let claimedInFlight = 0;
  let directInFlight = 0;
  /** Direct slots held (reserve), not yet taken or released. */
  let reserved = 0;
  /** Deliveries finishing together are recorded together (db/statement-group.ts). */
  const deliveries = new StatementGroup<DeliveryRecord, boolean>({
    run: (records) => markDelivered(pool, records),
    concurrency: 2,
  });
  /** Due rows were left unclaimed for want of a slot: claim again when one frees. */
  let backlog = false;
  let stopping = false;
  let stoppedFully = false;
  let stopped: Promise<void> | undefined;
  let pumpRun: Promise<void> | undefined;
  let pumpAgain = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let lastDepthAt = 0;
  let listener: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  /** Set while a problem shared by every row (a rejected token) holds the queue. */
  let paused: { reason: 'auth'; error: string; since: number; loggedAt: number } | undefined;
  let probeTimer: NodeJS.Timeout | undefined;
  metrics.outboxPaused.set({ reason: 'auth' }, 0);

  /** Claims and starts as many rows as there are free slots; runs once at a time, repeats if kicked meanwhile. */
  function kick(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (pumpRun) {
      pumpAgain = true;
      return pumpRun;
    }
    pumpRun = (async () => {
      try {
        do {
          pumpAgain = false;
          await claimRound();
        } while (pumpAgain && !stopping);
      } catch (err) {
        log.error({ err }, 'outbox: claiming rows failed; will try again');
      } finally {
        pumpRun = undefined;
      }
      await refreshDepth(false);
      await scheduleWake();
    })();
    return pumpRun;
  }

  async function claimRound(): Promise<void> {
    while (!stopping && !paused) {
      const free = concurrency - claimedInFlight;
      if (free <= 0) {
        backlog = true;
        return;
      }
      const claims = await claimDue(pool, { now: now(), limit: free, leaseMs, transport });
      for (const claim of claims) start(claim, 'claimed');
      if (claims.length < free) {
        backlog = false;
        return;
      }
    }
  }

  /**
   * Delivers a claimed row in a slot of its lane. When a claimed slot frees, the worker looks at the
   * table again if rows were left waiting for one; when a row was not delivered, it looks too (the
   * row waits for a retry, and the next wake-up must know).
   */
  function start(claim: Claim, lane: 'claimed' | 'direct'): void {
    if (lane === 'claimed') claimedInFlight++;
    else directInFlight++;
    const run: Promise<void> = deliverOne(claim).then((delivered) => {
      inFlight.delete(run);
      if (lane === 'claimed') claimedInFlight--;
      else directInFlight--;
      if ((lane === 'claimed' && backlog) || !delivered) void kick();
    });
    inFlight.add(run);
  }

  function reserve(max: number): DeliverySlots | undefined {
    const count = Math.min(max, directConcurrency - directInFlight - reserved);
    if (stopping || paused || count <= 0) return undefined;
    reserved += count;
    let held = count;
    const free = (n: number) => {
      reserved -= n;
      held -= n;
    };
    return {
      count,
      leaseMs,
      transport,
      take(claims) {
        const mine = claims.slice(0, held);
        free(held);
        // After stop() has finished nothing is started: the rows stay leased and any worker
        // delivers them when the lease ends.
        if (!stoppedFully) for (const claim of mine) start(claim, 'direct');
      },
      release: () => free(held),
    };
  }

  /** True when the row was delivered and that was recorded. Never rejects. */
  async function deliverOne(claim: Claim): Promise<boolean> {
    const rowLog = log.child({ outboxId: claim.id, kind: claim.kind, attempt: claim.attempts });
    const { leaseUntil: _lease, providesRef: _ref, ...row } = claim;
    let delivered: Delivered | undefined;
    let failure: unknown;
    const deadline = AbortSignal.timeout(deadlineMs);
    const ctx: DeliveryContext = {
      lookupRef: (ref) => lookupRef(pool, ref),
      newerUpdatePending: (ref) => newerUpdatePending(pool, claim.id, ref),
      async saveProgress(progress) {
        if (!(await saveProgress(pool, claim, progress)))
          throw new TransientError('the lease ran out during the delivery');
      },
      signal: deadline,
    };
    try {
      delivered = await beforeDeadline(deliverer.deliver(row, ctx), deadline, deadlineMs);
    } catch (err) {
      failure = err;
    }
    try {
      const recorded = delivered
        ? await deliveries.submit({ claim, delivered, now: now() })
        : await recordFailure(claim, failure, rowLog);
      if (recorded && delivered) {
        metrics.outboxDeliveries.inc({ kind: claim.kind });
        rowLog.debug({ result: delivered.result }, 'outbox: delivered');
      }
      if (!recorded) {
        rowLog.warn(
          'outbox: the lease ran out before the outcome was recorded; another claim owns the row now',
        );
      }
      return recorded && delivered !== undefined;
    } catch (err) {
      // The row stays leased and is tried again when the lease ends; for a post that had gone out,
      // the retry finds it by its metadata instead of posting twice.
      rowLog.error({ err, delivered: Boolean(delivered) }, 'outbox: recording a delivery outcome failed');
      return false;
    }
  }

  async function recordFailure(claim: Claim, err: unknown, rowLog: Logger): Promise<boolean> {
    const error = describe(err);
    const at = now();
    const again = (delayMs: number, refundAttempt: boolean, withAge = true): Promise<Rescheduled> =>
      reschedule(pool, claim, {
        now: at,
        delayMs,
        error,
        refundAttempt,
        maxAgeMs: withAge ? maxAgeMs : undefined,
      });
    if (err instanceof QueuePausedError) {
      // A pause is only right if the token really fails: asked at once, auth.test says. If it
      // works, the code was about this row (whatever Slack calls it), and pausing for it would hold
      // the row, and its ordering key, forever: a pause never ages rows out.
      if (!paused && (await tokenWorks()))
        return dead(claim, `${error}, yet auth.test accepts the token: this row's own failure`, rowLog);
      // Not this row's fault: it goes back untouched (due at once: nothing is claimed while paused,
      // and it goes first when the probe works again).
      pause(err);
      return (await again(0, true, false)) !== 'lost';
    }
    if (err instanceof RetryAfterError) {
      metrics.outboxFailures.inc({ kind: claim.kind, reason: 'rate_limited' });
      rowLog.warn({ retryAfterSeconds: err.seconds }, 'outbox: rate limited, waiting as asked');
      // A little jitter on top (never below what was asked) so replicas do not all return at once.
      const delayMs = err.seconds * 1000 + Math.floor(Math.random() * 100);
      return settled(claim, await again(delayMs, true), error, rowLog);
    }
    if (err instanceof DeferredError) {
      metrics.outboxFailures.inc({ kind: claim.kind, reason: err.reason });
      if (err.reason === 'lookup')
        rowLog.warn({ error }, 'outbox: not posting until the earlier attempt is ruled out');
      else rowLog.debug({ error, delayMs: err.delayMs }, 'outbox: waiting for a slot');
      return settled(claim, await again(err.delayMs, true), error, rowLog);
    }
    if (err instanceof NotReadyError) {
      const provider = err.ref ? await deadProviderOf(pool, err.ref) : undefined;
      if (provider)
        return dead(
          claim,
          `DependencyFailed: message ${err.ref} was never posted (outbox row ${provider.id}: ${provider.error})`,
          rowLog,
        );
      metrics.outboxFailures.inc({ kind: claim.kind, reason: 'not_ready' });
      rowLog.debug({ error }, 'outbox: not ready, waiting');
      const age = (at ?? new Date()).getTime() - claim.createdAt.getTime();
      const delayMs = Math.min(60_000, Math.max(retryBaseMs, age / 2));
      return settled(claim, await again(delayMs, true), error, rowLog);
    }
    if (err instanceof PermanentError) return dead(claim, error, rowLog);
    metrics.outboxFailures.inc({ kind: claim.kind, reason: 'transient' });
    // A write Slack may still be carrying out must not be looked for (and posted again) before a
    // late request has had time to land.
    const settle = kindOf(claim.kind)?.guarantee === 'exactly-once' ? settleMs : 0;
    const delayMs = Math.max(settle, backoff(claim.attempts, retryBaseMs, retryMaxMs));
    rowLog.warn({ error, retryInMs: delayMs }, 'outbox: delivery failed, will retry');
    return settled(claim, await again(delayMs, false), error, rowLog);
  }

  /** The outcome of a reschedule: a row past its age limit went dead there (with its dependants). */
  async function settled(
    claim: Claim,
    outcome: Rescheduled,
    error: string,
    rowLog: Logger,
  ): Promise<boolean> {
    if (outcome !== 'dead') return outcome === 'rescheduled';
    metrics.outboxDead.inc({ kind: claim.kind });
    rowLog.error({ error, maxAgeMs }, 'outbox: row is dead (too old), it will not be retried');
    await refreshDepth(true);
    return true;
  }

  async function dead(claim: Claim, error: string, rowLog: Logger): Promise<boolean> {
    const outcome = await markDead(pool, claim, error);
    if (outcome.recorded) {
      metrics.outboxDead.inc({ kind: claim.kind });
      rowLog.error(
        { error, attempts: claim.attempts, dependants: outcome.dependants },
        'outbox: row is dead, it will not be retried',
      );
      await refreshDepth(true);
    }
    return outcome.recorded;
  }

  /** True when the deliverer's probe (auth.test) succeeds now; false when it fails or there is none. */
  async function tokenWorks(): Promise<boolean> {
    if (!deliverer.probe) return false;
    try {
      await deliverer.probe(AbortSignal.timeout(deadlineMs));
      return true;
    } catch {
      return false;
    }
  }

  function pause(err: QueuePausedError): void {
    if (paused) return;
    const t = Date.now();
    paused = { reason: err.reason, error: err.message, since: t, loggedAt: t };
    metrics.outboxPaused.set({ reason: err.reason }, 1);
    const detail = `outbox paused: ${err.message}; nothing is sent until the token works again (checked every ${Math.round(probeMs / 1000)} s)`;
    opts.health?.set(HEALTH_NAME, 'degraded', detail);
    log.error({ reason: err.reason, error: err.message }, `outbox: paused, ${detail}`);
    scheduleProbe();
  }

  function scheduleProbe(): void {
    clearTimeout(probeTimer);
    if (stopping || !paused) return;
    probeTimer = setTimeout(() => void probe(), probeMs);
    probeTimer.unref();
  }

  async function probe(): Promise<void> {
    const p = paused;
    if (!p || stopping) return;
    try {
      if (deliverer.probe) await deliverer.probe(AbortSignal.timeout(deadlineMs));
    } catch (err) {
      if (Date.now() - p.loggedAt >= PAUSE_LOG_EVERY_MS) {
        p.loggedAt = Date.now();
        const depth = await depthByState(pool).catch(() => undefined);
        log.error(
          {
            reason: p.reason,
            error: describe(err),
            pausedForS: Math.round((p.loggedAt - p.since) / 1000),
            pending: depth?.pending,
          },
          'outbox: still paused; rows are kept, not sent',
        );
      }
      scheduleProbe();
      return;
    }
    paused = undefined;
    metrics.outboxPaused.set({ reason: p.reason }, 0);
    opts.health?.clear(HEALTH_NAME);
    log.warn({ reason: p.reason, pausedForS: Math.round((Date.now() - p.since) / 1000) }, 'outbox: resumed');
    void kick();
  }

  async function refreshDepth(force: boolean): Promise<void> {
    if (!force && Date.now() - lastDepthAt < DEPTH_EVERY_MS) return;
    lastDepthAt = Date.now();
    try {
      const depth = await depthByState(pool);
      metrics.outboxDepth.set({ state: 'pending' }, depth.pending);
      metrics.outboxDepth.set({ state: 'dead' }, depth.dead);
    } catch (err) {
      log.warn({ err }, 'outbox: reading the depth failed');
    }
  }

  /** Sleeps until the next eligible row is due, never longer than pollMs. */
  async function scheduleWake(): Promise<void> {
    if (stopping) return;
    let delay = pollMs;
    if (claimedInFlight < concurrency) {
      try {
        const dueInMs = await nextDueInMs(pool, now(), transport);
        if (dueInMs !== undefined) delay = Math.min(pollMs, Math.max(MIN_WAKE_MS, dueInMs));
      } catch {
        // Poll at the normal pace; the claim will log if the database stays away.
      }
    }
    if (stopping) return;
    clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => void kick(), delay);
    wakeTimer.unref();
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: opts.listenUrl,
      application_name: 'toban-outbox-listen',
    });
    let lost = false;
    const onLost = (err?: Error): void => {
      if (lost || stopping) return;
      lost = true;
      log.warn({ err }, 'outbox: LISTEN connection lost; polling until it is back');
      client.end().catch(() => {});
      if (listener === client) listener = undefined;
      reconnectTimer = setTimeout(() => void reconnect(), RECONNECT_MS);
      reconnectTimer.unref();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => void kick());
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(OUTBOX_CHANNEL)}`);
    } catch (err) {
      onLost(err as Error);
      return;
    }
    if (stopping) {
      await client.end().catch(() => {});
      return;
    }
    listener = client;
  }

  async function reconnect(): Promise<void> {
    if (stopping) return;
    await listen();
    void kick(); // notifications sent while we were away are gone: look at the table
  }

  async function stop(): Promise<void> {
    stopping = true;
    clearTimeout(wakeTimer);
    clearTimeout(probeTimer);
    clearTimeout(reconnectTimer);
    await pumpRun;
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    const client = listener;
    listener = undefined;
    await client?.end().catch(() => {});
    stoppedFully = true;
    log.info('outbox: worker stopped');
  }

  await listen();
  void kick();
  log.info(
    { concurrency, directConcurrency, pollMs, maxAgeMs, leaseMs, deadlineMs },
    'outbox: worker started',
  );

  return {
    stop: () => (stopped ??= stop()),
    reserve,
    async drain(timeoutMs = 30_000) {
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`outbox: drain did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const settle = async (): Promise<void> => {
        while (!timedOut) {
          await kick();
          while (!timedOut && (inFlight.size > 0 || pumpRun))
            await Promise.allSettled([...inFlight, pumpRun]);
          if (stopping || paused || !(await anyDue(pool, now(), transport))) break;
          await new Promise((r) => setTimeout(r, MIN_WAKE_MS));
        }
      };
      try {
        await Promise.race([settle(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      await refreshDepth(true);
    },
  };
}

/**
 * Resolves or rejects as `delivery` does, unless `deadline` fires first: then it rejects with a
 * TransientError (the outcome is unknown), whether or not the deliverer honoured the signal.
 */
function beforeDeadline<T>(delivery: Promise<T>, deadline: AbortSignal, deadlineMs: number): Promise<T> {
  if (deadline.aborted)
    return Promise.reject(new TransientError(`delivery deadline (${deadlineMs} ms) passed`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TransientError(`delivery deadline (${deadlineMs} ms) passed`));
    deadline.addEventListener('abort', onAbort, { once: true });
    delivery.then(
      (v) => {
        deadline.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        deadline.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoff(attempts: number, baseMs: number, maxMs: number): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return redactText(text).slice(0, MAX_ERROR_LENGTH);
}

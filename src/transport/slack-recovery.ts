// Answers the Slack requests nobody is answering: stored and acknowledged, but their replica died or
// was stopped past its drain before recording an answer. Every replica sweeps at start and then every
// few seconds; a request is claimed once its lease has run out (FOR UPDATE SKIP LOCKED, so one
// replica takes it) and answered like a live one. One too old for its response_url is recorded as
// expired; one that keeps failing is given up after a few claims, with an error log line. Either way
// the person who sent it is told to run it again (Answerer.giveUp).
import { failureCode } from '../core/error-codes.ts';
import type { Logger } from '../core/log.ts';
import type { Pool } from '../db/pool.ts';
import { claimStale, type Now, type StoredRequest } from '../db/slack-requests.ts';
import { REQUEST_LEASE_MS } from './slack-intake.ts';
import type { Answerer } from './slack-answer.ts';

export interface RecoveryOptions {
  pool: Pool;
  log: Logger;
  answer: Answerer;
  /** Hands the answering work to the process's in-flight set, so shutdown drains it. */
  track: (work: Promise<unknown>, requestId: string) => void;
  /** Between sweeps (ms). Default 5 s. */
  intervalMs?: number;
  leaseMs?: number;
  /** Claims after which a request is given up as failed. Default 5. */
  maxAttempts?: number;
  /** The claim clock; default the database's (see slack-requests.ts). */
  now?: () => Now;
}

export interface Recovery {
  /** Claims and starts answering every stale request now; resolves with how many were claimed. */
  sweep(): Promise<number>;
  stop(): void;
}

const BATCH = 20;

export function startRecovery(opts: RecoveryOptions): Recovery {
  const log = opts.log.child({ component: 'slack-recovery' });
  const leaseMs = opts.leaseMs ?? REQUEST_LEASE_MS;
  const maxAttempts = opts.maxAttempts ?? 5;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function take(req: StoredRequest): Promise<void> {
    if (req.attempts > maxAttempts) {
      await opts.answer.giveUp(req, 'failed', `not answered after ${req.attempts - 1} claims`);
      log.error(
        { code: 'E_HANDLER', requestId: req.id, kind: req.kind, attempts: req.attempts },
        'slack: giving up on a request; its sender was told to run it again',
      );
      return;
    }
    log.info(
      { requestId: req.id, kind: req.kind, attempt: req.attempts },
      'slack: answering a request left unanswered',
    );
    const work = opts
      .answer(req)
      .catch((err: unknown) =>
        log.error(
          { err, code: failureCode(err), requestId: req.id },
          'slack: answering a recovered request failed; it will be retried',
        ),
      );
    opts.track(work, req.id);
  }

  async function sweepOnce(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const claimed = await claimStale(opts.pool, { now: opts.now?.() ?? null, limit: BATCH, leaseMs });
      for (const req of claimed) await take(req);
      total += claimed.length;
      if (claimed.length < BATCH) break;
    }
    return total;
  }

  function sweep(): Promise<number> {
    running ??= sweepOnce()
      .catch((err: unknown) => {
        log.warn(
          { err, code: failureCode(err) },
          'slack: looking for unanswered requests failed; will look again',
        );
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void sweep().finally(schedule), opts.intervalMs ?? 5_000);
    timer.unref();
  }

  void sweep().finally(schedule);
  return {
    sweep,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

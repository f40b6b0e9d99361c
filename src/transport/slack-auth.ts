// auth.test at start, the first call toban makes to Slack (it learns its bot id there). A refused
// token is the operator's to fix: it stops the start (startup-errors.ts turns it into one sentence).
// Anything else that can pass by itself (a 429, an HTTP 5xx, Slack unreachable, Slack's own
// internal_error) is waited out: retried with exponential backoff, Retry-After honoured, one log line
// per attempt, and the reason shown by /readyz meanwhile, while /healthz answers (the process is
// alive) and a SIGTERM still ends the wait at once.
import type { Logger } from '../core/log.ts';
import { redactText } from '../core/log.ts';

/** What toban needs from Slack's answer. */
export interface AuthAnswer {
  bot_id?: string;
  user_id?: string;
}

/** Slack platform errors (`ok: false`) that say Slack itself failed, not the request. */
const TRANSIENT_ANSWERS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/**
 * Why auth.test failed if the failure may pass by itself (a few words for /readyz and the log), else
 * undefined. Error shapes are @slack/web-api's coded errors.
 */
export function transientAuthFailure(err: unknown): { cause: string; retryAfterMs?: number } | undefined {
  const e = err as {
    code?: string;
    statusCode?: number;
    retryAfter?: number;
    data?: { error?: string };
    original?: { message?: string; cause?: { code?: string; message?: string } };
  };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return {
        cause: `rate-limited, retry after ${e.retryAfter ?? '?'} s`,
        retryAfterMs: e.retryAfter === undefined ? undefined : e.retryAfter * 1000,
      };
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 0) >= 500 ? { cause: `HTTP ${e.statusCode}` } : undefined;
    case 'slack_webapi_request_error': {
      // fetch says only "fetch failed"; what failed (ECONNREFUSED, a timeout, …) is its cause.
      const why =
        e.original?.cause?.code ?? e.original?.cause?.message ?? e.original?.message ?? 'network error';
      return { cause: redactText(why) };
    }
    case 'slack_webapi_platform_error':
      return e.data?.error && TRANSIENT_ANSWERS.has(e.data.error) ? { cause: e.data.error } : undefined;
    default:
      return undefined;
  }
}

export interface AuthRetryOptions {
  /** Calls auth.test once (the WebClient's `auth.test`, which does not retry by itself). */
  call: () => Promise<AuthAnswer>;
  log: Logger;
  /** Called with the cause while waiting (set /readyz's condition); `undefined` once answered. */
  waiting: (cause: string | undefined) => void;
  /** Ends the wait: the promise then rejects with the signal's reason. */
  signal: AbortSignal;
  /** First delay between attempts, ms. Default 1,000; doubled each attempt up to maxDelayMs. */
  firstDelayMs?: number;
  /** Longest delay between attempts, ms (a Retry-After longer than this is still honoured). Default 60,000. */
  maxDelayMs?: number;
  /** Waits `ms` unless `signal` fires first (tests give one that does not wait). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls auth.test until Slack answers it; resolves with the answer. Rejects with the call's error
 * when it is not transient (a refused token: the start must stop), or with `signal`'s reason when
 * the wait is ended.
 */
export async function authTestWithRetry(opts: AuthRetryOptions): Promise<AuthAnswer> {
  const sleep = opts.sleep ?? abortableSleep;
  const first = opts.firstDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) throw opts.signal.reason as Error;
    try {
      const answer = await opts.call();
      if (attempt > 1) opts.log.info({ attempt }, 'slack: auth.test answered; starting');
      opts.waiting(undefined);
      return answer;
    } catch (err) {
      const transient = transientAuthFailure(err);
      if (!transient) throw err;
      const backoff = Math.min(max, first * 2 ** (attempt - 1));
      const delayMs = Math.max(backoff, transient.retryAfterMs ?? 0);
      opts.log.warn(
        { attempt, cause: transient.cause, retryInMs: delayMs },
        `slack: auth.test failed (${transient.cause}); trying again in ${Math.round(delayMs / 1000)} s`,
      );
      opts.waiting(transient.cause);
      await sleep(delayMs, opts.signal);
    }
  }
}

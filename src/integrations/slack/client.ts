// The one place a Slack WebClient is built. The outbox owns retries (with Retry-After honoured per
// rate-limit scope, across replicas), so the client never retries or waits on its own: a 429 comes
// back at once as a WebAPIRateLimitedError carrying retryAfter.
//
// Deadlines: the WebClient has one timeout per HTTP request and no per-call AbortSignal. The
// outbox needs every call of one delivery to stop when that delivery's deadline fires (so no call
// outlives the row's lease), so the client's fetch also obeys the signal of the delivery it runs
// in, carried by AsyncLocalStorage (withDeadline).
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogLevel, WebClient, type FetchFunction, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../core/log.ts';

export interface SlackClientOptions {
  token: string;
  /** Base URL of the Web API, ending with `/api/` (SLACK_API_URL; a fake in tests). */
  apiUrl: string;
  logger?: Logger;
  /** Per HTTP request, ms. Default 10 s; the outbox lease must outlast a delivery's calls (config/env.ts). */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

const deadline = new AsyncLocalStorage<AbortSignal>();
/** withDeadline calls under way; the storage is switched off when none is (see withDeadline). */
let active = 0;

/**
 * Runs `fn` so that every Slack request it makes (through a client of this module) is aborted when
 * `signal` fires. While an AsyncLocalStorage is in use, Node 20 runs a hook on every promise of the
 * process (twice the CPU time for promise-heavy code, measured alone), so the storage is switched
 * off (`disable()`, marked experimental in Node 20's docs) whenever no call is under way.
 */
export async function withDeadline<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  active++;
  try {
    return await deadline.run(signal, fn);
  } finally {
    if (--active === 0) deadline.disable();
  }
}

/** The deadline signal of the delivery running now, if any. */
export function currentDeadline(): AbortSignal | undefined {
  return deadline.getStore();
}

export function createSlackClient(opts: SlackClientOptions): WebClient {
  const base: FetchFunction = opts.fetch ?? fetch;
  const fetchWithDeadline: FetchFunction = (url, init) => {
    const outer = deadline.getStore();
    if (!outer) return base(url, init);
    const signal = init?.signal ? AbortSignal.any([init.signal, outer]) : outer;
    return base(url, { ...init, signal });
  };
  return new WebClient(opts.token, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    fetch: fetchWithDeadline,
    ...(opts.logger ? { logger: slackLogger(opts.logger), logLevel: LogLevel.WARN } : {}),
  });
}

/** The WebClient's logger interface over pino (whose redaction then applies to what it logs). */
function slackLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'slack-web-api' });
  let level = LogLevel.WARN;
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

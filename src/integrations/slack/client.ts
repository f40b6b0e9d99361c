// The one place a Slack WebClient is built. The outbox owns retries (with Retry-After honoured per
// row and per channel), so the client never retries or waits on its own: a 429 comes back at once
// as a WebAPIRateLimitedError carrying retryAfter.
import { LogLevel, WebClient, type FetchFunction, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../app/log.ts';

export interface SlackClientOptions {
  token: string;
  /** Base URL of the Web API, ending with `/api/` (SLACK_API_URL; a fake in tests). */
  apiUrl: string;
  logger?: Logger;
  /** Per HTTP request. Default 10 s; keep well under the outbox lease. */
  timeoutMs?: number;
  fetch?: FetchFunction;
}

export function createSlackClient(opts: SlackClientOptions): WebClient {
  return new WebClient(opts.token, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
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

// Socket Mode, with Bolt (loaded only in this mode: slack.ts imports this module on demand).
// Bolt's SocketModeReceiver keeps the WebSocket; every envelope it receives takes the same durable
// path as an HTTP request before Bolt sees it: validated (slack-bodies.ts), stored under its key
// (event:<event_id> for events, envelope:<envelope_id> for commands and interactions), acknowledged,
// answered. A duplicate envelope is acknowledged and dropped; one the database could not take is
// acknowledged with the refusal (slash commands) or left unacknowledged so Slack sends it again
// (events, interactions). Bolt's listeners acknowledge at once and start the answer.
// Named imports: a default import of Bolt is its module object under Node but its App class elsewhere.
import {
  App,
  LogLevel,
  SocketModeReceiver,
  type Context,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { StartupError } from '../core/startup-errors.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { StoredRequest } from '../db/slack-requests.ts';
import { errorRef, failureCode } from '../core/error-codes.ts';
import type { AdmittedEvent } from './slack-admitted.ts';
import { parseSocketBody } from './slack-bodies.ts';
import { requestKey } from './slack-http-receiver.ts';
import type { SlackIntake } from './slack-intake.ts';
import type { ViewAcknowledger } from './slack-view-ack.ts';

/** What a Bolt listener finds in `context.tobanRequest`: the stored request, to take and answer. */
interface RequestHandle {
  request: StoredRequest;
  /** Set by the listener that starts answering it; the receiver answers it otherwise. */
  taken: boolean;
  /** The acknowledgement's payload decided before storing (a view submission's response_action). */
  response?: unknown;
}

export interface SocketModeOptions {
  intake: SlackIntake;
  log: Logger;
  metrics: Metrics;
  appToken: string;
  botToken: string;
  botId: string;
  botUserId: string;
  slackApiUrl: string;
  /** Starts answering a stored request (after its acknowledgement). */
  run: (request: StoredRequest) => void;
  /** As for HTTP (slack-http-receiver.ts): a view submission's acknowledgement, decided before storing. */
  acknowledgeView?: ViewAcknowledger;
}

/** The Bolt app on Socket Mode, with toban's durable step in front of it. */
export function createSocketMode(opts: SocketModeOptions): {
  receiver: Receiver;
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  const { log } = opts;
  const boltLogger = {
    debug: (...m: unknown[]) => log.debug({ bolt: m }),
    info: (...m: unknown[]) => log.info({ bolt: m }),
    warn: (...m: unknown[]) => log.warn({ bolt: m }),
    error: (...m: unknown[]) => log.error({ bolt: m }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
  const receiver = new SlackSocketReceiver({ ...opts, boltLogger });
  const app = new App({
    receiver,
    token: opts.botToken,
    // Known once at start (auth.test), so Bolt does not call auth.test on every event.
    botId: opts.botId,
    botUserId: opts.botUserId,
    logger: boltLogger,
    convoStore: false,
    clientOptions: { slackApiUrl: opts.slackApiUrl },
  });
  const take = (context: Context): void => {
    const handle = context.tobanRequest as RequestHandle | undefined;
    if (!handle || handle.taken) return;
    handle.taken = true;
    opts.run(handle.request);
  };
  // Every command, also unknown ones: the Dispatcher answers those with the list of commands.
  app.command(/.*/, async ({ ack, context }) => {
    await ack();
    take(context);
  });
  app.action(/.*/, async ({ ack, context }) => {
    await ack();
    take(context);
  });
  app.shortcut(/.*/, async ({ ack, context }) => {
    await ack();
    take(context);
  });
  app.view(/.*/, async ({ ack, context }) => {
    // A view submission's response_action rides in the envelope's acknowledgement.
    const handle = context.tobanRequest as RequestHandle | undefined;
    await ack(handle?.response as never);
    take(context);
  });
  app.event(/.*/, async ({ context }) => take(context));
  app.error(async (err) => {
    log.error({ err, code: failureCode(err) }, 'slack dispatch error');
  });
  return {
    receiver,
    start: async () => {
      // The Socket Mode client retries a refused app token forever (not_allowed_token_type) or
      // fails with a stack trace: ask once ourselves, so a wrong SLACK_APP_TOKEN stops the start
      // with one sentence.
      await checkAppToken(opts.appToken, opts.slackApiUrl);
      await app.start();
    },
    stop: async () => void (await app.stop()),
  };
}

/** apps.connections.open answers that mean SLACK_APP_TOKEN itself is wrong. */
const APP_TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'not_allowed_token_type',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
]);

/**
 * Calls apps.connections.open once with the app token; throws StartupError naming SLACK_APP_TOKEN
 * when Slack refuses the token. Other failures are left to the Socket Mode client's own retries.
 */
async function checkAppToken(appToken: string, slackApiUrl: string): Promise<void> {
  const client = new WebClient(appToken, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  try {
    await client.apps.connections.open({});
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    const answer = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
    if (answer && APP_TOKEN_ERRORS.has(answer))
      throw new StartupError(
        `SLACK_APP_TOKEN: Slack refused the app-level token (apps.connections.open answered ${answer}); create an app-level token (xapp-…) with connections:write on the app's Basic Information page`,
        { cause: err },
      );
  }
}

/**
 * Hands a stored request to Bolt and makes sure it is acknowledged and answered whatever Bolt does:
 * acked after processEvent if no listener acked, answered by `run` if no listener took it.
 */
async function processAdmitted(
  app: App,
  event: AdmittedEvent,
  request: StoredRequest,
  opts: Pick<SocketModeOptions, 'log' | 'run'>,
  acked: () => boolean,
): Promise<void> {
  const handle: RequestHandle = { request, taken: false, response: event.response };
  try {
    await app.processEvent({ ...event, customProperties: { tobanRequest: handle } });
  } catch (err) {
    opts.log.error(
      { err, code: failureCode(err), ref: errorRef(), requestId: request.id },
      'slack: Bolt failed on a stored request',
    );
  }
  if (!acked()) await event.ack(event.response);
  if (!handle.taken) {
    handle.taken = true;
    opts.run(request);
  }
}

interface SlackSocketReceiverOptions extends SocketModeOptions {
  /** Bolt's logger adapter. */
  boltLogger: BoltLogger;
}

class SlackSocketReceiver implements Receiver {
  private readonly inner: SocketModeReceiver;

  constructor(private readonly opts: SlackSocketReceiverOptions) {
    this.inner = new SocketModeReceiver({
      appToken: opts.appToken,
      logger: opts.boltLogger,
      // apps.connections.open goes to SLACK_API_URL like every other call (a fake one in tests).
      installerOptions: { clientOptions: { slackApiUrl: opts.slackApiUrl } },
      customPropertiesExtractor: (args: { envelope_id?: string }) => ({ envelopeId: args.envelope_id }),
    });
  }

  init(app: App): void {
    // Bolt's receiver calls processEvent on what it was given: give it our durable step in front of the app.
    this.inner.init({ processEvent: (event: ReceiverEvent) => this.process(app, event) } as unknown as App);
  }

  start(): Promise<unknown> {
    return this.inner.start();
  }

  stop(): Promise<unknown> {
    return this.inner.stop();
  }

  private async process(app: App, event: ReceiverEvent): Promise<void> {
    const { log } = this.opts;
    const envelopeId = String(event.customProperties?.envelopeId ?? '');
    const body = parseSocketBody(event.body);
    if (body.kind === 'invalid') {
      log.warn({ code: 'E_BODY', detail: body.error }, 'slack: envelope refused: body');
      await event.ack();
      return;
    }
    if (body.kind === 'url_verification' || body.kind === 'ignore' || !envelopeId) {
      await event.ack();
      return;
    }
    let response: unknown;
    let deadlineMs: number | undefined;
    if (body.kind === 'interaction' && body.body.type === 'view_submission' && this.opts.acknowledgeView) {
      const decided = await this.opts.acknowledgeView(body.body);
      if (decided.store === false) {
        await event.ack(decided.body);
        return;
      }
      response = decided.body;
      deadlineMs = decided.storeDeadlineMs;
    }
    const { key, userId } = requestKey(body, `envelope:${envelopeId}`);
    const admission = await this.opts.intake.admit({
      key,
      kind: body.kind,
      payload: body.body,
      userId,
      deadlineMs,
    });
    if (admission.status === 'seen') {
      await event.ack();
      return;
    }
    if (admission.status === 'unavailable') {
      if (admission.message) await event.ack(admission.message);
      return;
    }
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      await event.ack(response);
    };
    await processAdmitted(
      app,
      { body: body.body, ack, response, retryNum: event.retryNum, retryReason: event.retryReason },
      admission.request,
      this.opts,
      () => acked,
    );
  }
}

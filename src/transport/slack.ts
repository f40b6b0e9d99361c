// Slack as a transport. Our receivers (HTTP: slack-http-receiver.ts, Socket Mode:
// slack-socket-receiver.ts) verify, validate and store each request before Bolt sees it; Bolt routes
// it to a listener that acknowledges at once and starts answering it (slack-answer.ts), the answer
// going out through the outbox. Requests a replica left unanswered are answered by any replica
// (slack-recovery.ts).
// Named imports: a default import of Bolt is its module object under Node but its App class elsewhere.
import { App, LogLevel, type Context, type Receiver } from '@slack/bolt';
import type { AppContext } from '../app/context.ts';
import type { Dispatcher } from '../app/dispatch.ts';
import type { Pool } from '../db/pool.ts';
import type { StoredRequest } from '../db/slack-requests.ts';
import type { RouteHandler } from '../http/router.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import { createAnswerer } from './slack-answer.ts';
import { SlackHttpReceiver, type RequestHandle } from './slack-http-receiver.ts';
import { SlackIntake } from './slack-intake.ts';
import { startRecovery, type Recovery } from './slack-recovery.ts';
import { SlackSocketReceiver } from './slack-socket-receiver.ts';

export interface SlackTransportOptions {
  ctx: AppContext;
  dispatcher: Dispatcher;
  botToken: string;
  botId: string;
  botUserId: string;
  signingSecret?: string;
  appToken?: string;
  /**
   * Connections for the one INSERT before each acknowledgement, apart from those answering requests,
   * so an ack never queues behind a slow answer. Default: ctx.pool.
   */
  intakePool?: Pool;
  /** Tracks work that continues after the ack (labelled with its request id), so shutdown can wait for it. */
  track: (work: Promise<unknown>, requestId: string) => void;
  /** This process's outbox worker: answers are written claimed by it and delivered at once when it has a free slot. */
  outbox?: Pick<OutboxWorker, 'reserve'>;
}

export interface SlackTransport {
  /** HTTP mode: the handler of the route POST /slack/events. */
  route?: RouteHandler;
  /** The Bolt receiver in use (tests feed Socket Mode envelopes through it). */
  receiver: Receiver;
  /** Connects (Socket Mode) and starts answering requests other replicas left unanswered. */
  start(): Promise<void>;
  /** Stops taking requests; work already started is the caller's to drain. */
  stop(): Promise<void>;
}

export function createSlackTransport(opts: SlackTransportOptions): SlackTransport {
  const { ctx, dispatcher } = opts;
  const boltLogger = {
    debug: (...m: unknown[]) => ctx.log.debug({ bolt: m }),
    info: (...m: unknown[]) => ctx.log.info({ bolt: m }),
    warn: (...m: unknown[]) => ctx.log.warn({ bolt: m }),
    error: (...m: unknown[]) => ctx.log.error({ bolt: m }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
  const intake = new SlackIntake({
    pool: opts.intakePool ?? ctx.pool,
    log: ctx.log,
    metrics: ctx.metrics,
    defaultLocale: ctx.config.locale,
  });
  const answer = createAnswerer({
    ctx,
    dispatcher,
    learnedLocale: (user, locale) => intake.rememberLocale(user, locale),
    outbox: opts.outbox,
  });

  /** Starts answering a stored request after its acknowledgement has been written. */
  const run = (request: StoredRequest): void => {
    const work = (async () => {
      // Let the acknowledgement leave before the request's own work starts.
      await new Promise((r) => setImmediate(r));
      await answer(request);
    })().catch((err: unknown) =>
      ctx.log.error(
        { err, requestId: request.id, kind: request.kind },
        'slack: answering failed after the ack; another claim will answer it when the lease ends',
      ),
    );
    opts.track(work, request.id);
  };
  const receiverOptions = { intake, log: ctx.log, metrics: ctx.metrics, answerUntaken: run };
  const receiver = opts.appToken
    ? new SlackSocketReceiver({ ...receiverOptions, appToken: opts.appToken, boltLogger })
    : new SlackHttpReceiver({ ...receiverOptions, signingSecret: opts.signingSecret ?? '' });
  const app = new App({
    receiver,
    token: opts.botToken,
    // Known once at start (auth.test), so Bolt does not call auth.test on every event.
    botId: opts.botId,
    botUserId: opts.botUserId,
    logger: boltLogger,
    convoStore: false,
    clientOptions: { slackApiUrl: ctx.config.env.slack.apiUrl },
  });

  const take = (context: Context): void => {
    const handle = context.tobanRequest as RequestHandle | undefined;
    if (!handle || handle.taken) return;
    handle.taken = true;
    run(handle.request);
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
    await ack();
    take(context);
  });
  app.event(/.*/, async ({ context }) => take(context));
  app.error(async (err) => {
    ctx.log.error({ err }, 'slack dispatch error');
  });

  let recovery: Recovery | undefined;
  return {
    route: receiver instanceof SlackHttpReceiver ? receiver.handle : undefined,
    receiver,
    async start() {
      if (receiver instanceof SlackSocketReceiver) await app.start();
      recovery = startRecovery({ pool: ctx.pool, log: ctx.log, answer, track: opts.track });
    },
    async stop() {
      recovery?.stop();
      if (receiver instanceof SlackSocketReceiver) await app.stop();
    },
  };
}

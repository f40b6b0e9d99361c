// Slack as a transport. Our receivers (HTTP: slack-http-receiver.ts, Socket Mode:
// slack-socket-receiver.ts) verify, validate and store each request, acknowledge it and start
// answering it (slack-answer.ts), the answer going out through the outbox. Requests a replica left
// unanswered are answered by any replica (slack-recovery.ts).
//
// Bolt, with the Socket Mode client it keeps the WebSocket with, is loaded only in Socket Mode: HTTP
// mode runs without it (see slack-http-receiver.ts), and console mode loads neither.
//
// Answers run a few at a time (answerConcurrency), the rest wait their turn in order (those that may
// open a modal have a queue of their own, see urgentTurn): on one event
// loop, work after the ack competes with the next acks, and a burst of answers started at once
// would hold the loop and the pool while requests wait to be stored and acknowledged. A waiting
// answer is already stored: the drain waits for it, and it is released to another replica like a
// running one.
import type { Receiver } from '@slack/bolt';
import pLimit from 'p-limit';
import type { AppContext } from '../core/context.ts';
import { failureCode } from '../core/error-codes.ts';
import type { WebClient } from '@slack/web-api';
import type { Dispatch } from '../core/handlers.ts';
import type { Locale } from '../i18n/index.ts';
import { createSlackClient } from '../integrations/slack/client.ts';
import type { Pool } from '../db/pool.ts';
import type { StoredRequest } from '../db/slack-requests.ts';
import type { RouteHandler } from '../http/router.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import { ackThenAnswer } from './slack-admitted.ts';
import { commandMayOpenModal, createAnswerer } from './slack-answer.ts';
import { SlackHttpReceiver } from './slack-http-receiver.ts';
import { SlackIntake } from './slack-intake.ts';
import { startRecovery, type Recovery } from './slack-recovery.ts';
import { createViewAcknowledger } from './slack-view-ack.ts';
import { createViewOpener } from './slack-views.ts';

export interface SlackTransportOptions {
  ctx: AppContext;
  dispatcher: Dispatch;
  botToken: string;
  /** The Web API client (integrations/slack/client.ts) for views.open / views.push; default: one made from botToken. */
  client?: WebClient;
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
  /** Requests answered at once; the others wait their turn (see the module comment). Default 8. */
  answerConcurrency?: number;
}

export interface SlackTransport {
  /** HTTP mode: the handler of the route POST /slack/events. */
  route?: RouteHandler;
  /** Socket Mode: the Bolt receiver in use (tests feed envelopes through it). */
  receiver?: Receiver;
  /** Connects (Socket Mode) and starts answering requests other replicas left unanswered. */
  start(): Promise<void>;
  /** Stops taking requests; work already started is the caller's to drain. */
  stop(): Promise<void>;
}

export async function createSlackTransport(opts: SlackTransportOptions): Promise<SlackTransport> {
  const { ctx, dispatcher } = opts;
  const intake = new SlackIntake({
    pool: opts.intakePool ?? ctx.pool,
    log: ctx.log,
    metrics: ctx.metrics,
    defaultLocale: ctx.config.locale,
  });
  const client =
    opts.client ??
    createSlackClient({ token: opts.botToken, apiUrl: ctx.config.env.slack.apiUrl, logger: ctx.log });
  const answer = createAnswerer({
    ctx,
    dispatcher,
    learnedLocale: (user, locale) => intake.rememberLocale(user, locale),
    outbox: opts.outbox,
    openView: createViewOpener(client),
  });
  const userLocale = async (userId: string): Promise<Locale> => {
    try {
      const known = await ctx.directory.userLocale(userId);
      if (known) intake.rememberLocale(userId, known);
      return known ?? ctx.config.locale;
    } catch {
      return ctx.config.locale;
    }
  };
  const acknowledgeView = createViewAcknowledger({
    dispatcher,
    locale: userLocale,
    defaultLocale: ctx.config.locale,
    log: ctx.log,
  });

  const turn = pLimit(opts.answerConcurrency ?? 8);
  // A request carrying a trigger_id (a shortcut, a button, a command alone) may open a modal, which Slack allows only
  // within 3 s of the click: it does not wait for its turn behind slow answers. Such requests are
  // small (a handler and at most one views.open) and come one per click.
  const urgentTurn = pLimit(opts.answerConcurrency ?? 8);
  const hasTrigger = (request: StoredRequest): boolean => {
    const p = request.payload as { type?: unknown; trigger_id?: unknown; text?: unknown };
    if (typeof p.trigger_id !== 'string') return false;
    // A slash command typed alone may open a form (commandMayOpenModal).
    if (request.kind === 'command') return commandMayOpenModal(typeof p.text === 'string' ? p.text : '');
    return (
      request.kind === 'interaction' &&
      (p.type === 'shortcut' || p.type === 'message_action' || p.type === 'block_actions')
    );
  };
  /** Starts answering a stored request after its acknowledgement has been written (in its turn). */
  const run = (request: StoredRequest): void => {
    const work = (hasTrigger(request) ? urgentTurn : turn)(async () => {
      // Let the acknowledgement leave before the request's own work starts.
      await new Promise((r) => setImmediate(r));
      await answer(request);
    }).catch((err: unknown) =>
      ctx.log.error(
        { err, code: failureCode(err), requestId: request.id, kind: request.kind },
        'slack: answering failed after the ack; another claim will answer it when the lease ends',
      ),
    );
    opts.track(work, request.id);
  };
  const receiverOptions = { intake, log: ctx.log, metrics: ctx.metrics, acknowledgeView };

  let recovery: Recovery | undefined;
  const startRecovering = () => {
    recovery = startRecovery({ pool: ctx.pool, log: ctx.log, answer, track: opts.track });
  };

  if (opts.appToken) {
    const { createSocketMode } = await import('./slack-socket-receiver.ts');
    const socket = createSocketMode({
      ...receiverOptions,
      appToken: opts.appToken,
      botToken: opts.botToken,
      botId: opts.botId,
      botUserId: opts.botUserId,
      slackApiUrl: ctx.config.env.slack.apiUrl,
      run,
    });
    return {
      receiver: socket.receiver,
      async start() {
        await socket.start();
        startRecovering();
      },
      async stop() {
        recovery?.stop();
        await socket.stop();
      },
    };
  }

  const receiver = new SlackHttpReceiver({
    ...receiverOptions,
    admitted: ackThenAnswer(run),
    signingSecret: opts.signingSecret ?? '',
  });
  return {
    route: receiver.handle,
    async start() {
      startRecovering();
    },
    async stop() {
      recovery?.stop();
    },
  };
}

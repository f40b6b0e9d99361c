// Slack as a transport: Bolt verifies signatures and dispatches; we ack at once and answer later
// through the outbox (response_url), so the acknowledgement never waits on the database or Slack.
import type { IncomingMessage, ServerResponse } from 'node:http';
import bolt from '@slack/bolt';
import type { AppContext } from '../app/context.ts';
import type { Dispatcher, Outcome } from '../app/dispatch.ts';
import type { Locale } from '../i18n/index.ts';

const { App, HTTPReceiver, SocketModeReceiver, LogLevel } = bolt;

export interface SlackTransportOptions {
  ctx: AppContext;
  dispatcher: Dispatcher;
  botToken: string;
  botId: string;
  botUserId: string;
  signingSecret?: string;
  appToken?: string;
  /** Hands a reply to the outbox. */
  deliver: (
    target: { responseUrl: string; userId: string; channelId?: string },
    outcome: Outcome,
  ) => Promise<void>;
  /** Tracks work that continues after the ack, so shutdown can wait for it. */
  track: (work: Promise<unknown>) => void;
}

export interface SlackTransport {
  /** HTTP mode: the listener for POST /slack/events. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => void;
  start(): Promise<void>;
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
  const receiver = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logger: boltLogger })
    : new HTTPReceiver({
        signingSecret: opts.signingSecret ?? '',
        endpoints: '/slack/events',
        logger: boltLogger,
        // Unanswered requests are Slack's to retry; ours are always acked at once.
        unhandledRequestTimeoutMillis: 3001,
      });
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

  const locale = async (userId: string): Promise<Locale> => {
    try {
      return (await ctx.directory.userLocale(userId)) ?? ctx.config.locale;
    } catch {
      return ctx.config.locale;
    }
  };

  for (const name of dispatcher.commandNames()) {
    app.command(name, async ({ ack, command }) => {
      await ack();
      opts.track(
        (async () => {
          // Let the acknowledgement leave before the command's own work starts.
          await new Promise((r) => setImmediate(r));
          const outcome = await dispatcher.run({
            command: command.command,
            text: command.text ?? '',
            userId: command.user_id,
            channelId: command.channel_id,
            locale: await locale(command.user_id),
            triggerId: command.trigger_id,
          });
          await opts.deliver(
            { responseUrl: command.response_url, userId: command.user_id, channelId: command.channel_id },
            outcome,
          );
        })().catch((err) =>
          ctx.log.error({ err, command: command.command }, 'slash command failed after ack'),
        ),
      );
    });
  }

  app.action(/.*/, async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || !('action_id' in action)) return;
    const userId = body.user.id;
    opts.track(
      (async () => {
        await new Promise((r) => setImmediate(r));
        const outcome = await dispatcher.press({
          actionId: action.action_id,
          value: 'value' in action ? (action.value as string | undefined) : undefined,
          userId,
          channelId: body.channel?.id,
          messageTs: body.message?.ts,
          locale: await locale(userId),
        });
        if (outcome && body.response_url)
          await opts.deliver(
            { responseUrl: body.response_url, userId, channelId: body.channel?.id },
            outcome,
          );
      })().catch((err) => ctx.log.error({ err, action: action.action_id }, 'action failed after ack')),
    );
  });

  app.error(async (err) => {
    ctx.log.error({ err }, 'slack dispatch error');
  });

  const isHttp = !opts.appToken;
  return {
    requestListener: isHttp ? (receiver as InstanceType<typeof HTTPReceiver>).requestListener : undefined,
    async start() {
      if (!isHttp) await app.start();
    },
    async stop() {
      if (!isHttp) await app.stop();
    },
  };
}

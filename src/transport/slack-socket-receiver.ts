// Bolt Receiver for Socket Mode: Bolt's SocketModeReceiver keeps the WebSocket; every envelope it
// receives takes the same durable path as an HTTP request before Bolt sees it: validated
// (slack-bodies.ts), stored under its key (event:<event_id> for events, envelope:<envelope_id> for
// commands and interactions), acknowledged, answered. A duplicate envelope is acknowledged and
// dropped; one the database could not take is acknowledged with the refusal (slash commands) or
// left unacknowledged so Slack sends it again (events, interactions).
import { SocketModeReceiver, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { parseSocketBody } from './slack-bodies.ts';
import { processAdmitted, requestKey, type SlackReceiverOptions } from './slack-http-receiver.ts';

export interface SlackSocketReceiverOptions extends SlackReceiverOptions {
  appToken: string;
  /** Bolt's logger adapter (the transport's). */
  boltLogger: BoltLogger;
}

export class SlackSocketReceiver implements Receiver {
  private readonly inner: SocketModeReceiver;

  constructor(private readonly opts: SlackSocketReceiverOptions) {
    this.inner = new SocketModeReceiver({
      appToken: opts.appToken,
      logger: opts.boltLogger,
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
      log.warn({ detail: body.error }, 'slack: envelope refused: body');
      await event.ack();
      return;
    }
    if (body.kind === 'url_verification' || body.kind === 'ignore' || !envelopeId) {
      await event.ack();
      return;
    }
    const { key, userId } = requestKey(body, `envelope:${envelopeId}`);
    const admission = await this.opts.intake.admit({ key, kind: body.kind, payload: body.body, userId });
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
      { body: body.body, ack, retryNum: event.retryNum, retryReason: event.retryReason },
      admission.request,
      this.opts,
      () => acked,
    );
  }
}

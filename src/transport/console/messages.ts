// The messages printed in a console session, numbered as they are printed (#1, #2, …) so that
// `shortcut <name> on <n>` and `react <emoji> <n>` can name one, like `press <n>` names a button.
// Each keeps what Slack would hand a handler about it (MessageRef): its channel, ts, text, author.
//
// Messages the outbox prints (console-deliverer.ts, through ConsoleShell.show) carry the ts the
// outbox records for them (the Delivered result), so a handler that looks a message up by ts (an
// alert group's post, on a reaction) finds it: deliveries are wrapped (recordDeliveries) and what
// each one printed, even after an await, is given its row's channel and ts once it is delivered
// (an update's: those of the message it updated).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageRef } from '../../core/handlers.ts';
import type { Deliverer } from '../../outbox/deliverer.ts';

export class MessageLog {
  private readonly refs: MessageRef[] = [];
  private readonly delivering = new AsyncLocalStorage<MessageRef[]>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a printed message and returns its number (from 1). */
  add(message: { channelId: string; text: string; authorId?: string; ts?: string }): number {
    const ref: MessageRef = { ...message, ts: message.ts ?? this.ts() };
    this.refs.push(ref);
    this.delivering.getStore()?.push(ref);
    return this.refs.length;
  }

  get(n: number): MessageRef | undefined {
    return Number.isInteger(n) && n >= 1 ? this.refs[n - 1] : undefined;
  }

  /**
   * A Slack-like ts ("1712710800.000001") for a message toban printed itself: unique in the
   * session, so two messages never share one.
   */
  private ts(): string {
    return `${Math.floor(this.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
  }

  /** The outbox's deliverer, recording the channel and ts of each message a delivery printed. */
  recordDeliveries(inner: Deliverer): Deliverer {
    const wrapped: Deliverer = {
      transport: inner.transport,
      deadlineMs: inner.deadlineMs,
      deliver: async (row, ctx) => {
        const printed: MessageRef[] = [];
        const delivered = await this.delivering.run(printed, () => inner.deliver(row, ctx));
        let { ts, channel } = delivered.result;
        // An update prints the message again under the ts of the one it updated (its ref's).
        const ref = delivered.result.ref;
        if (typeof ts !== 'string' && typeof ref === 'string') {
          const at = await ctx.lookupRef(ref);
          ts = at?.ts;
          channel = at?.channel;
        }
        for (const ref of printed) {
          if (typeof ts === 'string') ref.ts = ts;
          if (typeof channel === 'string') ref.channelId = channel;
        }
        return delivered;
      },
    };
    if (inner.probe) wrapped.probe = (signal) => inner.probe!(signal);
    return wrapped;
  }
}

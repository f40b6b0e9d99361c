// The investigation's thread is its working log: every state change (taken, released, reassigned,
// waiting, resumed, resolved, reopened) and what other features add (ledger facts, similar answers,
// reminders) is a reply in the thread of its post in the investigations channel. One helper writes
// them, so every line is ordered after the post and written once per key.
import type { AppContext } from '../../core/context.ts';
import type { Message } from '../../core/command.ts';
import { postRef } from '../../db/investigations.ts';
import type { Queryable } from '../../db/pool.ts';
import type { Investigation } from '../../domain/investigation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { threadLine, type LogEntry } from '../../views/investigation-log.ts';
import { enqueuePostUpdate } from './posts.ts';

/**
 * Writes `message` as a reply in the thread of investigation `invId`'s post (outbox slack.post with
 * threadRef `investigation:<id>`; delivered once the post is), in the caller's transaction.
 * `key` names what the line is about, unique per investigation (an event: `event:<event id>`): the
 * same key writes the line once, however often it is called.
 * @returns the outbox row id, or undefined when a line under this key was written before.
 */
export async function enqueueThreadNote(
  db: Queryable,
  ctx: Pick<AppContext, 'config' | 'outboxTransport'>,
  invId: string,
  message: Message,
  key: string,
): Promise<string | undefined> {
  return enqueue(
    db,
    {
      kind: 'slack.post',
      // The post's own ordering key: the line follows the post and its updates in order.
      orderingKey: `investigation:${invId}`,
      idempotencyKey: `investigation:${invId}:thread:${key}`,
      payload: {
        channel: ctx.config.channels.investigations,
        threadRef: postRef(invId),
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
      },
    },
    ctx.outboxTransport,
  );
}

/**
 * A state change shown in Slack: the post updated as `inv` now is, and the change's line (`entry`,
 * in the team's language, dated as of `at`) in its thread, both keyed by the change's event id, in
 * the caller's transaction.
 */
export async function enqueueChangeShown(
  db: Queryable,
  ctx: Pick<AppContext, 'config' | 'outboxTransport' | 'clock'>,
  inv: Investigation,
  event: string,
  entry: LogEntry,
  at: Date,
): Promise<void> {
  await enqueuePostUpdate(db, ctx, inv, event);
  const line = threadLine(inv, entry, ctx.config.locale, ctx.config.timezone, at);
  await enqueueThreadNote(db, ctx, inv.id, line, `event:${event}`);
}

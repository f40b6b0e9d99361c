// Answers to Slack commands and buttons go out through the outbox like every other Slack write:
// the response_url message, and any files (CSV, charts) sent privately to the person who asked.
import type { Reply } from '../core/command.ts';
import type { AppContext } from '../core/context.ts';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxItem } from '../outbox/kinds/index.ts';
import type { Transport } from '../outbox/deliverer.ts';

export interface ReplyTarget {
  /** Where the reply goes; without one (a view submission, a global shortcut) it is a DM. */
  responseUrl?: string;
  userId: string;
  channelId?: string;
}

/** Writes the reply's outbox rows for this process's transport (ctx.outboxTransport). */
export async function enqueueReply(
  ctx: Pick<AppContext, 'pool' | 'outboxTransport'>,
  target: ReplyTarget,
  reply: Reply,
): Promise<void> {
  // The common case, a reply without files, is a single statement: no transaction round trips.
  if (!reply.files?.length) {
    await enqueueReplyRows(ctx.pool, ctx.outboxTransport, target, reply);
    return;
  }
  await withTransaction(ctx.pool, (tx) => enqueueReplyRows(tx, ctx.outboxTransport, target, reply));
}

/**
 * The reply's outbox rows, written with `db` (inside the caller's transaction when it has files or
 * must commit with other changes). `key` (e.g. the Slack request's key) gives every row an
 * idempotency key derived from it, so answering the same request twice enqueues nothing twice.
 */
export async function enqueueReplyRows(
  db: Queryable,
  transport: Transport,
  target: ReplyTarget,
  reply: Reply,
  key?: string,
): Promise<void> {
  for (const item of replyItems(target, reply, key)) await enqueue(db, item, transport);
}

/**
 * The outbox items of a reply: the response_url message first, then each file (see
 * enqueueReplyRows for `key`).
 */
export function replyItems(target: ReplyTarget, reply: Reply, key?: string): OutboxItem[] {
  const idempotencyKey = key === undefined ? undefined : `reply:${key}`;
  const message: OutboxItem = target.responseUrl
    ? {
        kind: 'slack.respond',
        orderingKey: `respond:${target.responseUrl}`,
        idempotencyKey,
        payload: {
          responseUrl: target.responseUrl,
          responseType: reply.visibility,
          text: reply.message.text,
          blocks: reply.message.blocks,
        },
      }
    : {
        kind: 'slack.dm',
        orderingKey: `dm:${target.userId}`,
        idempotencyKey,
        payload: { user: target.userId, text: reply.message.text, blocks: reply.message.blocks },
      };
  return [message, ...fileItems(target.userId, reply, key)];
}

/** A reply's files, each to the asker's DM (see enqueueReplyRows for `key`). */
export function fileItems(userId: string, reply: Reply, key?: string): OutboxItem[] {
  // Ledger and sales files may be confidential: they go to the asker's DM, not the channel.
  return (reply.files ?? []).map((f, i) => ({
    kind: 'slack.file',
    orderingKey: `dm:${userId}`,
    idempotencyKey: key === undefined ? undefined : `reply:${key}:file:${i}`,
    payload: {
      channel: userId,
      user: userId,
      filename: f.filename,
      title: f.title,
      content: f.content,
      encoding: f.encoding,
    },
  }));
}

// Answers to Slack commands and buttons go out through the outbox like every other Slack write:
// the response_url message, and any files (CSV, charts) sent privately to the person who asked.
import type { Reply } from '../app/command.ts';
import type { AppContext } from '../app/context.ts';
import { withTransaction } from '../db/pool.ts';
import { enqueue } from '../outbox/enqueue.ts';

export async function enqueueReply(
  ctx: Pick<AppContext, 'pool'>,
  target: { responseUrl: string; userId: string; channelId?: string },
  reply: Reply,
): Promise<void> {
  const respond = {
    kind: 'slack.respond' as const,
    orderingKey: `respond:${target.responseUrl}`,
    payload: {
      responseUrl: target.responseUrl,
      responseType: reply.visibility,
      text: reply.message.text,
      blocks: reply.message.blocks,
    },
  };
  // The common case, a reply without files, is a single statement: no transaction round trips.
  if (!reply.files?.length) {
    await enqueue(ctx.pool, respond);
    return;
  }
  await withTransaction(ctx.pool, async (tx) => {
    await enqueue(tx, respond);
    for (const f of reply.files ?? []) {
      // Ledger and sales files may be confidential: they go to the asker's DM, not the channel.
      await enqueue(tx, {
        kind: 'slack.file',
        orderingKey: `dm:${target.userId}`,
        payload: {
          channel: target.userId,
          user: target.userId,
          filename: f.filename,
          title: f.title,
          content: f.content,
          encoding: f.encoding,
        },
      });
    }
  });
}

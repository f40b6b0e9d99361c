// slack.post: a message in a channel, or a reply in the thread of a message posted earlier (threadRef).
// Exactly once: every post carries its row id as message metadata, and a try after an unknown
// outcome reads the channel (or thread) from the first try onwards for it before posting.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { NotReadyError } from '../deliverer.ts';
import { blocks, slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackPost = defineKind({
  kind: 'slack.post',
  guarantee: 'exactly-once',
  duplicateRule:
    'after an unknown outcome, look for the row id in the message metadata of the channel or thread',
  calls: 3, // conversations.join + conversations.history + chat.postMessage after an unknown outcome
  payload: z.object({
    channel: slackId,
    text: z.string(),
    blocks,
    /** Post as a reply in the thread of the message recorded under this ref. */
    threadRef: z.string().optional(),
    /** Post as a reply in the thread of this message of `channel` (one toban did not post: a mention). */
    threadTs: z.string().optional(),
    /** Stable name for this message, e.g. "alert-group:42", so later rows can update or thread on it. */
    ref: z.string().optional(),
  }),
  refs: (p) => ({ provides: p.ref, needs: p.threadRef }),
  async slack(row, p, slack, ctx) {
    let channel = p.channel;
    let threadTs = p.threadTs;
    if (p.threadRef) {
      const parent = await ctx.lookupRef(p.threadRef);
      if (!parent) throw new NotReadyError(`thread ${p.threadRef} has not been posted yet`, p.threadRef);
      // A reply lives where its parent is.
      channel = parent.channel;
      threadTs = parent.ts;
    }
    const at = await slack.postOnce(row, channel, { text: p.text, blocks: p.blocks, threadTs });
    return { result: { ...at }, ...(p.ref ? { message: { ref: p.ref, ...at } } : {}) };
  },
  async console(row, p, out) {
    out.show(p, t(out.locale, 'console.posted', { channel: p.channel }));
    const ts = out.ts(row);
    return {
      result: { channel: p.channel, ts },
      ...(p.ref ? { message: { ref: p.ref, channel: p.channel, ts } } : {}),
    };
  },
});

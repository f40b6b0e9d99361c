// slack.dm: a direct message to a user, in the bot's IM channel with them.
// Exactly once, as slack.post: the IM's history is searched for the row id after an unknown outcome.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { blocks, slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackDm = defineKind({
  kind: 'slack.dm',
  guarantee: 'exactly-once',
  duplicateRule: 'after an unknown outcome, look for the row id in the message metadata of the IM',
  calls: 3, // conversations.open + conversations.history + chat.postMessage after an unknown outcome
  payload: z.object({ user: slackId, text: z.string(), blocks }),
  refs: () => ({}),
  async slack(row, p, slack) {
    const channel = await slack.imChannel(p.user);
    return { result: { ...(await slack.postOnce(row, channel, { text: p.text, blocks: p.blocks })) } };
  },
  async console(row, p, out) {
    out.show(p, t(out.locale, 'console.dm', { user: p.user }));
    // The console has no D… channels: a DM's conversation is named by its person, as a file's is.
    return { result: { ts: out.ts(row), channel: p.user } };
  },
});

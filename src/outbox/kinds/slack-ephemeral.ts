// slack.ephemeral: a message in a channel that only one user sees.
// At least once: Slack keeps no trace of an ephemeral message to look for, so a try after an
// unknown outcome (a timeout, a crash mid-call) may show it twice; never otherwise.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { blocks, slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackEphemeral = defineKind({
  kind: 'slack.ephemeral',
  guarantee: 'at-least-once',
  duplicateRule: 'none possible: an ephemeral message leaves nothing to look for',
  calls: 1,
  payload: z.object({ channel: slackId, user: slackId, text: z.string(), blocks }),
  refs: () => ({}),
  async slack(_row, p, slack) {
    const res = await slack.call('chat.postEphemeral', p.channel, () =>
      slack.client.chat.postEphemeral({
        channel: p.channel,
        user: p.user,
        text: p.text,
        ...(p.blocks ? { blocks: p.blocks } : {}),
      }),
    );
    return { result: { channel: p.channel, message_ts: res.message_ts ?? null } };
  },
  async console(_row, p, out) {
    out.show(p, t(out.locale, 'console.ephemeral', { user: p.user }));
    return { result: {} };
  },
});

// slack.update: replaces the text and blocks of a message posted earlier under a ref.
// Idempotent: updating a message to the same content twice leaves it as once.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { NotReadyError } from '../deliverer.ts';
import { blocks } from './common.ts';
import { defineKind } from './kind.ts';

export const slackUpdate = defineKind({
  kind: 'slack.update',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: the same update applied twice leaves the same message',
  calls: 1,
  // lane 'summary': a message that stands for many (a storm summary), paced apart from the rest.
  payload: z.object({ ref: z.string(), text: z.string(), blocks, lane: z.literal('summary').optional() }),
  refs: (p) => ({ needs: p.ref }),
  async slack(_row, p, slack, ctx) {
    const at = await ctx.lookupRef(p.ref);
    if (!at) throw new NotReadyError(`message ${p.ref} has not been posted yet`, p.ref);
    // A later update of the same message waits behind this one (same ordering key): it will show
    // the newer state, so this call would be spent for nothing.
    if (await ctx.newerUpdatePending?.(p.ref))
      return { result: { channel: at.channel, ts: at.ts, superseded: true } };
    await slack.call(
      'chat.update',
      at.channel,
      () =>
        slack.client.chat.update({
          channel: at.channel,
          ts: at.ts,
          text: p.text,
          ...(p.blocks ? { blocks: p.blocks } : {}),
        }),
      p.lane ? { lane: p.lane } : {},
    );
    return { result: { channel: at.channel, ts: at.ts } };
  },
  async console(_row, p, out, ctx) {
    const where = await ctx.lookupRef(p.ref);
    out.show(p, t(out.locale, 'console.updated', { channel: where?.channel ?? p.ref }));
    return { result: { ref: p.ref } };
  },
});

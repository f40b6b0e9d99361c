// @toban in a channel: who is on duty now, answered in the thread of the mention.
import type { EventHandler } from '../src/core/handlers.ts';
import { onDutyNow } from '../src/services/rotations/resolver.ts';
import { textReply } from '../src/views/common.ts';
import { onDutyLines } from '../src/views/home.ts';
import { t } from '../src/i18n/index.ts';

export const mentionOncall: EventHandler<'app_mention'> = {
  event: 'app_mention',
  name: 'mention.oncall',
  async run(inv, ctx) {
    const rotations = await onDutyNow(ctx);
    if (rotations.length === 0) return textReply(t(inv.locale, 'mention.no_rotations'), 'in_channel');
    const lines = onDutyLines(rotations, inv.locale, ctx.config.timezone, ctx.clock.now()).join('\n');
    return textReply(t(inv.locale, 'mention.on_duty', { lines }), 'in_channel');
  },
};

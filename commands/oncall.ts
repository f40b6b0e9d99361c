// /oncall — who is on duty now. Rotation changes (override, cover, report) arrive with the
// rotations issue; until then they answer that they are not available yet.
import type { SlashCommand } from '../src/app/command.ts';
import { usageError, UserError } from '../src/app/errors.ts';
import { onDutyNow, upcoming } from '../src/services/oncall.ts';
import { oncallNowView, oncallUpcomingView } from '../src/views/oncall.ts';

const LATER = new Set(['override', 'cover', 'report']);

export const oncall: SlashCommand = {
  name: '/oncall',
  helpKey: 'oncall.help',
  async run(inv, ctx) {
    const [first, ...rest] = inv.text.trim().split(/\s+/).filter(Boolean);
    if (!first) return oncallNowView(onDutyNow(ctx), inv.locale, ctx.config.timezone);
    if (LATER.has(first)) throw new UserError('oncall.not_yet', { what: `/oncall ${first}` });
    if (rest.length > 0)
      throw usageError('/oncall', 'oncall.unknown_rotation', {
        rotation: inv.text.trim(),
        known: known(ctx),
      });
    const rotation = ctx.config.rotations.find((r) => r.id === first || r.name === first);
    if (!rotation)
      throw usageError('/oncall', 'oncall.unknown_rotation', { rotation: first, known: known(ctx) });
    return oncallUpcomingView(upcoming(ctx, rotation, 5), inv.locale, ctx.config.timezone);
  },
};

function known(ctx: { config: { rotations: readonly { id: string }[] } }): string {
  return ctx.config.rotations.map((r) => `\`${r.id}\``).join(', ') || '-';
}

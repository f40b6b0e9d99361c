// /oncall — who is on duty now. Rotation changes (override, cover, report) arrive with the
// rotations issue; until then they answer that they are not available yet.
import type { SlashCommand } from '../src/core/command.ts';
import { usageError, UserError } from '../src/core/errors.ts';
import { readCommandText } from '../src/domain/command-text.ts';
import { matchRotation } from '../src/domain/rotation.ts';
import { onDutyNow, upcoming } from '../src/services/oncall.ts';
import { oncallNowView, oncallUpcomingView } from '../src/views/oncall.ts';

const LATER = new Set(['override', 'cover', 'report']);

export const oncall: SlashCommand = {
  name: '/oncall',
  helpKey: 'oncall.help',
  async run(inv, ctx) {
    const text = readCommandText(inv.text);
    const first = text.words[0];
    if (!first) return oncallNowView(onDutyNow(ctx), inv.locale, ctx.config.timezone);
    if (LATER.has(first.keyword)) throw new UserError('oncall.not_yet', { what: `/oncall ${first.keyword}` });
    // The rest is a rotation's id or display name, which may hold spaces ("Primary on-call").
    const named = text.rest(0);
    const match = matchRotation(ctx.config.rotations, named);
    if (match.kind === 'ambiguous')
      throw usageError('/oncall', 'oncall.ambiguous_rotation', {
        rotation: named,
        candidates: match.candidates.map((r) => `\`${r.id}\` (${r.name})`).join(', '),
      });
    if (match.kind === 'unknown')
      throw usageError('/oncall', 'oncall.unknown_rotation', { rotation: named, known: known(ctx) });
    return oncallUpcomingView(upcoming(ctx, match.rotation, 5), inv.locale, ctx.config.timezone);
  },
};

function known(ctx: { config: { rotations: readonly { id: string }[] } }): string {
  return ctx.config.rotations.map((r) => `\`${r.id}\``).join(', ') || '-';
}

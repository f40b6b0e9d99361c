// The "Details" button on an /oncall reply: the next shifts of that rotation.
import type { ActionHandler } from '../src/core/handlers.ts';
import { UserError } from '../src/core/errors.ts';
import { upcoming } from '../src/services/rotations/resolver.ts';
import { oncallUpcomingView } from '../src/views/oncall.ts';

export const oncallDetails: ActionHandler = {
  actionId: 'oncall.details',
  async run(action, ctx) {
    const rot = ctx.config.rotations.find((r) => r.id === action.value);
    // A button from before the rotation was removed from toban.yml: name the ones there are now.
    const known = ctx.config.rotations.map((r) => `\`${r.id}\``).join(', ') || '-';
    if (!rot) throw new UserError('oncall.unknown_rotation', { rotation: action.value ?? '', known });
    return {
      reply: oncallUpcomingView(
        await upcoming(ctx, rot, 5),
        action.locale,
        ctx.config.timezone,
        ctx.clock.now(),
      ),
    };
  },
};

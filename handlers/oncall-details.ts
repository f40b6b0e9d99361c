// The "Details" button on an /oncall reply: the next shifts of that rotation.
import type { ActionHandler } from '../src/core/handlers.ts';
import { UserError } from '../src/core/errors.ts';
import { upcoming } from '../src/services/rotations/resolver.ts';
import { oncallUpcomingView } from '../src/views/oncall.ts';

export const oncallDetails: ActionHandler = {
  actionId: 'oncall.details',
  async run(action, ctx) {
    const rot = ctx.config.rotations.find((r) => r.id === action.value);
    if (!rot) throw new UserError('oncall.unknown_rotation', { rotation: action.value ?? '', known: '' });
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

// Resolve on an alert group's message: resolves it by hand (services/alerts/actions.ts); the message
// and its thread say who did. A press on a resolved group tells the presser so.
import type { ActionHandler } from '../src/core/handlers.ts';
import { groupIdOf, resolveGroup } from '../src/services/alerts/actions.ts';
import { unchangedReply } from '../src/views/alert-actions.ts';
import { ALERT_ACTIONS } from '../src/views/alert-group.ts';

export const alertResolve: ActionHandler = {
  actionId: ALERT_ACTIONS.resolve,
  async run(action, ctx) {
    const { group, changed } = await resolveGroup(ctx, groupIdOf(action.value), action.userId, action.key);
    if (changed) return undefined;
    return { reply: unchangedReply(group, action.locale, ctx.config.timezone, ctx.clock.now()) };
  },
};

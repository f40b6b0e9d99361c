// Acknowledge on an alert group's message: the presser acknowledges it once (services/alerts/actions.ts);
// the message and its thread say so. A press that changes nothing tells the presser why.
import type { ActionHandler } from '../src/core/handlers.ts';
import { acknowledgeGroup, groupIdOf } from '../src/services/alerts/actions.ts';
import { unchangedReply } from '../src/views/alert-actions.ts';
import { ALERT_ACTIONS } from '../src/views/alert-group.ts';

export const alertAcknowledge: ActionHandler = {
  actionId: ALERT_ACTIONS.acknowledge,
  async run(action, ctx) {
    const { group, changed } = await acknowledgeGroup(
      ctx,
      groupIdOf(action.value),
      action.userId,
      action.key,
    );
    if (changed) return undefined;
    return { reply: unchangedReply(group, action.locale, ctx.config.timezone, ctx.clock.now()) };
  },
};

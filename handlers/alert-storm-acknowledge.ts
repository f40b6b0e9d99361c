// Acknowledge all on a storm summary: the presser acknowledges every open group folded into the
// storm at once, and its escalation stops (services/alerts/storm-escalation.ts); the summary and its
// thread say so. A press that changes nothing tells the presser why.
import type { ActionHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { acknowledgeStorm, stormIdOf } from '../src/services/alerts/storm-escalation.ts';
import { STORM_ACTIONS } from '../src/views/alert-storm.ts';
import { textReply } from '../src/views/common.ts';
import { formatInstant } from '../src/views/time.ts';

export const alertStormAcknowledgeAll: ActionHandler = {
  actionId: STORM_ACTIONS.acknowledgeAll,
  async run(action, ctx) {
    const { storm, acknowledged } = await acknowledgeStorm(
      ctx,
      stormIdOf(action.value),
      action.userId,
      action.key,
    );
    if (acknowledged.length > 0) return undefined;
    if (storm.acknowledged_by && storm.acknowledged_at)
      return {
        reply: textReply(
          t(action.locale, 'alert.storm.nothing_to_acknowledge', {
            user: storm.acknowledged_by,
            at: formatInstant(storm.acknowledged_at, ctx.config.timezone, action.locale, ctx.clock.now()),
          }),
        ),
      };
    return { reply: textReply(t(action.locale, 'alert.storm.nothing_open')) };
  },
};

// The Take button on an investigation's post: the presser takes it, by the rules of :eyes:
// (services/investigations/take.ts). The post shows who has it now (updated through the outbox).
import type { ActionHandler } from '../src/core/handlers.ts';
import { explainUnchanged, investigationIdOf } from '../src/services/investigations/lookup.ts';
import { takeInvestigation } from '../src/services/investigations/take.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';

export const investigationTake: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.take,
  async run(action, ctx) {
    const id = investigationIdOf(action.value);
    if (!(await takeInvestigation(ctx, id, { userId: action.userId, key: action.key })))
      await explainUnchanged(ctx, id);
    return undefined;
  },
};

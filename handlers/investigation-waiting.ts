// The Waiting for customer and Resume buttons on an investigation's post: the reply clock pauses and
// runs again (services/investigations/waiting.ts). The post and its thread show the change.
import type { ActionHandler } from '../src/core/handlers.ts';
import { explainUnchanged, investigationIdOf } from '../src/services/investigations/lookup.ts';
import { resumeWaiting, startWaiting } from '../src/services/investigations/waiting.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';

export const investigationWait: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.wait,
  async run(action, ctx) {
    const id = investigationIdOf(action.value);
    if (!(await startWaiting(ctx, { id, by: action.userId, key: action.key })))
      await explainUnchanged(ctx, id);
    return undefined;
  },
};

export const investigationResume: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.resume,
  async run(action, ctx) {
    const id = investigationIdOf(action.value);
    if (!(await resumeWaiting(ctx, { id, by: action.userId, key: action.key })))
      await explainUnchanged(ctx, id);
    return undefined;
  },
};

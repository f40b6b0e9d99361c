// The Waiting for customer and Resume buttons on an investigation's post: the reply clock pauses and
// runs again (services/investigations/waiting.ts). The post and its thread show the change.
import type { ActionHandler } from '../src/core/handlers.ts';
import { investigationIdOf } from '../src/services/investigations/lookup.ts';
import { resumeWaiting, startWaiting } from '../src/services/investigations/waiting.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';

export const investigationWait: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.wait,
  async run(action, ctx) {
    await startWaiting(ctx, { id: investigationIdOf(action.value), by: action.userId, key: action.key });
    return undefined;
  },
};

export const investigationResume: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.resume,
  async run(action, ctx) {
    await resumeWaiting(ctx, { id: investigationIdOf(action.value), by: action.userId, key: action.key });
    return undefined;
  },
};

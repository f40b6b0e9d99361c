// Reopen on a resolved investigation's post: back to work, for its requester, resolver, assignee or
// an admin; anyone else is told who may (services/investigations/resolve.ts).
import type { ActionHandler } from '../src/core/handlers.ts';
import { investigationIdOf } from '../src/services/investigations/lookup.ts';
import { reopenInvestigation } from '../src/services/investigations/resolve.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';

export const investigationReopen: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.reopen,
  async run(action, ctx) {
    await reopenInvestigation(ctx, {
      id: investigationIdOf(action.value),
      by: action.userId,
      key: action.key,
    });
    return undefined;
  },
};

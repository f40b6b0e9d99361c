// Declare incident and File ticket on an alert group's message: their issues (incidents, tickets)
// have not landed, so the presser is told, in their language, that the feature is coming.
import type { ActionHandler } from '../src/core/handlers.ts';
import { comingSoonReply } from '../src/views/alert-actions.ts';
import { ALERT_ACTIONS } from '../src/views/alert-group.ts';

export const alertDeclareIncident: ActionHandler = {
  actionId: ALERT_ACTIONS.declareIncident,
  async run(action) {
    return { reply: comingSoonReply('incident', action.locale) };
  },
};

export const alertFileTicket: ActionHandler = {
  actionId: ALERT_ACTIONS.fileTicket,
  async run(action) {
    return { reply: comingSoonReply('ticket', action.locale) };
  },
};

// File ticket on an investigation's post. Filing GitHub tickets comes with the tickets feature (not
// here yet): until then the presser is told so, in their language, and pointed at the Resolve
// modal's Ticket field, where a ticket filed by hand is named.
import type { ActionHandler } from '../src/core/handlers.ts';
import { findInvestigation, investigationIdOf } from '../src/services/investigations/lookup.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';
import { ticketNotYetReply } from '../src/views/investigation-log.ts';

export const investigationTicket: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.ticket,
  async run(action, ctx) {
    const inv = await findInvestigation(ctx, investigationIdOf(action.value));
    return { reply: ticketNotYetReply(inv, action.locale) };
  },
};

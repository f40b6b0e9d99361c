// Reassign on an investigation's post: the button opens the Reassign modal (to whom, a note); its
// submission moves the request (services/investigations/reassign.ts says to which status).
import { UserError } from '../src/core/errors.ts';
import type { ActionHandler, ViewSubmissionHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { findInvestigation, investigationIdOf } from '../src/services/investigations/lookup.ts';
import { reassignInvestigation } from '../src/services/investigations/reassign.ts';
import { formatInvestigationId } from '../src/domain/investigation.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';
import {
  investigationOfMetadata,
  REASSIGN_CALLBACK_ID,
  REASSIGN_FIELDS,
  reassignModal,
} from '../src/views/investigation-modals.ts';

export const investigationReassignButton: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.reassign,
  async run(action, ctx) {
    const inv = await findInvestigation(ctx, investigationIdOf(action.value));
    if (inv.status === 'resolved')
      throw new UserError('investigation.error.reassign_resolved', { id: formatInvestigationId(inv.id) });
    return { view: { action: 'open', modal: reassignModal(inv, action.locale) } };
  },
};

export const investigationReassign: ViewSubmissionHandler = {
  callbackId: REASSIGN_CALLBACK_ID,
  async validate(submission) {
    const field = REASSIGN_FIELDS.assignee;
    if (!investigationOfMetadata(submission.privateMetadata))
      return { [field]: t(submission.locale, 'investigation.error.unknown_request') };
    if (!submission.values[field])
      return { [field]: t(submission.locale, 'investigation.error.assignee_missing') };
    return undefined;
  },
  async submit(submission, ctx) {
    const id = investigationOfMetadata(submission.privateMetadata);
    const to = submission.values[REASSIGN_FIELDS.assignee];
    if (!id || !to) return undefined; // validate() refused it: never submitted
    await reassignInvestigation(ctx, {
      id,
      by: submission.userId,
      to,
      note: submission.values[REASSIGN_FIELDS.note],
      key: submission.key,
    });
    // The post, its thread and the DM to the new assignee say it: no reply.
    return undefined;
  },
};

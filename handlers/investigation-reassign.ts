// Reassign on an investigation's post: the button opens the Reassign modal (to whom, a note); its
// submission moves the request (services/investigations/reassign.ts says to which status).
import { UserError } from '../src/core/errors.ts';
import type { ActionHandler, ViewSubmission, ViewSubmissionHandler } from '../src/core/handlers.ts';
import type { FieldErrors } from '../src/core/modal.ts';
import { t } from '../src/i18n/index.ts';
import { findInvestigation, investigationIdOf } from '../src/services/investigations/lookup.ts';
import { reassignInvestigation } from '../src/services/investigations/reassign.ts';
import { formatInvestigationId } from '../src/domain/investigation.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';
import {
  investigationOfMetadata,
  REASSIGN_CALLBACK_ID,
  REASSIGN_FIELDS,
  REASSIGN_NOTE_MAX,
  reassignModal,
} from '../src/views/investigation-modals.ts';

/** A Slack user id as users_select gives it (U… or, on Enterprise Grid, W…). */
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/**
 * The Reassign modal's field errors, or undefined: a request the metadata names, a person (a user
 * id of Slack's shape, not toban itself: a forged value such as "<!channel>" never reaches a post),
 * a note within REASSIGN_NOTE_MAX characters (Slack's max_length is only the client's).
 */
function reassignErrors(submission: ViewSubmission, botUserId: string | undefined): FieldErrors | undefined {
  const { locale, values } = submission;
  const field = REASSIGN_FIELDS.assignee;
  if (!investigationOfMetadata(submission.privateMetadata))
    return { [field]: t(locale, 'investigation.error.unknown_request') };
  const to = values[field];
  if (!to) return { [field]: t(locale, 'investigation.error.assignee_missing') };
  if (!USER_ID.test(to)) return { [field]: t(locale, 'investigation.error.assignee_invalid') };
  if (to === botUserId) return { [field]: t(locale, 'investigation.error.assignee_bot') };
  const length = [...(values[REASSIGN_FIELDS.note] ?? '')].length;
  if (length > REASSIGN_NOTE_MAX)
    return {
      [REASSIGN_FIELDS.note]: t(locale, 'investigation.error.note_too_long', {
        length,
        max: REASSIGN_NOTE_MAX,
      }),
    };
  return undefined;
}

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
  async validate(submission, ctx) {
    return reassignErrors(submission, ctx.botUserId);
  },
  async submit(submission, ctx) {
    const id = investigationOfMetadata(submission.privateMetadata);
    const to = submission.values[REASSIGN_FIELDS.assignee];
    // validate() refused it (a value a client forged): never submitted.
    if (!id || !to || reassignErrors(submission, ctx.botUserId)) return undefined;
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

// Resolve on an investigation's post: the button opens the Resolve modal (answer, cause, ticket);
// field errors come back under their field before the acknowledgement, nothing stored; a valid
// submission resolves it once (services/investigations/resolve.ts). Submitted after someone else
// resolved it, the person is told who did, with the answer they typed.
import type { ActionHandler, ViewSubmissionHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { findInvestigation, investigationIdOf } from '../src/services/investigations/lookup.ts';
import {
  checkResolution,
  resolutionErrors,
  resolveInvestigation,
} from '../src/services/investigations/resolve.ts';
import { RESOLVE_FIELDS } from '../src/domain/investigation-resolution.ts';
import { INVESTIGATION_ACTIONS } from '../src/views/investigation.ts';
import { notResolvedReply } from '../src/views/investigation-log.ts';
import {
  investigationOfMetadata,
  RESOLVE_CALLBACK_ID,
  resolveModal,
} from '../src/views/investigation-modals.ts';

export const investigationResolveButton: ActionHandler = {
  actionId: INVESTIGATION_ACTIONS.resolve,
  async run(action, ctx) {
    const inv = await findInvestigation(ctx, investigationIdOf(action.value));
    if (inv.status === 'resolved') return { reply: notResolvedReply(inv, undefined, action.locale) };
    return { view: { action: 'open', modal: resolveModal(inv, action.locale) } };
  },
};

export const investigationResolve: ViewSubmissionHandler = {
  callbackId: RESOLVE_CALLBACK_ID,
  async validate(submission) {
    if (!investigationOfMetadata(submission.privateMetadata))
      return { [RESOLVE_FIELDS.answer]: t(submission.locale, 'investigation.error.unknown_request') };
    return resolutionErrors(submission.values, submission.locale);
  },
  async submit(submission, ctx) {
    const id = investigationOfMetadata(submission.privateMetadata);
    const checked = checkResolution(submission.values);
    if (!id || !checked.ok) return undefined; // validate() refused it: never submitted
    const { investigation, resolved } = await resolveInvestigation(ctx, {
      id,
      by: submission.userId,
      resolution: checked.resolution,
      key: submission.key,
    });
    if (resolved) return undefined; // the post, its thread and the requester's DM say it
    return {
      reply: notResolvedReply(investigation, submission.values[RESOLVE_FIELDS.answer], submission.locale),
    };
  },
};

// Silence on an alert group's message opens the Silence modal (1h / 4h / 24h / custom, a comment);
// its submission silences the group (services/alerts/actions.ts: matchers from the group's labels,
// Alertmanager or a local mute), and the message shows it with Unsilence in place of Silence.
// Unsilence expires that silence. Both are for rotation members and admins.
import type { ActionHandler, ViewSubmissionHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { groupIdOf, groupToSilence, silenceGroup, unsilenceGroup } from '../src/services/alerts/actions.ts';
import {
  groupOfMetadata,
  silenceDurationOf,
  silenceModal,
  SILENCE_CALLBACK_ID,
  SILENCE_FIELDS,
  unchangedReply,
} from '../src/views/alert-actions.ts';
import { ALERT_ACTIONS } from '../src/views/alert-group.ts';
import { textReply } from '../src/views/common.ts';
import { formatInstant } from '../src/views/time.ts';

export const alertSilenceButton: ActionHandler = {
  actionId: ALERT_ACTIONS.silence,
  async run(action, ctx) {
    const group = await groupToSilence(ctx, groupIdOf(action.value), action.userId);
    if (group.state !== 'open')
      return { reply: unchangedReply(group, action.locale, ctx.config.timezone, ctx.clock.now()) };
    return { view: { action: 'open', modal: silenceModal(group, action.locale) } };
  },
};

export const alertSilence: ViewSubmissionHandler = {
  callbackId: SILENCE_CALLBACK_ID,
  async validate(submission) {
    if (!groupOfMetadata(submission.privateMetadata))
      return { [SILENCE_FIELDS.duration]: t(submission.locale, 'alerts.silence_modal.unknown_group') };
    const ms = silenceDurationOf(submission.values, submission.locale);
    return typeof ms === 'number' ? undefined : ms;
  },
  async submit(submission, ctx) {
    const id = groupOfMetadata(submission.privateMetadata);
    const durationMs = silenceDurationOf(submission.values, submission.locale);
    if (!id || typeof durationMs !== 'number') return undefined; // validate() refused it
    const comment = submission.values[SILENCE_FIELDS.comment];
    const { already } = await silenceGroup(ctx, {
      id,
      durationMs,
      by: submission.userId,
      ...(comment ? { comment } : {}),
      ...(submission.key ? { key: submission.key } : {}),
    });
    // Someone silenced it first (a concurrent submission, /alerts silence): no second silence; say whose.
    if (already)
      return {
        reply: textReply(
          t(submission.locale, 'alerts.already_silenced', {
            id,
            user: already.by,
            until: formatInstant(already.until, ctx.config.timezone, submission.locale, ctx.clock.now()),
          }),
        ),
      };
    return undefined; // the message and its thread say it
  },
};

export const alertUnsilence: ActionHandler = {
  actionId: ALERT_ACTIONS.unsilence,
  async run(action, ctx) {
    await unsilenceGroup(ctx, groupIdOf(action.value), action.userId, action.key);
    return undefined;
  },
};

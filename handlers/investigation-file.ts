// The filing modal submitted (callback investigation.file): checked before Slack is acknowledged
// (field errors keep the modal open, nothing stored), then filed once per submission.
import type { ViewSubmissionHandler } from '../src/core/handlers.ts';
import { sourceFromMetadata } from '../src/domain/investigation.ts';
import { filedUnder, fileInvestigation, similarTo } from '../src/services/investigations/file.ts';
import { checkFiling, filingErrors } from '../src/services/investigations/validate.ts';
import { FILING_CALLBACK_ID, filedReply, notFiledReply } from '../src/views/investigation.ts';

export const investigationFile: ViewSubmissionHandler = {
  callbackId: FILING_CALLBACK_ID,
  async validate(submission, ctx) {
    return filingErrors(ctx, submission.values, submission.locale);
  },
  async submit(submission, ctx) {
    const reply = (inv: Parameters<typeof filedReply>[0], similar: Parameters<typeof filedReply>[5]) => ({
      reply: filedReply(
        inv,
        submission.locale,
        ctx.config.timezone,
        ctx.config.channels.investigations,
        ctx.clock.now(),
        similar,
      ),
    });
    // Answered again (a crash or a drain after it was filed): the filing stands, whatever a check now says.
    const earlier = await filedUnder(ctx, submission.key);
    if (earlier) return reply(earlier, await similarTo(ctx, earlier));
    // Checked again: time has passed since validate() (a deadline of 17:59 may be past now). The
    // modal is closed: the answer says nothing was filed, every problem, and the question typed.
    const checked = checkFiling(ctx, submission.values);
    if (!checked.ok)
      return { reply: notFiledReply(checked.problems, submission.values.question, submission.locale) };
    const { investigation, similar } = await fileInvestigation(ctx, {
      requester: submission.userId,
      filing: checked.filing,
      source: sourceFromMetadata(submission.privateMetadata),
      key: submission.key,
      deadlineTimeGiven: Boolean(submission.values.deadline_time?.trim()),
    });
    return reply(investigation, similar);
  },
};

// The investigation reminder job: every minute, on every replica (the scheduler runs each firing
// once), writes the reminders due by then (services/investigations/reminders.ts): the DM before a
// reply deadline and the overdue notices at it. Each reminder is keyed by its request, stage and
// effective deadline in investigation_events, so a re-run after kill -9 or a second replica writes
// none twice; which reminder is due is read from the requests, not from the firing.
import type { AppContext } from '../core/context.ts';
import { sendDueReminders } from '../services/investigations/reminders.ts';
import type { Job } from './job.ts';

export const INVESTIGATION_REMINDER_JOB = 'investigation-reminders';

export function investigationReminderJob(ctx: AppContext): Job {
  return {
    name: INVESTIGATION_REMINDER_JOB,
    schedule: '* * * * *',
    // Each run writes everything due up to its clock, so the newest run covers any missed ones.
    catchUp: 'latest',
    maxLatenessMs: 10 * 60_000,
    timeoutMs: 50_000,
    async run() {
      const sent = await sendDueReminders(ctx, ctx.clock.now());
      if (sent.length > 0)
        ctx.log.info(
          { reminders: sent.map((r) => `INV-${r.id}:${r.stage}@${r.deadline.toISOString()}`) },
          'investigation reminders sent',
        );
    },
  };
}

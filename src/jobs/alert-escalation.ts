// The escalation job: every minute, on every replica (the scheduler runs each firing once), sends
// the escalation notifications due by then (services/alerts/escalation.ts). Each is keyed by its
// group and key in alert_notifications, so a re-run after kill -9 or a second replica sends none
// twice; what is due is read from the groups, not from the firing.
import type { AppContext } from '../core/context.ts';
import { escalateDue } from '../services/alerts/escalation.ts';
import type { Job } from './job.ts';

export const ALERT_ESCALATION_JOB = 'alert-escalation';

export function alertEscalationJob(ctx: AppContext): Job {
  return {
    name: ALERT_ESCALATION_JOB,
    schedule: '* * * * *',
    // Each run sends everything due up to its clock, so the newest run covers any missed ones.
    catchUp: 'latest',
    maxLatenessMs: 10 * 60_000,
    timeoutMs: 50_000,
    async run() {
      const sent = await escalateDue(ctx, ctx.clock.now());
      if (sent.length > 0)
        ctx.log.info(
          { notifications: sent.map((n) => `${n.groupId}:${n.key}:${n.reached.join(',')}`) },
          'alert escalations sent',
        );
    },
  };
}

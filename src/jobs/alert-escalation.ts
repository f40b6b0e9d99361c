// The escalation job: every minute, on every replica (the scheduler runs each firing once), sends
// the escalation notifications due by then, in one run (services/alerts/escalation.ts escalateRun):
// each storm's, one page for all the groups folded into it (services/alerts/storm-escalation.ts),
// then each group's with a message of its own; one DM per person paged and one <!here> per channel.
// Each is keyed in alert_notifications or alert_storm_notifications, so a re-run after kill -9 or a second replica sends none twice; what is
// due is read from the groups and storms, not from the firing.
import type { AppContext } from '../core/context.ts';
import { escalateAllDue } from '../services/alerts/storm-escalation.ts';
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
      // One run for both, so a person gets one DM per run and a channel one <!here> (escalateRun).
      const { groups: sent, storms } = await escalateAllDue(ctx, ctx.clock.now());
      if (sent.length > 0)
        ctx.log.info(
          { notifications: sent.map((n) => `${n.groupId}:${n.key}:${n.reached.join(',')}`) },
          'alert escalations sent',
        );
      if (storms.length > 0)
        ctx.log.info(
          {
            notifications: storms.map(
              (n) => `storm ${n.stormId}:e${n.epoch}:${n.key}:${n.reached.join(',')}`,
            ),
          },
          'alert storm escalations sent',
        );
    },
  };
}

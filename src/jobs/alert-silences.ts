// The silence job: every minute, on every replica (the scheduler runs each firing once, and each
// change is guarded in the database anyway), brings the groups' messages up to date with the
// silences (services/alerts/silence-groups.ts refreshSilenceGroups): the end of every silence whose
// time ran out is shown once on the groups that showed it (escalation resumes for them at the
// escalation job's next run), and silences in force are shown on the groups opened or re-fired
// since. Each run looks at the database's state, not at its firing, so the newest run covers any
// missed ones.
import type { AppContext } from '../core/context.ts';
import { refreshSilenceGroups } from '../services/alerts/silence-groups.ts';
import type { Job } from './job.ts';

export const ALERT_SILENCE_JOB = 'alert-silences';

export function alertSilenceJob(ctx: AppContext): Job {
  return {
    name: ALERT_SILENCE_JOB,
    schedule: '* * * * *',
    catchUp: 'latest',
    maxLatenessMs: 10 * 60_000,
    timeoutMs: 50_000,
    async run() {
      const { ended, silenced } = await refreshSilenceGroups(ctx, ctx.clock.now());
      if (ended.length > 0 || silenced.length > 0) ctx.log.info({ ended, silenced }, 'alert silences shown');
    },
  };
}

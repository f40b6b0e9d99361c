// The heartbeat check: every minute, on every replica (the scheduler runs each firing once), raises
// the alert of each late heartbeat not raised yet (services/alerts/heartbeats.ts). Which period is
// late is read from the beats, so a missed or repeated run raises nothing twice.
import type { AppContext } from '../core/context.ts';
import { checkHeartbeats } from '../services/alerts/heartbeats.ts';
import type { Job } from './job.ts';

export const HEARTBEAT_JOB = 'heartbeats';

export function heartbeatJob(ctx: AppContext): Job {
  return {
    name: HEARTBEAT_JOB,
    schedule: '* * * * *',
    catchUp: 'latest',
    maxLatenessMs: 10 * 60_000,
    timeoutMs: 50_000,
    async run() {
      const late = await checkHeartbeats(ctx, ctx.clock.now());
      if (late.length > 0) ctx.log.warn({ heartbeats: late }, 'heartbeats late: alerts raised');
    },
  };
}

// The storm job: every 5 seconds, brings each alert storm's summary up to date (one coalesced
// slack.update per storm that took groups since its last message, and the last one saying the storm
// is over: services/alerts/storm.ts). Each run looks at the database's state, not at its firing, so
// the newest run covers any missed ones.
import type { AppContext } from '../core/context.ts';
import { refreshStormSummaries } from '../services/alerts/storm.ts';
import type { Job } from './job.ts';

export const ALERT_STORM_JOB = 'alert-storm-summaries';

export function alertStormJob(ctx: AppContext): Job {
  return {
    name: ALERT_STORM_JOB,
    schedule: '*/5 * * * * *',
    catchUp: 'latest',
    maxLatenessMs: 60_000,
    timeoutMs: 30_000,
    async run() {
      await refreshStormSummaries(ctx, ctx.clock.now());
    },
  };
}

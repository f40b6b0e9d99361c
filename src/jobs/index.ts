// The bot's scheduled jobs: housekeeping and rotation handoffs. Reminders and escalations join here
// with their issues.
import type { AppContext } from '../core/context.ts';
import { pruneDelivered, pruneFirings } from '../db/housekeeping.ts';
import { pruneRequests } from '../db/slack-requests.ts';
import { alertEscalationJob } from './alert-escalation.ts';
import { alertSilenceJob } from './alert-silences.ts';
import { alertStormJob } from './alert-storms.ts';
import { handoffJob } from './handoffs.ts';
import { heartbeatJob } from './heartbeats.ts';
import { investigationReminderJob } from './investigation-reminders.ts';
import type { Scheduler } from './scheduler.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function registerJobs(scheduler: Scheduler, ctx: AppContext): void {
  scheduler.register({
    name: 'housekeeping',
    schedule: '17 4 * * *', // 04:17 business time: quiet, and off the hour other systems favour
    // Each run prunes everything older than its cut-off, so the newest run covers any missed ones,
    // and running it twice deletes nothing more.
    catchUp: 'latest',
    maxLatenessMs: 12 * HOUR_MS,
    timeoutMs: 10 * 60_000,
    async run(fireAt) {
      const outbox = await pruneDelivered(ctx.pool, new Date(fireAt.getTime() - 7 * DAY_MS));
      const firings = await pruneFirings(ctx.pool, new Date(fireAt.getTime() - 30 * DAY_MS));
      // Stored Slack requests: kept a week (far past the 5-minute replay window) for investigations.
      const slackRequests = await pruneRequests(ctx.pool, new Date(fireAt.getTime() - 7 * DAY_MS));
      ctx.log.info({ outbox, firings, slackRequests }, 'housekeeping');
    },
  });
  scheduler.register(handoffJob(ctx));
  scheduler.register(investigationReminderJob(ctx));
  scheduler.register(alertEscalationJob(ctx));
  scheduler.register(heartbeatJob(ctx));
  scheduler.register(alertStormJob(ctx));
  scheduler.register(alertSilenceJob(ctx));
}

// The bot's scheduled jobs. Rotation handoffs and reminders join here with their issues.
import type { AppContext } from '../app/context.ts';
import { pruneDelivered, pruneFirings } from '../db/housekeeping.ts';
import { pruneRequests } from '../db/slack-requests.ts';
import type { createScheduler } from './scheduler.ts';

const DAY_MS = 86_400_000;

export function registerJobs(scheduler: ReturnType<typeof createScheduler>, ctx: AppContext): void {
  scheduler.register({
    name: 'housekeeping',
    schedule: '17 4 * * *', // 04:17 business time: quiet, and off the hour other systems favour
    async run(fireAt) {
      const outbox = await pruneDelivered(ctx.pool, new Date(fireAt.getTime() - 7 * DAY_MS));
      const firings = await pruneFirings(ctx.pool, new Date(fireAt.getTime() - 30 * DAY_MS));
      ctx.log.info({ outbox, firings }, 'housekeeping');
      // Stored Slack requests: kept a week (far past the 5-minute replay window) for investigations.
      const slackRequests = await pruneRequests(ctx.pool, new Date(fireAt.getTime() - 7 * DAY_MS));
      ctx.log.info({ slackRequests }, 'housekeeping: slack requests');
    },
  });
}

// The handoff job: every minute, records the rotations' handoffs up to now and tells each once
// (announcement, DM, user group: services/rotations/handoffs.ts). Handoffs fall on whole minutes
// (wall-clock HH:MM in any zone, overrides typed to the minute), so a minute's tick meets each at
// its instant; an override set to begin "now" is told at the next tick.
import type { AppContext } from '../core/context.ts';
import { announceHandoffs } from '../services/rotations/handoffs.ts';
import type { Job } from './job.ts';

export const HANDOFF_JOB = 'rotation-handoffs';

export function handoffJob(ctx: AppContext): Job {
  return {
    name: HANDOFF_JOB,
    schedule: '* * * * *',
    // Each run records everything due up to its clock, so the newest run covers any missed ones;
    // which handoff is told is decided by the shift history, not by the firing.
    catchUp: 'latest',
    maxLatenessMs: 10 * 60_000,
    timeoutMs: 50_000,
    async run() {
      const recorded = await announceHandoffs(ctx, ctx.clock.now());
      if (recorded.length > 0)
        ctx.log.info(
          { handoffs: recorded.map((h) => `${h.rotationId}@${h.startsAt.toISOString()}:${h.userId}`) },
          'handoffs recorded',
        );
    },
  };
}

// What a person holds now (the App Home): the work that waits on them: the alert groups they
// acknowledged that still fire, and the investigations assigned to them, open, taken or waiting for
// the customer.
import type { AppContext } from '../core/context.ts';
import { openGroups } from '../db/alert-actions.ts';
import { heldInvestigations } from '../db/investigations.ts';
import { formatInvestigationId } from '../domain/investigation.ts';

/** One thing a person holds: an alert group they acknowledged, or an investigation. */
export type Held = HeldAlert | HeldInvestigation;

/** An alert group the person acknowledged that still fires. */
export interface HeldAlert {
  kind: 'alert';
  /** The group's id (a decimal string; `/alerts show <id>`). */
  id: string;
  title: string;
  acknowledgedAt: Date;
}

export type HeldInvestigation = {
  kind: 'investigation';
  /** INV-<id> */
  ref: string;
  customer: string;
  /** The reply deadline promised to the customer, moved by the earlier waits for the customer. */
  deadline: Date;
  status: 'open' | 'taken' | 'waiting';
  /** While waiting for the customer: since when (the deadline is paused). */
  waitingSince?: Date;
};

/**
 * What `userId` holds now: the alert groups they acknowledged (newest first: a firing alert comes
 * before a reply deadline), then the investigations, running ones soonest deadline first, then the
 * waiting ones; at most `limit` in all.
 */
export async function heldBy(ctx: Pick<AppContext, 'pool'>, userId: string, limit: number): Promise<Held[]> {
  const alerts = (await openGroups(ctx.pool, limit, userId)).rows.map((g): HeldAlert => ({
    kind: 'alert',
    id: g.id,
    title: g.title,
    acknowledgedAt: g.acknowledged_at ?? g.opened_at,
  }));
  const rows = await heldInvestigations(ctx.pool, userId, Math.max(0, limit - alerts.length));
  return [
    ...alerts,
    ...rows.map((r): HeldInvestigation => ({
      kind: 'investigation',
      ref: formatInvestigationId(r.id),
      customer: r.customer,
      deadline: r.deadline,
      status: r.status === 'taken' || r.status === 'waiting' ? r.status : 'open',
      ...(r.status === 'waiting' && r.waitingSince ? { waitingSince: r.waitingSince } : {}),
    })),
  ];
}

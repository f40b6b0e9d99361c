// What a person holds now (the App Home): the work that waits on them. Today that is the
// investigations assigned to them, open, taken or waiting for the customer. Acknowledged alerts join
// with issue 9 (alert acknowledgement): they become a second kind of Held, listed by heldBy beside
// the investigations.
import type { AppContext } from '../core/context.ts';
import { heldInvestigations } from '../db/investigations.ts';
import { formatInvestigationId } from '../domain/investigation.ts';

/** One thing a person holds. A union on `kind`: issue 9 adds `{ kind: 'alert', … }`. */
export type Held = {
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

/** What `userId` holds now: running ones soonest deadline first, then the waiting ones; at most `limit`. */
export async function heldBy(ctx: Pick<AppContext, 'pool'>, userId: string, limit: number): Promise<Held[]> {
  const rows = await heldInvestigations(ctx.pool, userId, limit);
  return rows.map((r) => ({
    kind: 'investigation',
    ref: formatInvestigationId(r.id),
    customer: r.customer,
    deadline: r.deadline,
    status: r.status === 'taken' || r.status === 'waiting' ? r.status : 'open',
    ...(r.status === 'waiting' && r.waitingSince ? { waitingSince: r.waitingSince } : {}),
  }));
}

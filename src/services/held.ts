// What a person holds now (the App Home): the work that waits on them. Today that is the
// investigations assigned to them, open or taken. Acknowledged alerts join with issue 9 (alert
// acknowledgement): they become a second kind of Held, listed by heldBy beside the investigations.
import type { AppContext } from '../core/context.ts';
import { heldInvestigations } from '../db/investigations.ts';
import { formatInvestigationId } from '../domain/investigation.ts';

/** One thing a person holds. A union on `kind`: issue 9 adds `{ kind: 'alert', … }`. */
export type Held = {
  kind: 'investigation';
  /** INV-<id> */
  ref: string;
  customer: string;
  /** The reply deadline promised to the customer. */
  deadline: Date;
  status: 'open' | 'taken';
};

/** What `userId` holds now, soonest deadline first, at most `limit`. */
export async function heldBy(ctx: Pick<AppContext, 'pool'>, userId: string, limit: number): Promise<Held[]> {
  const rows = await heldInvestigations(ctx.pool, userId, limit);
  return rows.map((r) => ({
    kind: 'investigation',
    ref: formatInvestigationId(r.id),
    customer: r.customer,
    deadline: r.deadline,
    status: r.status === 'taken' ? 'taken' : 'open',
  }));
}

// Waiting for the customer: the reply clock pauses (status 'waiting', waiting_since = now) until
// the request is resumed, when the time waited is added to waited_ms and the deadline moves by it
// (domain effectiveDeadline; the reminders use it). Anyone in the workspace may do either, recorded
// as who did it. Waiting needs a request open or taken; resuming one that waits. It comes back taken
// when it has an assignee, open when it has none.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import { endWaiting, setWaiting } from '../../db/investigation-lifecycle.ts';
import { insertEvent, lockInvestigation, type InvestigationRow } from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { formatInvestigationId } from '../../domain/investigation.ts';
import { enqueueChangeShown } from './thread.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport'>;

export interface LifecycleRequest {
  id: string;
  /** Who pressed (Slack user id). */
  by: string;
  /** The Slack request's key; absent in the console. */
  key?: string;
}

/**
 * Marks investigation `r.id` as waiting for the customer from now.
 * @returns it as it is now, or undefined when nothing changed (not open or taken, the same press again).
 * @throws UserError investigation.error.not_found.
 */
export async function startWaiting(ctx: Ctx, r: LifecycleRequest): Promise<InvestigationRow | undefined> {
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    if (!inv) throw new UserError('investigation.error.not_found', { id: formatInvestigationId(r.id) });
    if (inv.status !== 'open' && inv.status !== 'taken') return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'waiting',
      detail: { from: inv.status },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setWaiting(tx, inv.id, at);
    await enqueueChangeShown(tx, ctx, now, event, { what: 'waiting', by: r.by }, at);
    return now;
  });
}

/**
 * Ends the wait of investigation `r.id`: the time since waiting_since is added to waited_ms (the
 * event's detail records it as waitedMs), and it is taken again (open without an assignee).
 * @returns it as it is now, or undefined when nothing changed (not waiting, the same press again).
 * @throws UserError investigation.error.not_found.
 */
export async function resumeWaiting(ctx: Ctx, r: LifecycleRequest): Promise<InvestigationRow | undefined> {
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    if (!inv) throw new UserError('investigation.error.not_found', { id: formatInvestigationId(r.id) });
    if (inv.status !== 'waiting' || !inv.waitingSince) return undefined;
    const at = ctx.clock.now();
    const waitedMs = Math.max(0, at.getTime() - inv.waitingSince.getTime());
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'resumed',
      detail: { waitedMs },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await endWaiting(tx, inv.id, at, inv.assignee ? 'taken' : 'open');
    await enqueueChangeShown(tx, ctx, now, event, { what: 'resumed', by: r.by, waitedMs }, at);
    return now;
  });
}

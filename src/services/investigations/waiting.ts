// Waiting for the customer: the reply clock pauses (status 'waiting', waiting_since = now) until
// the request is resumed, when the time waited is added to waited_ms and the deadline moves by it
// (domain effectiveDeadline; the reminders use it). Anyone in the workspace may do either, recorded
// as who did it. Waiting needs a request open or taken; resuming one that waits. It comes back taken
// when it has an assignee, open when it has none.
import type { AppContext } from '../../core/context.ts';
import { PermissionError, UserError } from '../../core/errors.ts';
import { isAdminOrNo } from '../permissions.ts';
import { endWaiting, setWaiting, statusBeforeWaiting } from '../../db/investigation-lifecycle.ts';
import {
  insertEvent,
  investigationById,
  lockInvestigation,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { formatInvestigationId, moveDueAt } from '../../domain/investigation.ts';
import { businessCalendar } from '../business-calendar.ts';
import { enqueueChangeShown } from './thread.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>;

export interface LifecycleRequest {
  id: string;
  /** Who pressed (Slack user id). */
  by: string;
  /** The Slack request's key; absent in the console. */
  key?: string;
}

/**
 * Whether `userId` may pause or restart the request's reply clock: its requester (support talks to
 * the customer), its assignee, a member of the investigation duty rotation, or an admin. Pausing
 * hides a request from the overdue notices, so not everyone may. A directory that cannot say whether
 * they are an admin: no.
 */
async function mayPauseClock(ctx: Ctx, inv: InvestigationRow, userId: string): Promise<boolean> {
  if (userId === inv.requester || userId === inv.assignee) return true;
  const duty = ctx.config.rotations.find((r) => r.id === ctx.config.investigations?.rotation);
  if (duty?.members.includes(userId)) return true;
  return isAdminOrNo(ctx, userId, 'pausing the reply clock');
}

/** @throws PermissionError investigation.error.clock_refused unless mayPauseClock. */
async function checkMayPauseClock(ctx: Ctx, r: LifecycleRequest): Promise<void> {
  const inv = await investigationById(ctx.pool, r.id);
  if (inv && !(await mayPauseClock(ctx, inv, r.by)))
    throw new PermissionError('investigation.error.clock_refused', { id: formatInvestigationId(r.id) });
}

/**
 * Marks investigation `r.id` as waiting for the customer from now.
 * @returns it as it is now, or undefined when nothing changed (not open or taken, the same press again).
 * @throws UserError investigation.error.not_found.
 */
export async function startWaiting(ctx: Ctx, r: LifecycleRequest): Promise<InvestigationRow | undefined> {
  await checkMayPauseClock(ctx, r);
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
 * Ends the wait of investigation `r.id`: the business time since waiting_since is added to
 * waited_ms and moves the due instant on by as much (domain moveDueAt; the event's detail records
 * both), and it goes back to the status it had before the wait (taken only if someone had taken it
 * and still holds it; else open).
 * @returns it as it is now, or undefined when nothing changed (not waiting, the same press again).
 * @throws UserError investigation.error.not_found.
 */
export async function resumeWaiting(ctx: Ctx, r: LifecycleRequest): Promise<InvestigationRow | undefined> {
  await checkMayPauseClock(ctx, r);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    if (!inv) throw new UserError('investigation.error.not_found', { id: formatInvestigationId(r.id) });
    if (inv.status !== 'waiting' || !inv.waitingSince) return undefined;
    const at = ctx.clock.now();
    const moved = moveDueAt(inv.dueAt, inv.waitingSince, at, businessCalendar(ctx));
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'resumed',
      detail: { waitedMs: moved.waitedMs, dueAt: moved.dueAt.toISOString() },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const before = await statusBeforeWaiting(tx, inv.id);
    const status = before === 'taken' && inv.assignee ? 'taken' : 'open';
    const now = await endWaiting(tx, inv.id, at, status, moved);
    await enqueueChangeShown(
      tx,
      ctx,
      now,
      event,
      { what: 'resumed', by: r.by, waitedMs: moved.waitedMs },
      at,
    );
    return now;
  });
}

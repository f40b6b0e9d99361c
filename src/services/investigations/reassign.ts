// Reassigning an investigation (the Reassign modal): anyone in the workspace may hand it to anyone,
// recorded as who did it. The new assignee is DMed in their language with the note and the question.
//
// The status after a reassignment: to the presser themselves, 'taken' (as the Take button); to
// someone else, 'open' (assigned to them, not yet taken: they take it by Take or :eyes:, as the
// person on duty does a new request); a request waiting for the customer stays waiting (its clock
// stays paused) with its new assignee. A resolved request is not reassigned (reopen it first).
// Reassigning to whoever already has it, in the status it would get, changes nothing.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  insertEvent,
  lockInvestigation,
  setAssignment,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { formatInvestigationId, type Status } from '../../domain/investigation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { reassignedDm } from '../../views/investigation-log.ts';
import { localeOf } from './take.ts';
import { enqueueChangeShown } from './thread.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>;

export interface Reassignment {
  id: string;
  /** Who reassigns it (Slack user id). */
  by: string;
  /** To whom (Slack user id). */
  to: string;
  /** A note for the new assignee (trimmed; empty: none). */
  note?: string;
  /** The Slack request's key; absent in the console. */
  key?: string;
}

function statusAfter(current: Status, by: string, to: string): Status {
  if (current === 'waiting') return 'waiting';
  return to === by ? 'taken' : 'open';
}

/**
 * @returns the investigation as it is now, or undefined when nothing changed (already so, or the
 *   same request handled before).
 * @throws UserError investigation.error.not_found, investigation.error.reassign_resolved.
 */
export async function reassignInvestigation(
  ctx: Ctx,
  r: Reassignment,
): Promise<InvestigationRow | undefined> {
  // Before the transaction: the directory may ask Slack.
  const locale = await localeOf(ctx, r.to === r.by ? undefined : r.to);
  const note = r.note?.trim() || undefined;
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    const id = formatInvestigationId(r.id);
    if (!inv) throw new UserError('investigation.error.not_found', { id });
    if (inv.status === 'resolved') throw new UserError('investigation.error.reassign_resolved', { id });
    const status = statusAfter(inv.status, r.by, r.to);
    if (inv.assignee === r.to && inv.status === status) return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'reassigned',
      detail: { from: inv.assignee, to: r.to, ...(note ? { note } : {}) },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setAssignment(tx, inv.id, { assignee: r.to, status, at });
    await enqueueChangeShown(tx, ctx, now, event, { what: 'reassigned', by: r.by, to: r.to, note }, at);
    if (r.to !== r.by)
      await enqueue(
        tx,
        {
          kind: 'slack.dm',
          orderingKey: `dm:${r.to}`,
          idempotencyKey: `investigation:${inv.id}:reassigned:${event}`,
          payload: { user: r.to, ...reassignedDm(now, r.by, note, locale, ctx.config.timezone, at) },
        },
        ctx.outboxTransport,
      );
    return now;
  });
}

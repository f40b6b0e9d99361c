// Taking an investigation by reacting :eyes: to its post, and handing it back by removing the
// reaction. The reactor becomes the assignee (status 'taken'); when the person holding it removes
// their :eyes:, it goes back to whoever is on investigation duty at that moment (status 'open').
// Each change writes an event and updates the post, in one transaction keyed by the Slack event's
// key: the same event handled twice changes nothing the second time.
import type { AppContext } from '../../core/context.ts';
import {
  insertEvent,
  investigationPostedAt,
  lockInvestigation,
  setAssignment,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { dutyAssignee } from './duty.ts';
import { enqueuePostUpdate } from './posts.ts';

/** The reaction emoji that takes an investigation (Slack's name, without colons). */
export const TAKE_REACTION = 'eyes';

export interface ReactionOnPost {
  /** Who reacted (Slack user id). */
  userId: string;
  /** The message reacted to. */
  channelId: string;
  ts: string;
  /** The Slack event's key (event:<event_id>); absent in the console. */
  key?: string;
}

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport'>;

/** What a reaction did: the investigation as it is now, or undefined when it changed nothing. */
export type ReactionOutcome = InvestigationRow | undefined;

/**
 * The reactor takes the investigation posted at the reacted message. Nothing happens for a message
 * that is not an investigation's post, for the person who already holds it, or for a request that
 * is neither open nor taken (waiting for the customer, resolved). Someone else's hold is taken over:
 * the latest :eyes: says who works on it.
 */
export async function takeByReaction(ctx: Ctx, r: ReactionOnPost): Promise<ReactionOutcome> {
  const id = await investigationPostedAt(ctx.pool, r.channelId, r.ts);
  if (!id) return undefined;
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv || (inv.status !== 'open' && inv.status !== 'taken')) return undefined;
    if (inv.status === 'taken' && inv.assignee === r.userId) return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: id,
      at,
      actor: r.userId,
      what: 'taken',
      detail: { from: inv.assignee },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setAssignment(tx, id, { assignee: r.userId, status: 'taken', at });
    await enqueuePostUpdate(tx, ctx, now, event);
    return now;
  });
}

/**
 * The reactor removed their :eyes:: if they hold the investigation, it goes back to the person on
 * duty now (none: no assignee) and is open again. Anyone else's removal changes nothing.
 */
export async function releaseByReaction(ctx: Ctx, r: ReactionOnPost): Promise<ReactionOutcome> {
  const id = await investigationPostedAt(ctx.pool, r.channelId, r.ts);
  if (!id) return undefined;
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv || inv.status !== 'taken' || inv.assignee !== r.userId) return undefined;
    const at = ctx.clock.now();
    const assignee = dutyAssignee(ctx) ?? null;
    const event = await insertEvent(tx, {
      investigationId: id,
      at,
      actor: r.userId,
      what: 'released',
      detail: { to: assignee },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setAssignment(tx, id, { assignee, status: 'open', at });
    await enqueuePostUpdate(tx, ctx, now, event);
    return now;
  });
}

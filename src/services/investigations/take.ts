// Taking an investigation: by its Take button, or by reacting :eyes: to its post; handing it back by
// removing the reaction. The taker becomes the assignee (status 'taken'); when the person holding it
// removes their :eyes:, it goes back to whoever is on investigation duty at that moment (status
// 'open'). Both ways of taking share one core (takeLocked) and its rules. Each change writes an
// event, updates the post, writes a line in its thread and DMs the person it leaves or goes back
// to, in one transaction keyed by the Slack request's key: the same request handled twice changes
// nothing the second time.
//
// Slack may deliver reaction events out of order (a retried reaction_added arriving after the
// reaction_removed that followed it). An event carries Slack's event_ts; one older than the last
// take or release applied to the investigation, or than the latest :eyes: event of the same person
// on the post (even one that changed nothing), is stale and ignored, so nobody is left holding a
// request without :eyes: on its post.
import type { AppContext } from '../../core/context.ts';
import {
  insertEvent,
  investigationById,
  investigationPostedAt,
  lastAppliedReactionTs,
  lastReactionTsOf,
  lockInvestigation,
  recordReactionTs,
  setAssignment,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import { UserError } from '../../core/errors.ts';
import { formatInvestigationId, isEarlierEventTs, isEventTs } from '../../domain/investigation.ts';
import type { Locale } from '../../i18n/index.ts';
import { dutyAssignee } from './duty.ts';
import { enqueueHandoffDm } from './posts.ts';
import { enqueueChangeShown } from './thread.ts';

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
  /** Slack's event_ts of the reaction event ("1712710800.000200"); absent: no ordering check. */
  eventTs?: string;
}

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>;

/** What a reaction did: the investigation as it is now, or undefined when it changed nothing. */
export type ReactionOutcome = InvestigationRow | undefined;

/**
 * Whether the event is older than what was already applied to the investigation or seen from the
 * same person; when it is not, it is recorded as that person's latest. Under the investigation's lock.
 */
async function stale(tx: Queryable, id: string, r: ReactionOnPost): Promise<boolean> {
  if (!isEventTs(r.eventTs)) return false;
  const applied = await lastAppliedReactionTs(tx, id);
  const own = await lastReactionTsOf(tx, id, r.userId);
  if (isEarlierEventTs(r.eventTs, applied) || isEarlierEventTs(r.eventTs, own)) return true;
  await recordReactionTs(tx, id, r.userId, r.eventTs);
  return false;
}

/** A person's language for a DM: theirs when the directory knows it (it may ask Slack), else the team's. */
export async function localeOf(ctx: Ctx, userId: string | null | undefined): Promise<Locale> {
  if (!userId) return ctx.config.locale;
  try {
    return (await ctx.directory.userLocale(userId)) ?? ctx.config.locale;
  } catch (err) {
    ctx.log.warn({ err, user: userId }, 'investigation hand-off: locale not found, the team’s used');
    return ctx.config.locale;
  }
}

/** Who takes an investigation, and the request that asks for it. */
export interface Taker {
  userId: string;
  /** The Slack request's key (event:<id>, or the button press's); absent in the console. */
  key?: string;
  /** Slack's event_ts of a reaction event: recorded in the event, for the ordering check. */
  eventTs?: string;
}

/** Whoever holds `id` now, if it would move to `userId`, and their language (looked up before the lock). */
async function toldOnTake(ctx: Ctx, id: string, userId: string): Promise<{ user?: string; locale: Locale }> {
  const before = await investigationById(ctx.pool, id);
  const user = before?.assignee && before.assignee !== userId ? before.assignee : undefined;
  return { user, locale: await localeOf(ctx, user) };
}

/**
 * The core of taking, under the investigation's lock: nothing happens for the person who already
 * holds it or for a request that is neither open nor taken (waiting for the customer, resolved), nor
 * for a request key already used. Someone else's hold is taken over (the latest taker says who
 * works on it) and they are told by DM; so is the person on duty it was assigned to.
 */
async function takeLocked(
  tx: Queryable,
  ctx: Ctx,
  inv: InvestigationRow,
  taker: Taker,
  told: { user?: string; locale: Locale },
): Promise<ReactionOutcome> {
  if (inv.status !== 'open' && inv.status !== 'taken') return undefined;
  if (inv.status === 'taken' && inv.assignee === taker.userId) return undefined;
  const at = ctx.clock.now();
  const event = await insertEvent(tx, {
    investigationId: inv.id,
    at,
    actor: taker.userId,
    what: 'taken',
    detail: { from: inv.assignee, ...(isEventTs(taker.eventTs) ? { eventTs: taker.eventTs } : {}) },
    requestKey: taker.key,
  });
  if (!event) return undefined;
  const now = await setAssignment(tx, inv.id, { assignee: taker.userId, status: 'taken', at });
  await enqueueChangeShown(tx, ctx, now, event, { what: 'taken', by: taker.userId, from: inv.assignee }, at);
  if (inv.assignee && inv.assignee !== taker.userId)
    await enqueueHandoffDm(tx, ctx, {
      inv: now,
      to: inv.assignee,
      kind: 'taken_over',
      by: taker.userId,
      // Another event moved it since the look-up: the team's language.
      locale: inv.assignee === told.user ? told.locale : ctx.config.locale,
      cause: taker.key ?? `event:${event}`,
    });
  return now;
}

/**
 * The reactor takes the investigation posted at the reacted message (takeLocked's rules). Nothing
 * happens for a message that is not an investigation's post, or for a stale event.
 */
export async function takeByReaction(ctx: Ctx, r: ReactionOnPost): Promise<ReactionOutcome> {
  const id = await investigationPostedAt(ctx.pool, r.channelId, r.ts);
  if (!id) return undefined;
  // Before the transaction: the directory may ask Slack. Whoever holds it now is told if it moves.
  const told = await toldOnTake(ctx, id, r.userId);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv || (await stale(tx, id, r))) return undefined;
    return takeLocked(tx, ctx, inv, { userId: r.userId, key: r.key, eventTs: r.eventTs }, told);
  });
}

/**
 * The Take button: the presser takes investigation `id`, by the same rules as :eyes: (takeLocked).
 * @returns the investigation as it is now, or undefined when nothing changed (already theirs, not
 *   open or taken, the same press handled before).
 * @throws UserError investigation.error.not_found for an id that names no investigation.
 */
export async function takeInvestigation(
  ctx: Ctx,
  id: string,
  taker: Omit<Taker, 'eventTs'>,
): Promise<ReactionOutcome> {
  const told = await toldOnTake(ctx, id, taker.userId);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv) throw new UserError('investigation.error.not_found', { id: formatInvestigationId(id) });
    return takeLocked(tx, ctx, inv, taker, told);
  });
}

/**
 * The reactor removed their :eyes:: if they hold the investigation, it goes back to the person on
 * duty now (none: no assignee), is open again, and that person is told by DM. Anyone else's removal,
 * and a stale event, changes nothing.
 */
export async function releaseByReaction(ctx: Ctx, r: ReactionOnPost): Promise<ReactionOutcome> {
  const id = await investigationPostedAt(ctx.pool, r.channelId, r.ts);
  if (!id) return undefined;
  // Before the transaction: the person on duty now and their language (the directory may ask Slack).
  const assignee = (await dutyAssignee(ctx)) ?? null;
  const locale = await localeOf(ctx, assignee === r.userId ? null : assignee);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv || (await stale(tx, id, r))) return undefined;
    if (inv.status !== 'taken' || inv.assignee !== r.userId) return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: id,
      at,
      actor: r.userId,
      what: 'released',
      detail: { to: assignee, ...(isEventTs(r.eventTs) ? { eventTs: r.eventTs } : {}) },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setAssignment(tx, id, { assignee, status: 'open', at });
    await enqueueChangeShown(tx, ctx, now, event, { what: 'released', by: r.userId, to: assignee }, at);
    // The holder on duty themselves gets nothing: they just handed it back.
    if (assignee && assignee !== r.userId)
      await enqueueHandoffDm(tx, ctx, {
        inv: now,
        to: assignee,
        kind: 'handed_back',
        by: r.userId,
        locale,
        cause: r.key ?? `event:${event}`,
      });
    return now;
  });
}

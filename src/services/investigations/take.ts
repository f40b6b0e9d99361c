// Taking an investigation by reacting :eyes: to its post, and handing it back by removing the
// reaction. The reactor becomes the assignee (status 'taken'); when the person holding it removes
// their :eyes:, it goes back to whoever is on investigation duty at that moment (status 'open').
// Each change writes an event, updates the post and DMs the person it leaves or goes back to, in one
// transaction keyed by the Slack event's key: the same event handled twice changes nothing the
// second time.
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
import { isEarlierEventTs, isEventTs } from '../../domain/investigation.ts';
import type { Locale } from '../../i18n/index.ts';
import { dutyAssignee } from './duty.ts';
import { enqueueHandoffDm, enqueuePostUpdate } from './posts.ts';

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
async function localeOf(ctx: Ctx, userId: string | null | undefined): Promise<Locale> {
  if (!userId) return ctx.config.locale;
  try {
    return (await ctx.directory.userLocale(userId)) ?? ctx.config.locale;
  } catch (err) {
    ctx.log.warn({ err, user: userId }, 'investigation hand-off: locale not found, the team’s used');
    return ctx.config.locale;
  }
}

/**
 * The reactor takes the investigation posted at the reacted message. Nothing happens for a message
 * that is not an investigation's post, for the person who already holds it, for a request that is
 * neither open nor taken (waiting for the customer, resolved), or for a stale event. Someone else's
 * hold is taken over (the latest :eyes: says who works on it) and they are told by DM; so is the
 * person on duty it was assigned to.
 */
export async function takeByReaction(ctx: Ctx, r: ReactionOnPost): Promise<ReactionOutcome> {
  const id = await investigationPostedAt(ctx.pool, r.channelId, r.ts);
  if (!id) return undefined;
  // Before the transaction: the directory may ask Slack. Whoever holds it now is told if it moves.
  const before = await investigationById(ctx.pool, id);
  const told = before?.assignee !== r.userId ? before?.assignee : undefined;
  const toldLocale = await localeOf(ctx, told);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv || (await stale(tx, id, r))) return undefined;
    if (inv.status !== 'open' && inv.status !== 'taken') return undefined;
    if (inv.status === 'taken' && inv.assignee === r.userId) return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: id,
      at,
      actor: r.userId,
      what: 'taken',
      detail: { from: inv.assignee, ...(isEventTs(r.eventTs) ? { eventTs: r.eventTs } : {}) },
      requestKey: r.key,
    });
    if (!event) return undefined;
    const now = await setAssignment(tx, id, { assignee: r.userId, status: 'taken', at });
    await enqueuePostUpdate(tx, ctx, now, event);
    if (inv.assignee && inv.assignee !== r.userId)
      await enqueueHandoffDm(tx, ctx, {
        inv: now,
        to: inv.assignee,
        kind: 'taken_over',
        by: r.userId,
        // Another event moved it since the look-up: the team's language.
        locale: inv.assignee === told ? toldLocale : ctx.config.locale,
        cause: r.key ?? `event:${event}`,
      });
    return now;
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
    await enqueuePostUpdate(tx, ctx, now, event);
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

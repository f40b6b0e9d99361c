// Handoffs told (issue 10, item 4): the handoff job calls announceHandoffs every minute; each handoff
// recordHandoffs writes (a schedule handoff, an override's or cover's beginning or end) gets, in the
// transaction that records it, so across replicas exactly once:
//   - an announcement in the rotation's channel (else the alerts channel): who hands over to whom,
//     and what is open at that moment (alert groups, investigations);
//   - a DM to the person coming on duty, in their language: their shift and what is open;
//   - the rotation's Slack user group set to the people on duty in every rotation that shares it,
//     overrides included, when that set differs from the one toban last set (rotation_usergroups).
// Outbox rows are keyed by the handoff (rotation and instant), so nothing is written twice even if
// the same handoff were handed to this code again.
//
// Not announced: the first handoff toban records in a rotation (the shift already under way when the
// history began: nobody hands over), a handoff found after it already ended (the job was down; its
// successor is announced), and one where the person does not change (a rotation of one). The user
// group is kept in step in every case.
import { openGroups as openAlertGroupRows } from '../../db/alert-actions.ts';
import type { AppContext } from '../../core/context.ts';
import { openInvestigations } from '../../db/investigations.ts';
import type { Queryable, Tx } from '../../db/pool.ts';
import { lastHandoff, type RecordedHandoff } from '../../db/rotations.ts';
import { lockUsergroup, setUsergroupMembers, usergroupMembers } from '../../db/usergroups.ts';
import type { Rotation } from '../../domain/rotation.ts';
import type { Locale } from '../../i18n/index.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import {
  handoffAnnouncement,
  handoffDm,
  type HandoffModel,
  type OpenAlertGroup,
  type OpenWork,
} from '../../views/handoff.ts';
import { within } from '../budget.ts';
import { coverChannel } from './cover.ts';
import { recordHandoffs } from './history.ts';
import { dutyShifts } from './resolver.ts';

type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool' | 'directory' | 'outboxTransport' | 'log'>;

/** Investigations listed in an announcement or DM; the rest are counted ("…and 4 more"). */
export const OPEN_LISTED = 10;
/**
 * How long the DM waits for the incoming person's language (users.info, cached 5 minutes) while the
 * rotation's lock is held; past it the team's language is used. Same budget as the filing form's.
 */
export const LOCALE_BUDGET_MS = 300;

/** The idempotency key of a handoff's writes: the rotation and the instant are its unique key. */
export const handoffKey = (h: Pick<RecordedHandoff, 'rotationId' | 'startsAt'>): string =>
  `handoff:${h.rotationId}:${h.startsAt.toISOString()}`;

/**
 * Records every handoff up to `upTo` (see recordHandoffs) and tells each as the module comment says.
 * Returns the handoffs this call recorded. Safe to call on every replica at once and again.
 */
export async function announceHandoffs(ctx: Ctx, upTo: Date): Promise<RecordedHandoff[]> {
  return recordHandoffs(ctx, upTo, (tx, h) => onHandoff(tx, ctx, h, upTo));
}

async function onHandoff(tx: Tx, ctx: Ctx, h: RecordedHandoff, upTo: Date): Promise<void> {
  const rot = ctx.config.rotations.find((r) => r.id === h.rotationId);
  if (!rot) return;
  const previous = await lastHandoff(tx, h.rotationId, new Date(h.startsAt.getTime() - 1));
  const current = h.endsAt.getTime() > upTo.getTime();
  if (previous && previous.userId !== h.userId && current) {
    const model: HandoffModel = {
      rotationName: rot.name,
      timeZone: rot.timeZone,
      outgoing: previous.userId,
      incoming: h.userId,
      reason: h.reason,
      scheduledUserId: h.scheduledUserId,
      start: h.startsAt,
      end: h.endsAt,
      open: await openWork(tx),
    };
    await tell(tx, ctx, rot, h, model);
  }
  if (rot.userGroup) await syncUsergroup(tx, ctx, rot.userGroup, upTo, h);
}

async function tell(tx: Tx, ctx: Ctx, rot: Rotation, h: RecordedHandoff, model: HandoffModel): Promise<void> {
  const now = ctx.clock.now();
  const zone = ctx.config.timezone;
  const channel = coverChannel(ctx, rot);
  await enqueue(
    tx,
    {
      kind: 'slack.post',
      orderingKey: `channel:${channel}`,
      idempotencyKey: `${handoffKey(h)}:announce`,
      payload: { channel, ...handoffAnnouncement(model, ctx.config.locale, zone, now) },
    },
    ctx.outboxTransport,
  );
  const locale = await localeWithin(ctx, h.userId);
  await enqueue(
    tx,
    {
      kind: 'slack.dm',
      orderingKey: `dm:${h.userId}`,
      idempotencyKey: `${handoffKey(h)}:dm`,
      payload: { user: h.userId, ...handoffDm(model, locale, zone, now) },
    },
    ctx.outboxTransport,
  );
}

/** What is open now: alert groups still firing and investigations open or taken. */
async function openWork(db: Queryable): Promise<OpenWork> {
  const investigations = await openInvestigations(db, OPEN_LISTED);
  return {
    alertGroups: await openAlertGroups(db),
    investigations: investigations.items,
    investigationsTotal: investigations.total,
  };
}

/**
 * The alert groups still open (firing, shown in Slack with a message or in a storm summary), newest
 * first, at most OPEN_LISTED, for the handoff to list (views/handoff.ts).
 */
export async function openAlertGroups(db: Queryable): Promise<OpenAlertGroup[]> {
  const { rows } = await openAlertGroupRows(db, OPEN_LISTED);
  return rows.map((g) => ({ id: g.id, title: g.title }));
}

/** The person's language if the directory answers within LOCALE_BUDGET_MS, else the team's. */
async function localeWithin(ctx: Ctx, userId: string): Promise<Locale> {
  const lookup = ctx.directory.userLocale(userId).catch((err: unknown) => {
    ctx.log.warn({ err, user: userId }, 'handoff DM: locale not found, the team’s used');
    return undefined;
  });
  return (await within(lookup, LOCALE_BUDGET_MS)) ?? ctx.config.locale;
}

/**
 * Sets `group` to the people on duty at `at` in every rotation that shares it (overrides laid over;
 * business hours ignored: a Slack user group cannot be emptied, and paging it off hours should still
 * reach someone), when that set differs from the one toban last set. Under the group's lock, so two
 * rotations handing off at once on two replicas set it once. Nobody on duty anywhere: left as is.
 */
async function syncUsergroup(tx: Tx, ctx: Ctx, group: string, at: Date, h: RecordedHandoff): Promise<void> {
  await lockUsergroup(tx, group);
  const users = new Set<string>();
  for (const rot of ctx.config.rotations.filter((r) => r.userGroup === group)) {
    const [shift] = await dutyShifts(ctx, rot, at, 0, tx);
    if (shift) users.add(shift.userId);
  }
  const sorted = [...users].sort();
  if (sorted.length === 0) return;
  const before = await usergroupMembers(tx, group);
  if (before && before.length === sorted.length && before.every((u, i) => u === sorted[i])) return;
  await setUsergroupMembers(tx, group, sorted, at);
  await enqueue(
    tx,
    {
      kind: 'slack.usergroup',
      // One group's updates are delivered in the order they were decided.
      orderingKey: `usergroup:${group}`,
      idempotencyKey: `${handoffKey(h)}:usergroup:${group}`,
      payload: { usergroup: group, users: sorted },
    },
    ctx.outboxTransport,
  );
}

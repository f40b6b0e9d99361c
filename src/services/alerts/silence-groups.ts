// Silences shown where the on-call engineer looks (issue 9 items 5, 7 and 10): every silence toban
// makes (its group's Silence button, `/alerts silence`, Alertmanager-backed or a local mute) is shown
// on the messages of the open groups it matches, and its end (Unsilence, or its time running out)
// too. A group shows one silence: the one in force that ends last (alert_groups.silence_id,
// silenced_until, silenced_by). While it shows one, escalation leaves it alone
// (services/alerts/escalation.ts).
//
// Which groups a silence matches: its matchers against the group's labels (those of the alert that
// opened it; for an Alertmanager group they include the grouping labels every alert of it shares).
// An Alertmanager silence is shown only on groups from Alertmanager: it keeps Alertmanager from
// sending, and does nothing to alerts from other sources; a local mute holds every source.
//
// When it is shown:
// - at once, in the transaction that makes the silence (silences.ts silence) or ends it by hand
//   (unsilence): at most FANOUT_CAP groups, oldest first;
// - by the silence job every minute (refreshSilenceGroups): groups opened or re-fired since (the
//   intake does not look silences up: it stays at its 5 statements per webhook), the groups past
//   the cap, and the end of every silence whose time ran out, once (alert_silences.ended_shown_at);
// - by the escalation job, before it would page a group that a silence in force matches: the group
//   takes the silence instead, so a local mute never lets a page through, even for a group opened a
//   second before the job's run.
// Each change of a group is one UPDATE whose WHERE holds the rule and moves its `version` once, with
// one slack.update keyed by that version and one line in its thread, in the same transaction: two
// replicas, a re-run or a retried click write nothing twice.
import { showGroupChange } from './group-change.ts';
import type { AppContext } from '../../core/context.ts';
import type { ActionGroupRow } from '../../db/alert-actions.ts';
import {
  dropFromHiddenGroups,
  endedUnshown,
  giveUpSilence,
  groupsHolding,
  groupsShowingNoSilenceUntil,
  markEndShown,
  takeSilence,
  type GroupLabels,
} from '../../db/alert-silence-groups.ts';
import { silencesInForce, type SilenceRow } from '../../db/alert-silences.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import type { AlertSource } from '../../domain/alert.ts';
import { formatMatchers, isActive, matchesAll } from '../../domain/silence.ts';
import type { AlertGroupChange } from '../../views/alert-group.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport'>;

/**
 * At most this many group messages one silence updates at once (each is a slack.update and a thread
 * line, and Slack takes about one write per second per channel); the silence job shows it on the
 * rest, FANOUT_CAP a minute, and /alerts lists them all at once.
 */
export const FANOUT_CAP = 200;

/** Whether silence `s` holds a group from `source` with `labels` (see the module comment). */
export function silenceHolds(
  s: Pick<SilenceRow, 'backend' | 'matchers'>,
  g: { source: AlertSource; labels: Readonly<Record<string, string>> },
): boolean {
  if (s.backend === 'alertmanager' && g.source !== 'alertmanager') return false;
  return matchesAll(s.matchers, g.labels);
}

/** Of `silences` (in force), the one that holds `g` and ends last; undefined when none does. */
export function silenceFor(
  silences: readonly SilenceRow[],
  g: { source: AlertSource; labels: Readonly<Record<string, string>> },
): SilenceRow | undefined {
  let best: SilenceRow | undefined;
  for (const s of silences) if (silenceHolds(s, g) && (!best || s.endsAt > best.endsAt)) best = s;
  return best;
}

/** The silences in force at `now`, for silenceFor. */
export async function silencesNow(db: Queryable, now: Date): Promise<SilenceRow[]> {
  return (await silencesInForce(db, now)).filter((s) => isActive(s, now));
}

const silencedChange = (s: SilenceRow, at: Date): AlertGroupChange => ({
  kind: 'silenced',
  by: s.createdBy,
  at,
  until: s.endsAt,
  matchers: formatMatchers(s.matchers),
});

/**
 * Inside the caller's transaction: group `id` takes silence `s` unless it shows one lasting as long;
 * its message and thread say so. @returns the group when it changed.
 */
export async function showSilenceOnGroup(
  tx: Queryable,
  ctx: Ctx,
  id: string,
  s: SilenceRow,
  now: Date,
  skipLocked = false,
): Promise<ActionGroupRow | undefined> {
  const g = await takeSilence(tx, id, s, skipLocked);
  if (g) await showGroupChange(tx, ctx, g, silencedChange(s, now), now);
  return g;
}

/** How far a silence was shown: the groups updated now, and how many open groups it matched. */
export interface FanOut {
  shown: string[];
  matched: number;
}

/**
 * Inside the caller's transaction (the one making silence `s`): shows `s` on the open groups it
 * holds that show no silence lasting as long, the oldest FANOUT_CAP of them (the job does the rest).
 * `skipLocked`: skip the groups another transaction holds (takeSilence), for a caller holding a
 * group's row lock already.
 */
export async function showSilenceOnGroups(
  tx: Queryable,
  ctx: Ctx,
  s: SilenceRow,
  now: Date,
  skipLocked = false,
): Promise<FanOut> {
  const candidates = await groupsShowingNoSilenceUntil(
    tx,
    s.endsAt,
    s.backend === 'alertmanager' ? 'alertmanager' : undefined,
  );
  const matching = candidates.filter((g) => silenceHolds(s, g));
  const shown: string[] = [];
  for (const g of matching.slice(0, FANOUT_CAP))
    if (await showSilenceOnGroup(tx, ctx, g.id, s, now, skipLocked)) shown.push(g.id);
  return { shown, matched: matching.length };
}

/**
 * Inside the caller's transaction: the groups holding silence `s` (ended: unsilenced by `by`, or its
 * time ran out when `by` is undefined) give it up, the oldest FANOUT_CAP of them; each takes the
 * next silence in force that holds it, if any. Their messages show it, their threads say
 * "unsilenced by" or "the silence ended", and when a next silence holds the group, that it is still
 * silenced, by whom, until when. Once no group holds it, its end is recorded as shown.
 * @returns the groups changed, and whether every one was done.
 */
export async function showSilenceEnded(
  tx: Queryable,
  ctx: Ctx,
  s: SilenceRow,
  now: Date,
  by?: string,
): Promise<{ groups: string[]; done: boolean }> {
  await dropFromHiddenGroups(tx, s.id);
  const holding = await groupsHolding(tx, s.id, FANOUT_CAP + 1);
  const others = holding.length > 0 ? (await silencesNow(tx, now)).filter((o) => o.id !== s.id) : [];
  const groups: string[] = [];
  for (const h of holding.slice(0, FANOUT_CAP)) {
    const next = silenceFor(others, h);
    const g = await giveUpSilence(tx, h.id, s.id, next);
    if (!g) continue;
    groups.push(g.id);
    // The thread line must not say a bare "Unsilenced" under a message that still shows a silence.
    const still = next ? { still: { by: next.createdBy, until: next.endsAt } } : {};
    const change: AlertGroupChange = by
      ? { kind: 'unsilenced', by, at: now, ...still }
      : { kind: 'silence_ended', at: now, matchers: formatMatchers(s.matchers), ...still };
    await showGroupChange(tx, ctx, g, change, now);
  }
  const done = holding.length <= FANOUT_CAP;
  if (done) await markEndShown(tx, s.id, now);
  return { groups, done };
}

/** What one run of the silence job did. */
export interface SilenceRefresh {
  /** Ids of the silences whose end was shown (on every group, or on the next FANOUT_CAP). */
  ended: string[];
  /** Ids of the groups that took a silence in force. */
  silenced: string[];
}

/** Silences whose end one transaction shows (each on up to FANOUT_CAP groups). */
const ENDED_BATCH = 20;

/**
 * The silence job's run (jobs/alert-silences.ts), safe on every replica at once: shows the end of
 * the silences that ended and whose end is not shown yet, then shows the silences in force on the
 * open groups they hold that show none lasting as long (FANOUT_CAP groups a run).
 * @throws database errors (the job's run retries; what was committed stays shown).
 */
export async function refreshSilenceGroups(ctx: Ctx, now: Date): Promise<SilenceRefresh> {
  const ended: string[] = [];
  for (;;) {
    const batch = await withTransaction(ctx.pool, async (tx) => {
      const silences = await endedUnshown(tx, now, ENDED_BATCH);
      for (const s of silences) await showSilenceEnded(tx, ctx, s, now, s.expiredBy ?? undefined);
      return silences.map((s) => s.id);
    });
    ended.push(...batch);
    if (batch.length < ENDED_BATCH) break;
  }
  const silenced = await withTransaction(ctx.pool, async (tx) => {
    const inForce = await silencesNow(tx, now);
    if (inForce.length === 0) return [];
    const latest = new Date(Math.max(...inForce.map((s) => s.endsAt.getTime())));
    const out: string[] = [];
    for (const g of await groupsShowingNoSilenceUntil(tx, latest)) {
      if (out.length >= FANOUT_CAP) break;
      const s = takes(inForce, g);
      if (s && (await showSilenceOnGroup(tx, ctx, g.id, s, now))) out.push(g.id);
    }
    return out;
  });
  return { ended, silenced };
}

/** The silence group `g` should take: the one holding it that ends last, if later than what it shows. */
function takes(inForce: readonly SilenceRow[], g: GroupLabels): SilenceRow | undefined {
  const s = silenceFor(inForce, g);
  return s && (!g.silenced_until || g.silenced_until < s.endsAt) ? s : undefined;
}

// Escalation, running (issue 9 item 6; the rule: domain/escalation.ts). Every minute the job asks,
// for each open group with a message and a policy, what its policy owes now (dueNotifications) and
// sends it: each notification is one alert_notifications row (unique per group and key) written in
// the transaction of its outbox rows, under the group's row lock, so however many replicas or
// re-runs (after kill -9) try, each is sent once. A run is one transaction over its groups (locked
// in id order, SKIP LOCKED), so that a person paged by many groups at once (a burst spread over
// channels, below any one channel's storm threshold) gets ONE DM per run, a digest of them, instead
// of one DM per group queued at ~1 DM/s ahead of the next real page. Per target:
//   rotation:<id>  the person on duty at that moment (rotations/resolver.ts) is mentioned in the
//                  group's thread and DMed (the run's one DM); nobody on duty is said in the thread
//   user:<U…>      mentioned in the thread and DMed (the run's one DM)
//   usergroup:<S…> mentioned in the thread (<!subteam^S…>)
//   channel        <!here> in the thread
// A step also sets the group's escalation_step (its 1-based index in the policy) and updates the
// group's message (a version on, slack.update keyed by it). A reminder of an acknowledged group
// mentions and DMs who acknowledged it. Acknowledge and resolve stop the steps (the domain's rule).
// A silenced group (silenced_until after now) is left alone while the silence lasts. A group that a
// silence in force holds but does not show yet (opened or re-fired since the silence was made: the
// intake does not look silences up) takes it here instead of being paged (silence-groups.ts), so a
// local mute never lets a page through. When the silence ends, escalation resumes where the clock
// is: the steps that fell due meanwhile are sent at once, as the domain owes them (an unacknowledged
// alert that outlived its mute is as urgent as it would have been), not from step 1 again.
import type { AppContext } from '../../core/context.ts';
import { createHash } from 'node:crypto';
import {
  bumpGroup,
  escalationCandidates,
  groupsForEscalation,
  recordNotification,
  type SentNotifications,
} from '../../db/alert-escalation.ts';
import { groupOf, type GroupRow } from '../../db/alerts.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import {
  dueNotifications,
  type DueNotification,
  type EscalationPolicy,
  type EscalationState,
  type EscalationTarget,
} from '../../domain/escalation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import type { OutboxItem } from '../../outbox/kinds/index.ts';
import {
  acknowledgedReminder,
  escalationDm,
  escalationDigestDm,
  escalationThreadLine,
  type PageLine,
  type ReachedTarget,
} from '../../views/alert-escalation.ts';
import type { Locale } from '../../i18n/index.ts';
import { alertGroupMessage, alertGroupRef } from '../../views/alert-group.ts';
import { onDutyAt } from '../rotations/resolver.ts';
import { within } from '../budget.ts';
import { showSilenceOnGroup, silenceFor, silencesNow } from './silence-groups.ts';
import type { SilenceRow } from '../../db/alert-silences.ts';

type Ctx = Pick<AppContext, 'config' | 'pool' | 'clock' | 'log' | 'outboxTransport'>;

/** How long a run waits for a person's language (the directory may call Slack) before the team's. */
const LOCALE_BUDGET_MS = 300;

/** At most this many groups are looked at per run (oldest first); the rest wait a minute. */
const BATCH = 500;

/** One notification sent by this call. */
export interface SentNotification {
  groupId: string;
  key: string;
  /** Whom it reached: user ids, `<!subteam^S…>`, `<!here>`, or `nobody:<rotation>`. */
  reached: string[];
}

function stateOf(
  g: GroupRow,
  sentSteps: EscalationState['notified'],
  reminderKeys: readonly string[],
): EscalationState {
  const ack = g.acknowledged_at?.getTime();
  // The highest reminder number sent since this acknowledge (its keys carry the acknowledge's instant).
  const reminders = reminderKeys
    .map((k) => /^remind:(\d+):(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => !!m && Number(m[1]) === ack)
    .map((m) => Number(m[2]));
  return {
    openedAt: g.opened_at,
    acknowledgedAt: g.acknowledged_at,
    resolvedAt: g.state === 'resolved' ? (g.resolved_at ?? g.last_seen) : null,
    notified: sentSteps,
    remindersSent: Math.max(0, ...reminders),
  };
}

/** Whom `target` reaches at `now` (a rotation: who is on duty then, rotations/resolver.ts). */
export async function reach(ctx: Ctx, target: EscalationTarget, now: Date): Promise<ReachedTarget> {
  switch (target.kind) {
    case 'rotation': {
      const duty = await onDutyAt(ctx, target.rotationId, now);
      const user = duty?.shift?.userId;
      return user ? { kind: 'user', userId: user } : { kind: 'nobody', rotation: target.rotationId };
    }
    case 'user':
      return { kind: 'user', userId: target.userId };
    case 'usergroup':
      return { kind: 'usergroup', usergroupId: target.usergroupId };
    case 'channel':
      return { kind: 'channel' };
  }
}

/** A reached target as the job's log and SentNotification say it. */
export const reachedText = (r: ReachedTarget): string =>
  r.kind === 'user'
    ? r.userId
    : r.kind === 'usergroup'
      ? `<!subteam^${r.usergroupId}>`
      : r.kind === 'channel'
        ? '<!here>'
        : `nobody:${r.rotation}`;

/**
 * Sends every escalation notification due at `now` and not yet sent (see the module comment), in
 * one transaction for the whole run: the due groups (at most BATCH) are locked in id order, each
 * group's notifications are recorded with its thread line and message update, and each person paged
 * gets ONE DM for the run: the single group's DM as before, or one digest of all the groups that
 * page them (views/alert-escalation.ts escalationDigestDm), keyed by the notifications it carries.
 * So a burst over many channels costs a person one DM a minute, not one per group: a new page
 * never queues behind hundreds of old ones at Slack's ~1 DM/s per person.
 * @returns those this call sent.
 * @throws database errors (the job's run retries; nothing of a failed run was committed).
 */
export async function escalateDue(
  ctx: Ctx & Pick<AppContext, 'directory'>,
  now: Date,
): Promise<SentNotification[]> {
  const policies = new Map(ctx.config.escalation_policies.map((p) => [p.id, p]));
  const candidates = await escalationCandidates(ctx.pool, BATCH);
  if (candidates.length === 0) return [];
  // Read once per run, not per group (nor per webhook).
  const silences = await silencesNow(ctx.pool, now);
  // A first look without locks: only the groups with something to do now are locked, so the
  // intake and the other replica wait on few rows (most open groups owe nothing this minute).
  const looked = (await groupsForEscalation(ctx.pool, candidates, { lock: false })).flatMap(
    ({ group, sent }) => {
      const w = work(group, sent, policies, silences, now);
      return w ? [{ group, w }] : [];
    },
  );
  if (looked.length === 0) return [];
  const duty = new Map<string, Promise<ReachedTarget>>();
  const reachOnce = (target: EscalationTarget): Promise<ReachedTarget> => {
    // One on-duty lookup per target and run, not per group (the run has one `now`).
    const key = JSON.stringify(target);
    if (!duty.has(key)) duty.set(key, reach(ctx, target, now));
    return duty.get(key)!;
  };
  // The people this run should page, and their languages, looked up before any row is locked.
  const people = new Set<string>();
  for (const { group, w } of looked)
    for (const due of w.kind === 'due' ? w.due : [])
      if (due.kind === 'reminder') {
        if (group.acknowledged_by) people.add(group.acknowledged_by);
      } else
        for (const r of await Promise.all(due.notify.map(reachOnce)))
          if (r.kind === 'user') people.add(r.userId);
  const locales = new Map(
    await Promise.all([...people].map(async (u) => [u, await localeOf(ctx, u)] as const)),
  );
  return withTransaction(ctx.pool, async (tx) => {
    const sent: SentNotification[] = [];
    const pages = new Map<string, Page[]>();
    const busy = looked.map(({ group }) => group.id);
    for (const { group, sent: done } of await groupsForEscalation(tx, busy, { lock: true })) {
      const w = work(group, done, policies, silences, now);
      if (w?.kind === 'silence') await showSilenceOnGroup(tx, ctx, group.id, w.silence, now);
      else if (w) sent.push(...(await escalateGroup(ctx, tx, group, w.due, reachOnce, now, pages)));
    }
    for (const [user, list] of pages) {
      const locale = locales.get(user) ?? ctx.config.locale;
      await enqueue(tx, pageDm(user, list, locale), ctx.outboxTransport);
    }
    return sent;
  });
}

/** A person's language for their page DM: theirs if the directory answers in time, else the team's. */
async function localeOf(ctx: Pick<AppContext, 'config' | 'directory'>, user: string): Promise<Locale> {
  return (await within(ctx.directory.userLocale(user), LOCALE_BUDGET_MS)) ?? ctx.config.locale;
}

/**
 * What group `g` needs at `now`: a silence in force that it does not show yet (silence-groups.ts),
 * the notifications due (domain/escalation.ts), or nothing (undefined).
 */
function work(
  g: GroupRow,
  done: SentNotifications,
  policies: ReadonlyMap<string, EscalationPolicy>,
  silences: readonly SilenceRow[],
  now: Date,
): { kind: 'silence'; silence: SilenceRow } | { kind: 'due'; due: DueNotification[] } | undefined {
  const policy = g.policy ? policies.get(g.policy) : undefined;
  if (!policy || g.state !== 'open' || !g.has_message) return undefined;
  if (g.silenced_until && g.silenced_until > now) return undefined;
  const silence = silenceFor(silences, g);
  if (silence) return { kind: 'silence', silence };
  const plan = dueNotifications(policy, stateOf(g, done.steps, done.reminderKeys), now);
  return plan.due.length > 0 ? { kind: 'due', due: plan.due } : undefined;
}

/** A person's page by one notification of one group, before the run folds a person's pages. */
interface Page {
  user: string;
  line: PageLine;
  /** The notification's key (alert_notifications.key) within its group. */
  key: string;
  /** The DM this page alone would be, in `locale` (when it is the person's only page of the run). */
  single: (locale: Locale) => OutboxItem;
}

/**
 * The run's one DM to `user`: the single page's own DM (its key as before this rule), or the
 * digest, keyed by the notifications it carries (each recorded once, so a re-run that records none
 * writes no digest, and the key guards the row besides).
 */
function pageDm(user: string, pages: readonly Page[], locale: Locale): OutboxItem {
  if (pages.length === 1) return pages[0]!.single(locale);
  const carried = pages.map((p) => `${p.line.groupId}:${p.key}`).sort();
  const digest = createHash('sha256').update(carried.join('\n')).digest('hex').slice(0, 32);
  return {
    kind: 'slack.dm',
    orderingKey: `dm:${user}`,
    idempotencyKey: `alert-pages:${user}:${digest}`,
    payload: {
      user,
      ...escalationDigestDm(
        pages.map((p) => p.line),
        locale,
      ),
    },
  };
}

/** Sends group `g`'s due notifications (under its lock); its pages go to `pages`. */
async function escalateGroup(
  ctx: Ctx,
  tx: Queryable,
  g: GroupRow,
  due: readonly DueNotification[],
  reachOnce: (target: EscalationTarget) => Promise<ReachedTarget>,
  now: Date,
  pages: Map<string, Page[]>,
): Promise<SentNotification[]> {
  const out: SentNotification[] = [];
  let step: number | undefined;
  for (const d of due) {
    const sent = await send(ctx, tx, g, d, reachOnce, now, pages);
    if (!sent) continue;
    out.push(sent);
    if (d.kind === 'step') step = d.step + 1;
  }
  if (out.length > 0 && step !== undefined) {
    // The message shows the step reached: one version on, one update keyed by it.
    const bumped = await bumpGroup(tx, g.id, step);
    const ref = alertGroupRef(g.id);
    await enqueue(
      tx,
      {
        kind: 'slack.update',
        orderingKey: ref,
        idempotencyKey: `${ref}:v${bumped.version}`,
        payload: {
          ref,
          ...alertGroupMessage(groupOf(bumped), ctx.config.locale, ctx.config.timezone, now),
        },
      },
      ctx.outboxTransport,
    );
  }
  return out;
}

/**
 * Records one notification and writes its thread line; the people it pages are added to `pages`
 * (their DMs are written once per person at the end of the run). Undefined when it was already
 * recorded (nothing written).
 */
async function send(
  ctx: Ctx,
  tx: Queryable,
  g: GroupRow,
  due: DueNotification,
  reachOnce: (target: EscalationTarget) => Promise<ReachedTarget>,
  now: Date,
  pages: Map<string, Page[]>,
): Promise<SentNotification | undefined> {
  const locale = ctx.config.locale;
  const ref = alertGroupRef(g.id);
  const base = `${ref}:${due.key}`;
  const items: OutboxItem[] = [];
  const paged: Page[] = [];
  const line = { groupId: g.id, title: g.title, channel: g.channel, severity: g.severity };
  let reached: ReachedTarget[];
  if (due.kind === 'step') {
    reached = [];
    for (const target of due.notify) reached.push(await reachOnce(target));
    items.push({
      kind: 'slack.post',
      orderingKey: ref,
      idempotencyKey: `${base}:thread`,
      payload: { channel: g.channel, threadRef: ref, ...escalationThreadLine(due.step + 1, reached, locale) },
    });
    const people = [...new Set(reached.flatMap((r) => (r.kind === 'user' ? [r.userId] : [])))];
    for (const user of people)
      paged.push({
        user,
        line: { ...line, what: { kind: 'step', step: due.step + 1 } },
        key: due.key,
        single: (l) => ({
          kind: 'slack.dm',
          orderingKey: `dm:${user}`,
          idempotencyKey: `${base}:dm:${user}`,
          payload: { user, ...escalationDm(due.step + 1, g.title, g.channel, l) },
        }),
      });
  } else {
    const user = g.acknowledged_by;
    reached = user ? [{ kind: 'user', userId: user }] : [];
    if (user) {
      const m = acknowledgedReminder(user, g.title, g.channel, locale);
      items.push({
        kind: 'slack.post',
        orderingKey: ref,
        idempotencyKey: `${base}:thread`,
        payload: { channel: g.channel, threadRef: ref, ...m.thread },
      });
      paged.push({
        user,
        line: { ...line, what: { kind: 'reminder' } },
        key: due.key,
        single: (l) => ({
          kind: 'slack.dm',
          orderingKey: `dm:${user}`,
          idempotencyKey: `${base}:dm:${user}`,
          payload: { user, ...acknowledgedReminder(user, g.title, g.channel, l).dm },
        }),
      });
    }
  }
  const recorded = await recordNotification(tx, {
    groupId: g.id,
    key: due.key,
    kind: due.kind,
    ...(due.kind === 'step' ? { round: due.round, step: due.step } : { reminder: due.n }),
    dueAt: due.dueAt,
    sentAt: now,
    targets: reached.map((r) => ({ ...r })),
  });
  if (!recorded) return undefined;
  for (const item of items) await enqueue(tx, item, ctx.outboxTransport);
  for (const page of paged) pages.set(page.user, [...(pages.get(page.user) ?? []), page]);
  return { groupId: g.id, key: due.key, reached: reached.map(reachedText) };
}

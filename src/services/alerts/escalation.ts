// Escalation, running (issue 9 item 6; the rule: domain/escalation.ts). Every minute the job asks,
// for each open group with a message and a policy, what its policy owes now (dueNotifications) and
// sends it: each notification is one alert_notifications row (unique per group and key) written in
// the transaction of its outbox rows, under the group's row lock, so however many replicas or
// re-runs (after kill -9) try, each is sent once. A run is one transaction over its storms
// (storm-escalation.ts, the job's run) and its groups (locked in id order, SKIP LOCKED, after the
// storms), so that a person paged by many groups and storms at once (a burst spread over channels)
// gets ONE DM per run, a digest of them, instead of one DM per group or storm queued at ~1 DM/s
// ahead of the next real page. Per target:
//   rotation:<id>  the person on duty at that moment (rotations/resolver.ts) is mentioned in the
//                  group's thread and DMed (the run's one DM); nobody on duty is said in the thread
//   user:<U…>      mentioned in the thread and DMed (the run's one DM)
//   usergroup:<S…> mentioned in the thread (<!subteam^S…>)
//   channel        <!here> in the thread, once per channel and run (the run's first line there)
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
  lockEscalationRun,
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

/** One step sent for a storm by a run (services/alerts/storm-escalation.ts). */
export interface SentStormNotification {
  stormId: string;
  epoch: number;
  key: string;
  policy: string;
  /** Whom it reached: user ids, `<!subteam^S…>`, `<!here>`, or `nobody:<rotation>`. */
  reached: string[];
}

/** What one run shares between its storms and its groups while it writes. */
export interface RunState {
  /** Whom a target reaches at the run's `now`: one on-duty lookup per target and run. */
  reachOnce: (target: EscalationTarget) => Promise<ReachedTarget>;
  /** Adds a person's page to the run's one DM to them. */
  addPage: (page: Page) => void;
  /**
   * The run's `<!here>` in `channel`: undefined for the first line of the run that asks (it
   * carries the `<!here>`, and `where` names it for the later ones), else the `where` of that first
   * line (the later line says "@here above" instead of pinging the channel again).
   */
  hereOnce: (channel: string, where: string) => string | undefined;
}

/** How a run escalates storms (services/alerts/storm-escalation.ts stormPart): injected, no cycle. */
export interface StormPart {
  /**
   * A first look without locks: the storms with a step due at `now`, oldest first, and the
   * targets of those steps (to look the people's languages up before any lock is taken).
   */
  look(
    ctx: Ctx,
    policies: ReadonlyMap<string, EscalationPolicy>,
    now: Date,
  ): Promise<{ id: string; targets: EscalationTarget[] }[]>;
  /** Under the run's transaction: locks storm `id` and sends its steps due (pages to `run`). */
  escalate(
    ctx: Ctx,
    tx: Queryable,
    id: string,
    policies: ReadonlyMap<string, EscalationPolicy>,
    now: Date,
    run: RunState,
  ): Promise<SentStormNotification[]>;
}

/**
 * Sends every escalation notification of alert groups due at `now` and not yet sent (see the
 * module comment); storms are left to escalateRun with a storm part.
 * @returns those this call sent.
 * @throws database errors (the job's run retries; nothing of a failed run was committed).
 */
export async function escalateDue(
  ctx: Ctx & Pick<AppContext, 'directory'>,
  now: Date,
): Promise<SentNotification[]> {
  return (await escalateRun(ctx, now, { groups: true })).groups;
}

/**
 * One escalation run at `now`, in ONE transaction: the storms' steps due (when `storms` is given,
 * services/alerts/storm-escalation.ts) and the groups' notifications due (when `groups`). Lock
 * order, as everywhere (db/alert-storm-escalation.ts): the run's advisory lock, then the storms'
 * rows (id order, SKIP LOCKED), then the groups' rows (id order, SKIP LOCKED): the run waits for no
 * row, so it cannot deadlock with a delivery or Acknowledge all; what it skips waits a minute. Each notification is recorded
 * (alert_notifications, alert_storm_notifications) in this transaction with its outbox rows, and
 * each person paged gets ONE DM for the run: the single page's own DM, or one digest of every group
 * and storm that pages them (views/alert-escalation.ts escalationDigestDm). A channel gets at most
 * one `<!here>` per run: the first thread line (storms first, then groups by id) carries it.
 * So a burst costs a person one DM a minute, not one per group or storm, and a channel one ping.
 * @returns those this call sent, groups' and storms'.
 * @throws database errors (the job's run retries; nothing of a failed run was committed).
 */
export async function escalateRun(
  ctx: Ctx & Pick<AppContext, 'directory'>,
  now: Date,
  opts: { groups: boolean; storms?: StormPart },
): Promise<{ groups: SentNotification[]; storms: SentStormNotification[] }> {
  const policies = new Map(ctx.config.escalation_policies.map((p) => [p.id, p]));
  const storms = opts.storms && policies.size > 0 ? await opts.storms.look(ctx, policies, now) : [];
  const candidates = opts.groups ? await escalationCandidates(ctx.pool, BATCH) : [];
  // Read once per run, not per group (nor per webhook).
  const silences = candidates.length > 0 ? await silencesNow(ctx.pool, now) : [];
  // A first look without locks: only the groups with something to do now are locked, so the
  // intake and the other replica wait on few rows (most open groups owe nothing this minute).
  const looked = (await groupsForEscalation(ctx.pool, candidates, { lock: false })).flatMap(
    ({ group, sent }) => {
      const w = work(group, sent, policies, silences, now);
      return w ? [{ group, w }] : [];
    },
  );
  if (looked.length === 0 && storms.length === 0) return { groups: [], storms: [] };
  const duty = new Map<string, Promise<ReachedTarget>>();
  const reachOnce = (target: EscalationTarget): Promise<ReachedTarget> => {
    // One on-duty lookup per target and run, not per group (the run has one `now`).
    const key = JSON.stringify(target);
    if (!duty.has(key)) duty.set(key, reach(ctx, target, now));
    return duty.get(key)!;
  };
  // The people this run should page, and their languages, looked up before any row is locked.
  const people = new Set<string>();
  const targets = storms.flatMap((s) => s.targets);
  for (const { group, w } of looked)
    for (const due of w.kind === 'due' ? w.due : [])
      if (due.kind === 'reminder') {
        if (group.acknowledged_by) people.add(group.acknowledged_by);
      } else targets.push(...due.notify);
  for (const r of await Promise.all(targets.map(reachOnce))) if (r.kind === 'user') people.add(r.userId);
  const locales = new Map(
    await Promise.all([...people].map(async (u) => [u, await localeOf(ctx, u)] as const)),
  );
  return withTransaction(ctx.pool, async (tx) => {
    await lockEscalationRun(tx);
    const sent: SentNotification[] = [];
    const stormsSent: SentStormNotification[] = [];
    const pages = new Map<string, Page[]>();
    const here = new Map<string, string>();
    const run: RunState = {
      reachOnce,
      addPage: (page) => pages.set(page.user, [...(pages.get(page.user) ?? []), page]),
      hereOnce: (channel, where) => {
        const first = here.get(channel);
        if (first === undefined) here.set(channel, where);
        return first;
      },
    };
    // Storms first: a storm's row is locked before any group's (the lock order above).
    for (const { id } of storms)
      stormsSent.push(...(await opts.storms!.escalate(ctx, tx, id, policies, now, run)));
    const busy = looked.map(({ group }) => group.id);
    for (const { group, sent: done } of await groupsForEscalation(tx, busy, { lock: true })) {
      const w = work(group, done, policies, silences, now);
      if (w?.kind === 'silence') await showSilenceOnGroup(tx, ctx, group.id, w.silence, now);
      else if (w) sent.push(...(await escalateGroup(ctx, tx, group, w.due, run, now)));
    }
    for (const [user, list] of pages) {
      const locale = locales.get(user) ?? ctx.config.locale;
      await enqueue(tx, pageDm(user, list, locale), ctx.outboxTransport);
    }
    return { groups: sent, storms: stormsSent };
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

/** A person's page by one notification of a group or one step of a storm, before the run folds a person's pages. */
export interface Page {
  user: string;
  line: PageLine;
  /** What it carries, unique in the database: `<group id>:<key>` or `storm:<id>:e<epoch>:<key>`. */
  carried: string;
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
  const carried = pages.map((p) => p.carried).sort();
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

/** Sends group `g`'s due notifications (under its lock); its pages go to the run. */
async function escalateGroup(
  ctx: Ctx,
  tx: Queryable,
  g: GroupRow,
  due: readonly DueNotification[],
  run: RunState,
  now: Date,
): Promise<SentNotification[]> {
  const out: SentNotification[] = [];
  let step: number | undefined;
  for (const d of due) {
    const sent = await send(ctx, tx, g, d, run, now);
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
 * Records one notification and writes its thread line; the people it pages are added to the run
 * (their DMs are written once per person at the end of the run). Undefined when it was already
 * recorded (nothing written, and the channel's `<!here>` of the run left to a line that is written).
 */
async function send(
  ctx: Ctx,
  tx: Queryable,
  g: GroupRow,
  due: DueNotification,
  run: RunState,
  now: Date,
): Promise<SentNotification | undefined> {
  const locale = ctx.config.locale;
  const ref = alertGroupRef(g.id);
  const base = `${ref}:${due.key}`;
  const user = due.kind === 'reminder' ? g.acknowledged_by : null;
  const reached: ReachedTarget[] = [];
  if (due.kind === 'step') for (const target of due.notify) reached.push(await run.reachOnce(target));
  else if (user) reached.push({ kind: 'user', userId: user });
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
  const line = { groupId: g.id, title: g.title, channel: g.channel, severity: g.severity };
  const carried = `${g.id}:${due.key}`;
  if (due.kind === 'step') {
    const hereWith = reached.some((r) => r.kind === 'channel')
      ? run.hereOnce(g.channel, `#${g.id}`)
      : undefined;
    await enqueue(
      tx,
      {
        kind: 'slack.post',
        orderingKey: ref,
        idempotencyKey: `${base}:thread`,
        payload: {
          channel: g.channel,
          threadRef: ref,
          ...escalationThreadLine(due.step + 1, reached, locale, hereWith),
        },
      },
      ctx.outboxTransport,
    );
    const people = [...new Set(reached.flatMap((r) => (r.kind === 'user' ? [r.userId] : [])))];
    for (const u of people)
      run.addPage({
        user: u,
        line: { ...line, what: { kind: 'step', step: due.step + 1 } },
        carried,
        single: (l) => ({
          kind: 'slack.dm',
          orderingKey: `dm:${u}`,
          idempotencyKey: `${base}:dm:${u}`,
          payload: { user: u, ...escalationDm(due.step + 1, g.title, g.channel, l) },
        }),
      });
  } else if (user) {
    const m = acknowledgedReminder(user, g.title, g.channel, locale);
    await enqueue(
      tx,
      {
        kind: 'slack.post',
        orderingKey: ref,
        idempotencyKey: `${base}:thread`,
        payload: { channel: g.channel, threadRef: ref, ...m.thread },
      },
      ctx.outboxTransport,
    );
    run.addPage({
      user,
      line: { ...line, what: { kind: 'reminder' } },
      carried,
      single: (l) => ({
        kind: 'slack.dm',
        orderingKey: `dm:${user}`,
        idempotencyKey: `${base}:dm:${user}`,
        payload: { user, ...acknowledgedReminder(user, g.title, g.channel, l).dm },
      }),
    });
  }
  return { groupId: g.id, key: due.key, reached: reached.map(reachedText) };
}

// A storm is escalated as ONE page (issue 9 items 6 and 8). The groups folded into a storm summary
// (services/alerts/storm.ts) have no message of their own, so the group escalation
// (services/alerts/escalation.ts) leaves them out; paging each of them in the summary's thread wrote
// a line per group per step, hundreds of posts at Slack's ~1 post/s (commit 27c5915). Instead the
// storm walks one policy, from the same job, with the same rule (domain/escalation.ts):
//
// - What pages: the storm's "pending" groups, those open, not acknowledged, not silenced, with a
//   policy toban.yml knows. None (all resolved, acknowledged or silenced): the storm's escalation
//   stops, and no step is sent however late.
// - Which policy: the policy of the worst pending group (severity, then the oldest, then the lowest
//   id), read at each run, so a critical group folded in later brings its policy. The steps already
//   sent count by their position (round, step), whatever policy sent them: a change of policy goes on
//   from where the storm is, with the new policy's targets and waits, and repeats none.
// - When: the steps fall due from the storm's start (alert_storms.started_at), as a group's fall due
//   from its opening.
// - What a step writes, once per storm and step (alert_storm_notifications, unique per storm, epoch
//   and key, written with its outbox rows under the storm's row lock, so replicas and re-runs after
//   kill -9 send it once): one line in the summary's thread ("Storm: N open groups, worst critical #id
//   title. Escalation step 2: @on-call"), a page per person it reaches, which joins the person's one
//   DM of the escalation run (escalation.ts escalateRun: the storms first, then the groups, in one
//   transaction), and one update of the summary (the step reached). O(steps) Slack writes per storm,
//   never per group.
// - Acknowledge all (the summary's button): acknowledges every open folded group of the storm in one
//   transaction (each group's acknowledged_by/at and version, one audit row naming them), marks the
//   storm acknowledged, writes one line in the summary's thread and the summary's update (who
//   acknowledged). A double or concurrent press changes it once (db/alert-storm-escalation.ts).
// - A group folded into an acknowledged storm is a new problem nobody has seen, as PagerDuty pages
//   for a new incident: the next run restarts the storm's escalation from step 1 (a new epoch, due
//   from that run) and clears the storm's acknowledge, once: the groups folded after it, while
//   nobody has pressed Acknowledge all again, join that escalation and restart nothing.
// - Reminders of acknowledged groups (remindAcknowledgedEveryMs) are not sent for storms: the storm
//   acknowledged is done with until a new group comes.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  acknowledgeStormGroups,
  bumpStorm,
  lockStorm,
  recordStormNotification,
  restartStormEscalation,
  stormById,
  stormEscalationCandidates,
  stormPending,
  stormStepsSent,
  type StormEscalationRow,
} from '../../db/alert-storm-escalation.ts';
import { markShown } from '../../db/alert-storms.ts';
import { audit } from '../../db/audit.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import {
  dueNotifications,
  type DueNotification,
  type EscalationPolicy,
  type EscalationTarget,
} from '../../domain/escalation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { t } from '../../i18n/index.ts';
import {
  stormEscalationDm,
  stormEscalationThreadLine,
  type ReachedTarget,
  type StormPage,
} from '../../views/alert-escalation.ts';
import { alertStormRef } from '../../views/alert-storm.ts';
import { section } from '../../views/common.ts';
import { formatInstant } from '../../views/time.ts';
import {
  escalateRun,
  reachedText,
  type RunState,
  type SentNotification,
  type SentStormNotification,
  type StormPart,
} from './escalation.ts';
import { summaryItem } from './storm.ts';

type Ctx = Pick<AppContext, 'config' | 'pool' | 'clock' | 'log' | 'outboxTransport'>;

/** At most this many storms are looked at per run (oldest first); the rest wait a minute. */
const BATCH = 100;

export type { SentStormNotification };

/**
 * Sends every storm escalation step due at `now` and not yet sent (see the module comment), storms
 * only, in one run (services/alerts/escalation.ts escalateRun).
 * @returns those this call sent.
 * @throws database errors (the job's run retries; nothing of a failed run was committed).
 */
export async function escalateStormsDue(
  ctx: Ctx & Pick<AppContext, 'directory'>,
  now: Date,
): Promise<SentStormNotification[]> {
  return (await escalateRun(ctx, now, { groups: false, storms: stormPart })).storms;
}

/**
 * The escalation job's run: every storm step and group notification due at `now`, in ONE run
 * (escalateRun): storms first, then groups, one DM per person and one `<!here>` per channel.
 * @throws database errors (the job's run retries; nothing of a failed run was committed).
 */
export function escalateAllDue(
  ctx: Ctx & Pick<AppContext, 'directory'>,
  now: Date,
): Promise<{ groups: SentNotification[]; storms: SentStormNotification[] }> {
  return escalateRun(ctx, now, { groups: true, storms: stormPart });
}

/** What a storm owes at `now`, read in `db` (locked or not): the steps due, its policy and page. */
async function stormPlan(
  db: Queryable,
  storm: StormEscalationRow,
  policies: ReadonlyMap<string, EscalationPolicy>,
  now: Date,
): Promise<
  | { policy: EscalationPolicy; due: DueNotification[]; page: StormPage; restart: boolean; count: number }
  | undefined
> {
  const pending = await stormPending(db, storm.id, [...policies.keys()], now);
  if (!pending.worst) return undefined;
  // Acknowledged, yet pending: groups folded in after Acknowledge all, paged from step 1 at `now`.
  const restart = storm.acknowledged_at !== null;
  const policy = policies.get(pending.worst.policy)!;
  const plan = dueNotifications(
    policy,
    {
      openedAt: restart ? now : (storm.escalation_started_at ?? storm.started_at),
      acknowledgedAt: null,
      resolvedAt: null,
      notified: restart ? [] : await stormStepsSent(db, storm.id, storm.escalation_epoch),
      remindersSent: 0,
    },
    now,
  );
  const page: StormPage = { count: pending.count, worst: pending.worst, channel: storm.channel };
  return { policy, due: plan.due, page, restart, count: pending.count };
}

/** Storms in an escalation run (services/alerts/escalation.ts StormPart). */
export const stormPart: StormPart = {
  async look(ctx, policies, now) {
    const out: { id: string; targets: EscalationTarget[] }[] = [];
    for (const id of await stormEscalationCandidates(ctx.pool, [...policies.keys()], BATCH)) {
      const storm = await stormById(ctx.pool, id);
      const plan = storm && (await stormPlan(ctx.pool, storm, policies, now));
      const steps = plan ? plan.due.filter((d) => d.kind === 'step') : [];
      // A restart is work even with no step due yet (its first step may wait): it clears the acknowledge.
      if (steps.length > 0 || plan?.restart) out.push({ id, targets: steps.flatMap((d) => d.notify) });
    }
    return out;
  },
  escalate: escalateStorm,
};

async function escalateStorm(
  ctx: Ctx,
  tx: Queryable,
  id: string,
  policies: ReadonlyMap<string, EscalationPolicy>,
  now: Date,
  run: RunState,
): Promise<SentStormNotification[]> {
  // SKIP LOCKED: the run holds other storms' locks (db/alert-storm-escalation.ts lockStorm).
  let storm = await lockStorm(tx, id, { skipLocked: true });
  if (!storm) return [];
  const plan = await stormPlan(tx, storm, policies, now);
  if (!plan) return [];
  if (plan.restart) {
    storm = await restartStormEscalation(tx, id, now);
    ctx.log.info(
      { storm: id, channel: storm.channel, epoch: storm.escalation_epoch, groups: plan.count },
      'alerts: a group came into an acknowledged storm; its escalation starts again',
    );
  }
  const { policy, page } = plan;
  const epoch = storm.escalation_epoch;
  const out: SentStormNotification[] = [];
  let step: number | undefined;
  for (const due of plan.due) {
    if (due.kind !== 'step') continue;
    const reached: ReachedTarget[] = [];
    for (const target of due.notify) reached.push(await run.reachOnce(target));
    const recorded = await recordStormNotification(tx, {
      stormId: id,
      epoch,
      key: due.key,
      policy: policy.id,
      round: due.round,
      step: due.step,
      dueAt: due.dueAt,
      sentAt: now,
      targets: reached.map((r) => ({ ...r })),
    });
    if (!recorded) continue;
    await writeStep(ctx, tx, storm, epoch, due.key, due.step + 1, page, reached, run);
    out.push({ stormId: id, epoch, key: due.key, policy: policy.id, reached: reached.map(reachedText) });
    step = due.step + 1;
  }
  // The summary shows the step reached: one version on, one update keyed by it.
  if (step !== undefined) await showSummary(tx, ctx, await bumpStorm(tx, id, step), now);
  return out;
}

/**
 * The thread line of one step (keyed by the storm, the epoch and the step's key), and its pages
 * to the run: each person's DM is the run's one DM (this step's own DM when it is their only page).
 */
async function writeStep(
  ctx: Ctx,
  tx: Queryable,
  storm: StormEscalationRow,
  epoch: number,
  key: string,
  step: number,
  page: StormPage,
  reached: readonly ReachedTarget[],
  run: RunState,
): Promise<void> {
  const locale = ctx.config.locale;
  const ref = alertStormRef(storm.id);
  const base = `${ref}:e${epoch}:${key}`;
  const hereWith = reached.some((r) => r.kind === 'channel')
    ? run.hereOnce(storm.channel, t(locale, 'alert.escalate.here_storm'))
    : undefined;
  await enqueue(
    tx,
    {
      kind: 'slack.post',
      orderingKey: ref,
      idempotencyKey: `${base}:thread`,
      payload: {
        channel: storm.channel,
        threadRef: ref,
        ...stormEscalationThreadLine(step, page, reached, locale, hereWith),
      },
    },
    ctx.outboxTransport,
  );
  const people = [...new Set(reached.flatMap((r) => (r.kind === 'user' ? [r.userId] : [])))];
  for (const user of people)
    run.addPage({
      user,
      line: {
        groupId: page.worst.id,
        title: page.worst.title,
        channel: page.channel,
        severity: page.worst.severity,
        what: { kind: 'storm', stormId: storm.id, step, count: page.count },
      },
      carried: `storm:${storm.id}:e${epoch}:${key}`,
      single: (l) => ({
        kind: 'slack.dm',
        orderingKey: `dm:${user}`,
        idempotencyKey: `${base}:dm:${user}`,
        payload: { user, ...stormEscalationDm(step, page, l) },
      }),
    });
}

/** Writes the summary's update for the storm's current version and records it as shown. */
async function showSummary(
  tx: Queryable,
  ctx: Pick<AppContext, 'config' | 'outboxTransport'>,
  storm: StormEscalationRow,
  now: Date,
): Promise<void> {
  const { item, over } = await summaryItem(tx, ctx, storm, storm.version, now, 'update');
  await enqueue(tx, item, ctx.outboxTransport);
  await markShown(tx, storm.id, storm.version, now, over);
}

/** What Acknowledge all did: the storm as it is now, and the groups this press acknowledged (none: unchanged). */
export interface StormAckOutcome {
  storm: StormEscalationRow;
  acknowledged: string[];
}

/** The storm id a button's value names: a positive integer of at most 18 digits. @throws UserError. */
export function stormIdOf(value: string | undefined): string {
  const v = (value ?? '').trim();
  if (!/^[1-9]\d{0,17}$/.test(v)) throw new UserError('alert.storm.not_found', { id: value ?? '' });
  return v;
}

/**
 * Acknowledge all on storm `id`'s summary, by `by` (a Slack user id): every open, unacknowledged
 * folded group acknowledged once, the storm's escalation stopped, one line in the summary's thread,
 * the summary updated, one audit row (under the request's `key`). A press that finds nothing to
 * acknowledge changes nothing.
 * @throws UserError 'alert.storm.not_found'.
 */
export function acknowledgeStorm(
  ctx: Pick<AppContext, 'config' | 'pool' | 'clock' | 'outboxTransport'>,
  id: string,
  by: string,
  key?: string,
): Promise<StormAckOutcome> {
  return withTransaction(ctx.pool, async (tx) => {
    const at = ctx.clock.now();
    const { ids, storm } = await acknowledgeStormGroups(tx, id, by, at);
    if (!storm) throw new UserError('alert.storm.not_found', { id });
    if (ids.length === 0) return { storm, acknowledged: [] };
    const { locale, timezone } = ctx.config;
    const ref = alertStormRef(id);
    const text = t(locale, 'alert.storm.thread.acknowledged', {
      user: by,
      count: ids.length,
      at: formatInstant(at, timezone, locale, at),
    });
    await enqueue(
      tx,
      {
        kind: 'slack.post',
        orderingKey: ref,
        idempotencyKey: `${ref}:v${storm.version}:acknowledged`,
        payload: { channel: storm.channel, threadRef: ref, text, blocks: [section(text)] },
      },
      ctx.outboxTransport,
    );
    await showSummary(tx, ctx, storm, at);
    // Last in the transaction: the audit log is one chain.
    await audit(tx, {
      actor: by,
      action: 'alerts.acknowledge_storm',
      args: { storm: id, version: storm.version, groups: ids },
      outcome: 'changed',
      ...(key ? { requestKey: key } : {}),
    });
    return { storm, acknowledged: ids };
  });
}

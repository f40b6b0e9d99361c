// The alert intake's use case: a webhook's parsed body in, alerts grouped and stored, Slack rows
// written, all in ONE transaction (README "Alerts"). The answer (202 with the count) is sent only
// after COMMIT, so a failure (a 5xx) means nothing was stored and the sender's retry is safe.
//
// A request costs 3 prepared statements whatever its size (src/db/alerts.ts): the raw payload with
// the groups it opens (locking the open groups of its keys), its alerts with the touched groups'
// counts, the outbox; and, when it opens groups, the storm check (storm.ts). A repeated delivery
// stops after the alerts: nothing changed, nothing more is written.
import type { AppContext } from '../../core/context.ts';
import {
  applyAlerts,
  dropEmptyGroups,
  groupOf,
  pgJson,
  pgSafe,
  openGroups,
  storePayloadLockingKeys,
  storableJsonText,
  type AlertRow,
  type GroupRow,
} from '../../db/alerts.ts';
import { withRetriedTransaction, type Queryable } from '../../db/pool.ts';
import type { AlertSource, NormalizedAlert } from '../../domain/alert.ts';
import { routeAlert } from '../../domain/alert-routing.ts';
import { insertRowsSql, OUTBOX_CHANNEL, outboxRow } from '../../outbox/enqueue.ts';
import type { OutboxItem } from '../../outbox/kinds/index.ts';
import { alertIntake } from '../../../handlers/alerts/index.ts';
import { logSnsControl, snsControlItems } from './sns.ts';
import { foldNewGroups } from './storm.ts';
import { alertGroupMessage, alertGroupRef, alertGroupThreadLine } from '../../views/alert-group.ts';

type Ctx = Pick<AppContext, 'config' | 'pool' | 'clock' | 'log' | 'outboxTransport'>;

export type IntakeResult =
  { status: 202; accepted: number; groups: string[] } | { status: 400; error: string } | { status: 404 };

export interface IntakeRequest {
  source: string;
  /** The body, parsed from JSON. */
  body: unknown;
  /** The body's JSON text as received, stored as is when PostgreSQL takes it (storableJsonText). */
  bodyText?: string;
  requestId?: string;
}

/** When a delivery says its alert's state began: starts_at when firing, ends_at when resolved. */
function eventTime(r: AlertRow): number {
  return Date.parse(r.status === 'resolved' ? (r.ends_at ?? r.starts_at) : r.starts_at);
}

/**
 * One row per (group key, fingerprint): the delivery with the newest event time (a resolve on a tie),
 * since one statement cannot change a row twice. In first-seen order.
 */
export function newestPerAlert(rows: readonly AlertRow[]): AlertRow[] {
  const byKey = new Map<string, AlertRow>();
  for (const r of rows) {
    const key = JSON.stringify([r.group_key, r.fingerprint]);
    const had = byKey.get(key);
    if (!had || eventTime(r) > eventTime(had) || (eventTime(r) === eventTime(had) && r.status === 'resolved'))
      byKey.set(key, r);
  }
  return [...byKey.values()].map((r, ord) => ({ ...r, ord }));
}

/**
 * The batch's rows: routed, made storable (pgSafe: before deduplicating, as it can merge keys), one
 * per alert. A start or end after `receivedAt` is the sender's clock running ahead of ours (or a
 * made-up date): it is taken as the receipt time, else a resolve stamped with its receipt time would
 * end before the start and be ignored, leaving the alert firing for good.
 */
function rowsOf(ctx: Ctx, alerts: readonly NormalizedAlert[], receivedAt: Date): AlertRow[] {
  const notAfterReceipt = (d: Date) => (d > receivedAt ? receivedAt : d).toISOString();
  const rows = alerts.map((a, ord): AlertRow => {
    const route = routeAlert(ctx.config.routes, a.labels, ctx.config.channels.alerts);
    return pgSafe({
      ord,
      group_key: a.groupKey,
      fingerprint: a.fingerprint,
      status: a.status,
      severity: a.severity,
      title: a.title,
      summary: a.summary ?? null,
      service: a.service ?? null,
      starts_at: notAfterReceipt(a.startsAt),
      ends_at: a.status === 'resolved' && a.endsAt ? notAfterReceipt(a.endsAt) : null,
      labels: a.labels,
      annotations: a.annotations,
      links: a.links,
      channel: route.channel,
      policy: route.policy ?? null,
    }) as AlertRow;
  });
  return newestPerAlert(rows);
}

/** The Slack rows a group's change makes: its post when new, else an update; a thread line on a change of state. */
function outboxItems(ctx: Ctx, g: GroupRow, created: boolean, refired: number, now: Date): OutboxItem[] {
  if (!g.has_message) return [];
  const { locale, timezone } = ctx.config;
  const group = groupOf(g);
  const ref = alertGroupRef(g.id);
  const orderingKey = ref;
  const message = alertGroupMessage(group, locale, timezone, now);
  const items: OutboxItem[] = [];
  if (created) {
    items.push({
      kind: 'slack.post',
      orderingKey,
      idempotencyKey: `${ref}:post`,
      payload: { channel: g.channel, ref, ...message },
    });
    return items;
  }
  items.push({
    kind: 'slack.update',
    orderingKey,
    idempotencyKey: `${ref}:v${g.version}`,
    payload: { ref, ...message },
  });
  const thread = (line: Parameters<typeof alertGroupThreadLine>[0], key: string) =>
    items.push({
      kind: 'slack.post',
      orderingKey,
      idempotencyKey: `${ref}:v${g.version}:${key}`,
      payload: { channel: g.channel, threadRef: ref, ...alertGroupThreadLine(line, locale, timezone, now) },
    });
  if (g.old_state === 'open' && g.state === 'resolved')
    thread({ kind: 'resolved', count: g.resolved_count, at: g.resolved_at ?? now }, 'resolved');
  else if (refired > 0) thread({ kind: 'refired', count: refired, at: now }, 'refired');
  return items;
}

const OUTBOX_SQL = `WITH ins AS (${insertRowsSql(1)}) SELECT (SELECT count(*) FROM ins) AS n, pg_notify($2, '')`;

/** Writes `items` in one statement and wakes the outbox workers (on COMMIT). */
async function writeOutbox(db: Queryable, ctx: Ctx, items: readonly OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((i) => outboxRow(i, ctx.outboxTransport));
  await db.query({
    name: 'alert-intake-outbox',
    text: OUTBOX_SQL,
    values: [pgJson(rows), OUTBOX_CHANNEL],
  });
}

/** Normalized alerts to store, with the delivery that carried them. */
export interface AlertDelivery {
  source: AlertSource;
  receivedAt: Date;
  /** What is kept in alert_payloads: the webhook's body, or what stood for it (a heartbeat's). */
  body: unknown;
  /** `body` as JSON text PostgreSQL takes, when the caller has it (db/alerts.ts storableJsonText). */
  bodyText?: string;
  alerts: readonly NormalizedAlert[];
  requestId?: string;
}

/**
 * Stores one delivery's normalized alerts inside the caller's transaction `tx`: the payload, the
 * groups, the alerts, the counts and the Slack rows (the statements above). The webhook intake
 * calls it, and so do heartbeats (services/alerts/heartbeats.ts), which have no webhook.
 * @returns the ids of the groups the delivery changed (none for a repeat).
 * @throws database errors; the caller's transaction rolls back.
 */
export async function storeAlerts(ctx: Ctx, tx: Queryable, d: AlertDelivery): Promise<string[]> {
  const { source, receivedAt } = d;
  const rows = rowsOf(ctx, d.alerts, receivedAt);
  const payload = {
    source,
    receivedAt,
    body: d.body,
    ...(d.bodyText !== undefined ? { bodyText: d.bodyText } : {}),
    ...(d.requestId ? { requestId: d.requestId } : {}),
    alertCount: d.alerts.length,
  };
  const payloadId = await storePayloadLockingKeys(
    tx,
    payload,
    rows.map((r) => r.group_key),
  );
  if (rows.length === 0) return [];
  const created = await openGroups(tx, source, receivedAt, rows);
  const recounted = await applyAlerts(tx, source, rows, payloadId, receivedAt);
  // A group opened above that got none of the alerts: before deliveries were serialized per key, a
  // concurrent delivery of the same never-seen resolve could commit in between and hold them (found
  // by the HTTP fuzz). Kept as a safety net; the usual request runs no extra statement.
  const filled = new Set(recounted.map((g) => g.id));
  const unfilled = [...created.values()].filter((id) => !filled.has(id));
  if (unfilled.length > 0) await dropEmptyGroups(tx, unfilled);
  if (recounted.length === 0) return [];
  const refired = new Map(recounted.map((g) => [g.id, g.refired]));
  const createdIds = new Set(created.values());
  // A channel over its pace gets its new groups folded into one storm summary (storm.ts).
  const storm = await foldNewGroups(
    tx,
    ctx,
    recounted.filter((g) => createdIds.has(g.id) && g.has_message),
    receivedAt,
  );
  const items = recounted
    .filter((g) => !storm.folded.has(g.id))
    .sort((a, b) => Number(a.id) - Number(b.id))
    .flatMap((g) => outboxItems(ctx, g, createdIds.has(g.id), refired.get(g.id) ?? 0, receivedAt));
  await writeOutbox(tx, ctx, [...items, ...storm.items]);
  return recounted.map((g) => g.id);
}

/**
 * Takes one webhook delivery. Authentication is the caller's (src/http/alerts.ts), and so is an
 * SNS message's signature (services/alerts/sns.ts checkSnsSignature): a control message is acted on.
 * @returns 404 for a source toban does not know, 400 with the sentence naming the bad field
 *   (nothing stored), else 202 with the number of alerts the payload carried.
 * @throws database errors: nothing is stored (the transaction rolls back); the caller answers 5xx.
 */
export async function intakeAlerts(ctx: Ctx, req: IntakeRequest): Promise<IntakeResult> {
  const intake = alertIntake(req.source);
  if (!intake) return { status: 404 };
  const receivedAt = ctx.clock.now();
  const parsed = intake.parse(req.body, receivedAt);
  if (!parsed.ok) return { status: 400, error: parsed.error };
  const source: AlertSource = intake.name;
  const { control } = parsed;
  if (control) logSnsControl(ctx, control);
  // A deadlock or serialization failure with a concurrent delivery is run again here rather than
  // answered 503: the sender would retry anyway, later, and some (Datadog) give up after a few.
  const groups = await withRetriedTransaction(
    ctx.pool,
    async (tx) => {
      const changed = await storeAlerts(ctx, tx, {
        source,
        receivedAt,
        body: req.body,
        ...(req.bodyText !== undefined ? { bodyText: storableJsonText(req.bodyText) } : {}),
        alerts: parsed.alerts,
        ...(req.requestId ? { requestId: req.requestId } : {}),
      });
      // A verified SubscriptionConfirmation (the caller checked its signature): confirmed through the
      // outbox, in the transaction that keeps its payload (services/alerts/sns.ts).
      if (control) await writeOutbox(tx, ctx, snsControlItems(control));
      return changed;
    },
    {
      onRetry: (err, attempt) =>
        ctx.log.warn(
          { source, attempt, sqlstate: (err as { code?: string }).code, err },
          'alerts: the database aborted the delivery transaction; running it again',
        ),
    },
  );
  if (parsed.truncated > 0)
    ctx.log.warn(
      { source, truncated: parsed.truncated },
      'alerts: the sender left alerts out of the payload',
    );
  return { status: 202, accepted: parsed.alerts.length, groups };
}

// Sentry. Four bodies reach this endpoint, told apart by their shape (the Sentry-Hook-Resource
// header says the same, but the legacy plugin sends none):
// - issue alert, Integration Platform (resource event_alert; action "triggered", data.event,
//   data.triggered_rule): docs.sentry.io/organization/integrations/integration-platform/webhooks/issue-alerts/
// - issue (resource issue; action created / resolved / assigned / archived / unresolved, data.issue):
//   .../webhooks/issues/
// - metric alert (resource metric_alert; action critical / warning / resolved, data.metric_alert):
//   .../webhooks/metric-alerts/
// - the legacy WebHooks plugin (id, project, level, url, triggering_rules, event): getsentry/sentry
//   src/sentry/plugins/sentry_webhooks/plugin.py. It is not signed: authenticate it by the URL token.
// Fixtures: test/fixtures/alerts/sentry-*.json.
//
// Grouping: the Sentry issue, `issue:<id>` (data.event.issue_id, data.issue.id, the plugin's id):
// every event of one issue is one group, and the issue's resolved webhook resolves it. A metric
// alert: its alert rule, `metric_alert:<rule id>`. Fingerprint: the grouping key.
// Resolve: an issue webhook with action resolved, or archived / ignored (the team chose to stop
// hearing of it); a metric alert with action resolved. An event alert always fires. An issue
// webhook with action assigned carries no alert (accepted, nothing to do).
// Severity: the event's or issue's level (fatal → critical, error, warning, info / debug → info),
// error when it has none; a metric alert's action (critical, warning; resolved keeps error).
import { z } from 'zod';
import {
  alertLinks,
  firstText,
  payloadTime,
  severityFromWord,
  type AlertDraft,
  type Severity,
  type SourceModule,
} from '../../src/domain/alert.ts';
import { verifyHexHmacSha256, type HmacCheck } from './common.ts';

const text = z.string().nullish();
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
/** Sentry sends tags as [key, value] pairs (events) or {key, value} objects; anything else is skipped. */
const tags = z.array(z.unknown()).nullish();

const eventShape = z.object({
  event_id: text,
  issue_id: id.nullish(),
  title: text,
  message: text,
  culprit: text,
  level: text,
  datetime: text,
  /** Unix time in seconds (with a fraction). */
  timestamp: z.number().nullish(),
  web_url: text,
  project: z.union([z.string(), z.number()]).nullish(),
  environment: text,
  tags,
});

const eventAlertSchema = z.object({
  action: z.literal('triggered'),
  data: z.object({ event: eventShape, triggered_rule: text }),
});

const issueSchema = z.object({
  action: z.enum(['created', 'resolved', 'assigned', 'archived', 'ignored', 'unresolved']),
  data: z.object({
    issue: z.object({
      id,
      title: z.string(),
      culprit: text,
      level: text,
      status: text,
      shortId: text,
      firstSeen: text,
      lastSeen: text,
      web_url: text,
      permalink: text,
      project: z.object({ slug: text, name: text, id: id.nullish() }).nullish(),
    }),
  }),
});

const metricAlertSchema = z.object({
  action: z.enum(['critical', 'warning', 'resolved']),
  data: z.object({
    metric_alert: z.object({
      id,
      title: text,
      date_started: text,
      date_detected: text,
      date_closed: text,
      projects: z.array(z.string()).nullish(),
      alert_rule: z.object({ id, name: z.string(), projects: z.array(z.string()).nullish() }),
    }),
    description_title: text,
    description_text: text,
    web_url: text,
  }),
});

const pluginSchema = z.object({
  id,
  project: text,
  project_name: text,
  project_slug: text,
  level: text,
  culprit: text,
  message: text,
  url: text,
  triggering_rules: z.array(z.string()).nullish(),
  event: eventShape,
});

export const sentrySchema = z.union([eventAlertSchema, issueSchema, metricAlertSchema, pluginSchema]);
export type SentryPayload = z.infer<typeof sentrySchema>;

/** One Sentry body, told by its shape. */
export type SentryItem =
  | { kind: 'event_alert'; body: z.infer<typeof eventAlertSchema> }
  | { kind: 'issue'; body: z.infer<typeof issueSchema> }
  | { kind: 'metric_alert'; body: z.infer<typeof metricAlertSchema> }
  | { kind: 'plugin'; body: z.infer<typeof pluginSchema> };

function itemOf(payload: SentryPayload): SentryItem {
  if ('event' in payload) return { kind: 'plugin', body: payload };
  if ('metric_alert' in payload.data)
    return { kind: 'metric_alert', body: payload as SentryItemBody<'metric_alert'> };
  if ('issue' in payload.data) return { kind: 'issue', body: payload as SentryItemBody<'issue'> };
  return { kind: 'event_alert', body: payload as SentryItemBody<'event_alert'> };
}
type SentryItemBody<K extends SentryItem['kind']> = Extract<SentryItem, { kind: K }>['body'];

/**
 * Tags as labels: [key, value] pairs or {key, value} objects with string values. The `user` tag
 * (an id, e-mail or IP address of the person who hit the error) is left out: personal data has no
 * place in an alert channel.
 */
function tagLabels(list: readonly unknown[] | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const tag of list ?? []) {
    const [k, v] = Array.isArray(tag)
      ? [tag[0], tag[1]]
      : tag && typeof tag === 'object'
        ? [(tag as { key?: unknown }).key, (tag as { value?: unknown }).value]
        : [];
    if (typeof k === 'string' && k !== '' && k !== 'user' && typeof v === 'string' && !out.has(k))
      out.set(k, v);
  }
  return out;
}

function levelSeverity(level: string | null | undefined): Severity {
  return severityFromWord(level ?? undefined) ?? 'error';
}

function groupKeyOf(item: SentryItem): string {
  switch (item.kind) {
    case 'event_alert': {
      const { event, triggered_rule } = item.body.data;
      return event.issue_id
        ? `issue:${event.issue_id}`
        : `rule:${triggered_rule ?? ''}:${event.title ?? event.event_id ?? ''}`;
    }
    case 'issue':
      return `issue:${item.body.data.issue.id}`;
    case 'metric_alert':
      return `metric_alert:${item.body.data.metric_alert.alert_rule.id}`;
    case 'plugin':
      return `issue:${item.body.id}`;
  }
}

function isResolved(item: SentryItem): boolean {
  if (item.kind === 'issue') return ['resolved', 'archived', 'ignored'].includes(item.body.action);
  if (item.kind === 'metric_alert') return item.body.action === 'resolved';
  return false;
}

/** Seconds since the epoch (Sentry's event timestamp) as a time. */
function fromSeconds(seconds: number | null | undefined): Date | undefined {
  return typeof seconds === 'number' ? payloadTime(Math.round(seconds * 1000)) : undefined;
}

function draftOf(item: SentryItem, receivedAt: Date): AlertDraft {
  const labels = new Map<string, string>();
  const put = (k: string, v: string | null | undefined) => {
    if (typeof v === 'string' && v !== '') labels.set(k, v);
  };
  let draft: Omit<AlertDraft, 'fingerprint' | 'labels' | 'annotations'>;
  switch (item.kind) {
    case 'event_alert': {
      const { event, triggered_rule } = item.body.data;
      for (const [k, v] of tagLabels(event.tags)) labels.set(k, v);
      put('level', event.level);
      put('environment', event.environment);
      put(
        'project_id',
        event.project === null || event.project === undefined ? undefined : String(event.project),
      );
      put('rule', triggered_rule);
      draft = {
        severity: levelSeverity(event.level),
        title: firstText(event.title, event.message) ?? groupKeyOf(item),
        startsAt: payloadTime(event.datetime) ?? fromSeconds(event.timestamp) ?? receivedAt,
        links: alertLinks({ runbook: undefined, dashboard: undefined, source: event.web_url }),
        ...withSummary(event.culprit),
      };
      break;
    }
    case 'issue': {
      const { issue } = item.body.data;
      put('level', issue.level);
      put('project', issue.project?.slug);
      put('short_id', issue.shortId);
      draft = {
        severity: levelSeverity(issue.level),
        title: firstText(issue.title) ?? groupKeyOf(item),
        startsAt: payloadTime(issue.firstSeen) ?? receivedAt,
        links: alertLinks({
          runbook: undefined,
          dashboard: undefined,
          source: firstText(issue.web_url, issue.permalink),
        }),
        ...withSummary(issue.culprit),
      };
      break;
    }
    case 'metric_alert': {
      const { data, action } = item.body;
      const rule = data.metric_alert.alert_rule;
      put('project', (rule.projects ?? data.metric_alert.projects ?? [])[0]);
      put('rule', rule.name);
      const closed = payloadTime(data.metric_alert.date_closed);
      draft = {
        severity: action === 'critical' ? 'critical' : action === 'warning' ? 'warning' : 'error',
        title: firstText(rule.name, data.description_title) ?? groupKeyOf(item),
        startsAt:
          payloadTime(data.metric_alert.date_started) ??
          payloadTime(data.metric_alert.date_detected) ??
          receivedAt,
        ...(closed ? { endsAt: closed } : {}),
        links: alertLinks({ runbook: undefined, dashboard: undefined, source: data.web_url }),
        ...withSummary(data.description_text),
      };
      break;
    }
    case 'plugin': {
      const { body } = item;
      for (const [k, v] of tagLabels(body.event.tags)) labels.set(k, v);
      put('level', body.level ?? body.event.level);
      put('project', body.project_slug ?? body.project);
      put('rule', body.triggering_rules?.[0]);
      draft = {
        severity: levelSeverity(body.level ?? body.event.level),
        title: firstText(body.event.title, body.message, body.culprit) ?? groupKeyOf(item),
        startsAt: fromSeconds(body.event.timestamp) ?? payloadTime(body.event.datetime) ?? receivedAt,
        links: alertLinks({ runbook: undefined, dashboard: undefined, source: body.url }),
        ...withSummary(body.culprit),
      };
      break;
    }
  }
  const service = firstText(labels.get('service'), labels.get('project'));
  return {
    fingerprint: groupKeyOf(item),
    ...draft,
    labels: Object.fromEntries(labels),
    annotations: {},
    ...(service ? { service } : {}),
  };
}

function withSummary(text: string | null | undefined): { summary?: string } {
  const summary = firstText(text);
  return summary ? { summary } : {};
}

export const sentry: SourceModule<SentryPayload, SentryItem> = {
  name: 'sentry',
  schema: sentrySchema,
  split: (payload) => {
    const item = itemOf(payload);
    return { items: item.kind === 'issue' && item.body.action === 'assigned' ? [] : [item] };
  },
  groupKey: groupKeyOf,
  isResolved,
  normalize: draftOf,
};

/**
 * Checks `Sentry-Hook-Signature` (Integration Platform webhooks): the lower-case hex HMAC-SHA256
 * of the raw request body, keyed with the integration's Client Secret (getsentry/sentry
 * SentryApp.build_signature). The timestamp header is not signed; the caller judges replays.
 */
export function verifySentrySignature(
  secret: string,
  rawBody: Buffer | string,
  header: string | string[] | undefined,
): HmacCheck {
  return verifyHexHmacSha256(secret, [rawBody], header);
}

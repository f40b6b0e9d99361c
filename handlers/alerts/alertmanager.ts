// Prometheus Alertmanager's webhook (webhook_config, payload version 4):
// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config and the Go types in
// prometheus/alertmanager notify/webhook/webhook.go (Message: version, groupKey, truncatedAlerts)
// and template/template.go (Data, Alert). Fixtures: test/fixtures/alerts/alertmanager-*.json,
// captured from Alertmanager 0.25.
//
// Grouping: the payload's `groupKey`, Alertmanager's own key for the notification group (the route
// and the values of its group_by labels): "key identifying the group of alerts (e.g. to deduplicate)"
// in the docs; Grafana OnCall groups Alertmanager payloads by it too. It is the same for the group's
// firing and resolved notifications, and the same from every replica of an HA pair.
// Fingerprint: the alert's `fingerprint` (a hash of its label set), or ours of its labels when an
// older Alertmanager leaves it out.
// Resolve: each alert's own `status` ("resolved" once Alertmanager saw it end); the group's
// top-level status is "resolved" only when every alert in it is.
// Severity: the `severity` label (Prometheus' convention: critical / warning / info; also error,
// P1–P5 and the other words of domain/alert.ts severityFromWord); no or an unknown label: warning.
import { z } from 'zod';
import {
  alertLinks,
  firstText,
  payloadTime,
  severityFromWord,
  type AlertDraft,
  type SourceModule,
} from '../../src/domain/alert.ts';
import { labelsFingerprint, stringMap, timeText } from './common.ts';

/** One alert as Alertmanager's template.Alert serialises it (Grafana adds fields: grafana.ts). */
export const webhookAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap,
  startsAt: timeText,
  endsAt: timeText.nullish(),
  generatorURL: z.string().nullish(),
  fingerprint: z.string().nullish(),
});
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;

/** The fields Alertmanager's and Grafana's webhooks share (template.Data plus groupKey). */
export const webhookGroupShape = {
  receiver: z.string().nullish(),
  status: z.enum(['firing', 'resolved']),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().nullish(),
  groupLabels: stringMap,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  externalURL: z.string().nullish(),
};

export const alertmanagerSchema = z.object({
  ...webhookGroupShape,
  version: z.literal('4'),
  alerts: z.array(webhookAlertSchema),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerSchema>;

/** One alert with the notification that carried it (its group key lives there). */
export interface GroupedAlert<A extends WebhookAlert = WebhookAlert> {
  groupKey: string;
  alert: A;
}

/** The severity of an alert by its `severity` label; warning when it has none we know. */
export function severityOfLabels(labels: Record<string, string>) {
  return severityFromWord(labels.severity) ?? 'warning';
}

/** The draft of one Alertmanager-shaped alert; `dashboard` where the sender has a better one. */
export function webhookAlertDraft(
  alert: WebhookAlert,
  receivedAt: Date,
  dashboard?: string | null,
): AlertDraft {
  const { labels, annotations } = alert;
  const service = firstText(labels.service);
  const summary = firstText(annotations.summary, annotations.description, annotations.message);
  const endsAt = payloadTime(alert.endsAt);
  return {
    fingerprint: firstText(alert.fingerprint) ?? labelsFingerprint(labels),
    severity: severityOfLabels(labels),
    title: firstText(labels.alertname) ?? labelsTitle(labels),
    ...(summary ? { summary } : {}),
    labels,
    annotations,
    startsAt: payloadTime(alert.startsAt) ?? receivedAt,
    ...(endsAt ? { endsAt } : {}),
    links: alertLinks({
      runbook: firstText(annotations.runbook_url, annotations.runbook),
      dashboard: firstText(dashboard, annotations.dashboard_url, annotations.dashboard),
      source: alert.generatorURL,
    }),
    ...(service ? { service } : {}),
  };
}

/** `{a="1", b="2"}`: the title of an alert without an alertname. */
function labelsTitle(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${pairs.join(', ')}}`;
}

export const alertmanager: SourceModule<AlertmanagerPayload, GroupedAlert> = {
  name: 'alertmanager',
  schema: alertmanagerSchema,
  split: (payload) => ({
    items: payload.alerts.map((alert) => ({ groupKey: payload.groupKey, alert })),
    truncated: payload.truncatedAlerts ?? 0,
  }),
  groupKey: (item) => item.groupKey,
  isResolved: (item) => item.alert.status === 'resolved',
  normalize: (item, receivedAt) => webhookAlertDraft(item.alert, receivedAt),
};

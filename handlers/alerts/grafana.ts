// Grafana unified alerting's webhook contact point: Alertmanager's payload (alertmanager.ts) with
// version "1", orgId, title/state/message and, per alert, silenceURL, dashboardURL, panelURL,
// imageURL, values and valueString (docs: grafana.com/docs/grafana/latest/alerting/
// configure-notifications/manage-contact-points/integrations/webhook-notifier/; Go type
// ExtendedAlert in grafana/alerting templates/template_data.go). Fixtures:
// test/fixtures/alerts/grafana-*.json (a Grafana 9 capture lacks `values`; newer ones may send it
// null, so every Grafana-only field is optional and nullable).
//
// Grouping: the payload's `groupKey`, as for Alertmanager (Grafana's notifier is Alertmanager's
// code): the same for a group's firing and resolved notifications.
// Fingerprint: the alert's `fingerprint`. Resolve: the alert's own `status`.
// Severity: the `severity` label, as for Alertmanager (warning when it has none we know).
// Dashboard link: the alert's panelURL, else its dashboardURL, else a dashboard_url annotation.
import { z } from 'zod';
import type { SourceModule } from '../../src/domain/alert.ts';
import {
  webhookAlertDraft,
  webhookAlertSchema,
  webhookGroupShape,
  type GroupedAlert,
} from './alertmanager.ts';
import { verifyHexHmacSha256, type HmacCheck } from './common.ts';

const grafanaAlertSchema = webhookAlertSchema.extend({
  silenceURL: z.string().nullish(),
  dashboardURL: z.string().nullish(),
  panelURL: z.string().nullish(),
  imageURL: z.string().nullish(),
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: z.string().nullish(),
});
type GrafanaAlert = z.infer<typeof grafanaAlertSchema>;

export const grafanaSchema = z.object({
  ...webhookGroupShape,
  version: z.string().nullish(),
  orgId: z.number().int().nullish(),
  title: z.string().nullish(),
  state: z.string().nullish(),
  message: z.string().nullish(),
  alerts: z.array(grafanaAlertSchema),
});
export type GrafanaPayload = z.infer<typeof grafanaSchema>;

export const grafana: SourceModule<GrafanaPayload, GroupedAlert<GrafanaAlert>> = {
  name: 'grafana',
  schema: grafanaSchema,
  split: (payload) => ({
    items: payload.alerts.map((alert) => ({ groupKey: payload.groupKey, alert })),
    truncated: payload.truncatedAlerts ?? 0,
  }),
  groupKey: (item) => item.groupKey,
  isResolved: (item) => item.alert.status === 'resolved',
  normalize: (item, receivedAt) =>
    webhookAlertDraft(item.alert, receivedAt, item.alert.panelURL || item.alert.dashboardURL),
};

/** The header Grafana 12+ signs its webhook requests in, unless the contact point names another. */
export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';
/**
 * The timestamp header toban reads (docs/alerts/intake.md): Grafana sends none unless the contact
 * point's HMAC settings name one, and then signs `timestamp + ":" + body`.
 */
export const GRAFANA_TIMESTAMP_HEADER = 'x-grafana-alerting-timestamp';
/** How far a signed timestamp may be from toban's clock (ms): a replay window, as Slack's 5 minutes. */
export const GRAFANA_TIMESTAMP_WINDOW_MS = 5 * 60_000;

/**
 * Checks Grafana's optional webhook signature (Grafana 12.0, grafana/alerting http/hmac.go): the
 * header is the hex HMAC-SHA256 of the raw body under the contact point's secret, with no prefix.
 * When the contact point also names a timestamp header, Grafana puts the Unix time in seconds there
 * and signs `timestamp + ":" + body`; pass that header's value as `timestamp` (the caller judges
 * whether it is recent: Grafana sets no window).
 */
export function verifyGrafanaSignature(
  secret: string,
  rawBody: Buffer | string,
  header: string | string[] | undefined,
  timestamp?: string,
): HmacCheck {
  const signed = timestamp === undefined ? [rawBody] : [`${timestamp}:`, rawBody];
  return verifyHexHmacSha256(secret, signed, header);
}

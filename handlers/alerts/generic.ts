// The generic source (CONTRACT.md): for any system that can POST JSON, and for scripts. One alert
// object, or an array of them (at most MAX_ALERTS_PER_REQUEST):
//   {"title", "status": "firing"|"resolved", "severity"?, "dedup_key"?, "labels"?, "annotations"?,
//    "links"?: {"runbook"?, "dashboard"?, "source"?}, "summary"?, "starts_at"?, "ends_at"?}
// (summary, starts_at and ends_at extend CONTRACT.md's list; times are RFC 3339.)
//
// Grouping and fingerprint: `dedup_key` when given (PagerDuty Events API v2's dedup_key: the sender
// names the alert), else a hash of the title and the labels: the same alert sent firing, then
// resolved, lands in one group.
// Resolve: `status` is "resolved".
// Severity: `severity`, one of critical / error / warning / info; error when left out.
import { z } from 'zod';
import {
  SEVERITIES,
  alertLinks,
  payloadTime,
  type AlertDraft,
  type SourceModule,
} from '../../src/domain/alert.ts';
import { MAX_ALERTS_PER_REQUEST, shortDigest, sortedPairs, stringMap, timeText } from './common.ts';

const link = z.url({ protocol: /^https?$/ }).nullish();

export const genericAlertSchema = z.object({
  title: z.string().trim().min(1).max(1_000),
  status: z.enum(['firing', 'resolved']),
  severity: z.enum(SEVERITIES).nullish(),
  dedup_key: z.string().min(1).max(255).nullish(),
  summary: z.string().max(3_000).nullish(),
  labels: stringMap,
  annotations: stringMap,
  links: z.object({ runbook: link, dashboard: link, source: link }).nullish(),
  starts_at: timeText.nullish(),
  ends_at: timeText.nullish(),
});
export type GenericAlert = z.infer<typeof genericAlertSchema>;

export const genericSchema = z.union([
  genericAlertSchema,
  z.array(genericAlertSchema).max(MAX_ALERTS_PER_REQUEST),
]);
export type GenericPayload = z.infer<typeof genericSchema>;

function keyOf(alert: GenericAlert): string {
  return alert.dedup_key ?? shortDigest([alert.title, sortedPairs(alert.labels)]);
}

function draftOf(alert: GenericAlert, receivedAt: Date): AlertDraft {
  const endsAt = payloadTime(alert.ends_at);
  const service = alert.labels.service;
  const links = alert.links ?? {};
  return {
    fingerprint: keyOf(alert),
    severity: alert.severity ?? 'error',
    title: alert.title,
    ...(alert.summary ? { summary: alert.summary } : {}),
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: payloadTime(alert.starts_at) ?? receivedAt,
    ...(endsAt ? { endsAt } : {}),
    links: alertLinks({ runbook: links.runbook, dashboard: links.dashboard, source: links.source }),
    ...(service ? { service } : {}),
  };
}

export const generic: SourceModule<GenericPayload, GenericAlert> = {
  name: 'generic',
  schema: genericSchema,
  split: (payload) => ({ items: Array.isArray(payload) ? payload : [payload] }),
  groupKey: keyOf,
  isResolved: (alert) => alert.status === 'resolved',
  normalize: draftOf,
};

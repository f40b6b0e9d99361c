// Alerts (GLOSSARY.md "Alert"): the one shape every monitoring source's payload is normalised into
// before anything else sees it, and the contract a source module meets. A source module
// (handlers/alerts/<source>.ts) is its schema, the rule that splits a payload into alerts, its
// grouping key, its resolve rule and its normalisation: nothing else (no auth, no storage, no Slack).
// Pure: "now" is the time the payload was received, an argument.
import type { ZodType } from 'zod';

export const ALERT_SOURCES = [
  'alertmanager',
  'grafana',
  'datadog',
  'cloudwatch',
  'sentry',
  'generic',
] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Most severe first. Each source documents its mapping onto these four in its module. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a person goes next; each an absolute http(s) URL (anything else is dropped). */
export interface AlertLinks {
  runbook?: string;
  dashboard?: string;
  /** The alert in the system that raised it (Prometheus graph, Grafana rule, Datadog monitor, ...). */
  source?: string;
}

/** One alert as toban knows it, whichever system sent it. */
export interface NormalizedAlert {
  source: AlertSource;
  /**
   * Identifies this alert within its source, stable across its firing and resolved deliveries
   * (Alertmanager's label fingerprint, a CloudWatch alarm's ARN, a Sentry issue id, ...).
   */
  fingerprint: string;
  /**
   * The source's grouping key: alerts with the same key (within a source) are one alert group.
   * Stable across firing and resolved of the same alert.
   */
  groupKey: string;
  status: AlertStatus;
  severity: Severity;
  /** One line, what the alert is (e.g. the Prometheus alertname, the alarm name). */
  title: string;
  /** One sentence more, where the source gives one. */
  summary?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the problem began, as the source reports it (the receive time where it reports none). */
  startsAt: Date;
  /** When it resolved: resolved alerts only. */
  endsAt?: Date;
  links: AlertLinks;
  /** The service it concerns (usually the `service` label), for routing and storm summaries. */
  service?: string;
}

/**
 * Something a payload asks of toban besides alerts: Amazon SNS asks an endpoint to confirm (or tells
 * it of the end of) a subscription. The intake confirms through the outbox by a GET of subscribeUrl.
 */
export type SourceControl = {
  kind: 'sns-subscription-confirmation' | 'sns-unsubscribe-confirmation';
  /** SNS's MessageId: the same for a re-delivery of the message. */
  messageId: string;
  topicArn: string;
  subscribeUrl: string;
  token: string;
};

/** What one payload yields. */
export interface Normalization {
  alerts: NormalizedAlert[];
  /** Alerts the sender left out of the payload (Alertmanager's `truncatedAlerts`, `max_alerts`). */
  truncated: number;
  control?: SourceControl;
}

/**
 * Bounds on what one alert carries, in characters (UTF-16 code units), so that a key fits a database
 * index and a title a Slack header. Longer keys are replaced by a digest of themselves (stable), longer
 * texts cut with an ellipsis: handlers/alerts/index.ts applies them.
 */
export const ALERT_LIMITS = { key: 512, title: 500, summary: 3_000 } as const;

/** An alert before the source's two rules give it its group and status. */
export type AlertDraft = Omit<NormalizedAlert, 'source' | 'groupKey' | 'status'>;

/**
 * A monitoring source. `P` is the payload as the schema yields it, `I` one alert inside it (for a
 * source that sends one alert per request, a view of the whole payload).
 */
export interface SourceModule<P, I> {
  readonly name: AlertSource;
  /** The payload's shape; an error is answered 400 naming the field (handlers/alerts/describe-issue.ts). */
  readonly schema: ZodType<P>;
  /** The payload's alerts, how many the sender left out, and any control message it carries. */
  split(payload: P): { items: readonly I[]; truncated?: number; control?: SourceControl };
  /** The grouping rule: which alerts are one alert group. */
  groupKey(item: I): string;
  /** The resolve rule: whether this delivery says the alert is over. */
  isResolved(item: I): boolean;
  /** Everything else about the alert. `receivedAt` stands in for times the payload does not give. */
  normalize(item: I, receivedAt: Date): AlertDraft;
}

/** A payload, already checked by `module.schema`, as normalised alerts: the two rules applied to each. */
export function normalizePayload<P, I>(
  module: SourceModule<P, I>,
  payload: P,
  receivedAt: Date,
): Normalization {
  const { items, truncated = 0, control } = module.split(payload);
  const alerts = items.map((item): NormalizedAlert => {
    const status: AlertStatus = module.isResolved(item) ? 'resolved' : 'firing';
    const { endsAt, ...draft } = module.normalize(item, receivedAt);
    const groupKey = module.groupKey(item);
    return {
      source: module.name,
      groupKey,
      status,
      ...draft,
      // Never an empty title: a source's own fields can all be blank.
      title: draft.title.trim() || `${module.name}: ${groupKey}`,
      ...(status === 'resolved' ? { endsAt: endsAt ?? receivedAt } : {}),
    };
  });
  return { alerts, truncated, ...(control ? { control } : {}) };
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  page: 'critical',
  p1: 'critical',
  sev1: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  sev2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  p3: 'warning',
  sev3: 'warning',
  info: 'info',
  informational: 'info',
  notice: 'info',
  low: 'info',
  debug: 'info',
  none: 'info',
  p4: 'info',
  p5: 'info',
};

/**
 * The severity a word names, case and surrounding space ignored: the Prometheus convention
 * (critical / warning / info), syslog's, Sentry's levels (fatal / error / warning / info / debug),
 * priorities P1–P5 and SEV1–3. Undefined for a word none of these use.
 */
export function severityFromWord(word: string | undefined): Severity | undefined {
  if (word === undefined) return undefined;
  const key = word.trim().toLowerCase();
  return Object.hasOwn(SEVERITY_WORDS, key) ? SEVERITY_WORDS[key] : undefined;
}

/** `text` if it is an absolute http or https URL, else undefined (links go to Slack as they are). */
export function httpUrl(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    // Its serialization, not the text: `<`, `>` and spaces percent-encoded (views/alert-group.ts linkTarget).
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The links that are http(s) URLs; the others are left out. */
export function alertLinks(links: Record<keyof AlertLinks, string | null | undefined>): AlertLinks {
  const out: AlertLinks = {};
  for (const key of ['runbook', 'dashboard', 'source'] as const) {
    const url = httpUrl(links[key]);
    if (url) out[key] = url;
  }
  return out;
}

/**
 * A time from a payload: an RFC 3339 text or epoch milliseconds. Undefined for Go's zero time
 * (`0001-01-01T00:00:00Z`, what Alertmanager and Grafana send as the end of a firing alert) and for
 * anything not a time between the years 1970 and 9999.
 */
export function payloadTime(value: string | number | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0 || ms >= 253_402_300_800_000) return undefined;
  return new Date(ms);
}

/** The first of `values` that is a non-empty string (after trimming). */
export function firstText(...values: (string | null | undefined)[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

// The alert sources toban takes at POST /hooks/alerts/:source, by name, and the one function the
// intake calls: a parsed JSON body in, normalised alerts or the 400's sentence out. Authentication
// (token, Grafana / Sentry HMAC, SNS signature) comes before this and is the intake's; so are
// storage, grouping and Slack.
import {
  ALERT_LIMITS,
  ALERT_SOURCES,
  normalizePayload,
  type AlertSource,
  type Normalization,
  type NormalizedAlert,
  type SourceModule,
} from '../../src/domain/alert.ts';
import { alertmanager } from './alertmanager.ts';
import { cloudwatch } from './cloudwatch.ts';
import { datadog } from './datadog.ts';
import { shortDigest } from './common.ts';
import { describeIssue } from './describe-issue.ts';
import { generic } from './generic.ts';
import { grafana } from './grafana.ts';
import { sentry } from './sentry.ts';

/** What a payload comes to: its alerts, or why it was refused (a 400's `error`, naming the field). */
export type PayloadResult = ({ ok: true } & Normalization) | { ok: false; error: string };

/** A source module with its types closed over: what the intake holds. */
export interface AlertIntake {
  readonly name: AlertSource;
  /** `body`: the request's JSON, parsed. `receivedAt`: when the request arrived. Never throws. */
  parse(body: unknown, receivedAt: Date): PayloadResult;
}

export function intakeOf<P, I>(module: SourceModule<P, I>): AlertIntake {
  return {
    name: module.name,
    parse(body, receivedAt) {
      const parsed = module.schema.safeParse(body);
      if (!parsed.success) return { ok: false, error: describeIssue(parsed.error) };
      const normalized = normalizePayload(module, parsed.data, receivedAt);
      return { ok: true, ...normalized, alerts: normalized.alerts.map(bounded) };
    },
  };
}

/** The alert within ALERT_LIMITS: an over-long key becomes its head and a digest of the whole. */
function bounded(alert: NormalizedAlert): NormalizedAlert {
  const key = (k: string) =>
    k.length <= ALERT_LIMITS.key ? k : `${k.slice(0, 400)}…sha256:${shortDigest(k)}`;
  const cut = (t: string, max: number) => (t.length <= max ? t : `${t.slice(0, max - 1)}…`);
  return {
    ...alert,
    fingerprint: key(alert.fingerprint),
    groupKey: key(alert.groupKey),
    title: cut(alert.title, ALERT_LIMITS.title),
    ...(alert.summary === undefined ? {} : { summary: cut(alert.summary, ALERT_LIMITS.summary) }),
  };
}

export const ALERT_INTAKES: Readonly<Record<AlertSource, AlertIntake>> = {
  alertmanager: intakeOf(alertmanager),
  grafana: intakeOf(grafana),
  datadog: intakeOf(datadog),
  cloudwatch: intakeOf(cloudwatch),
  sentry: intakeOf(sentry),
  generic: intakeOf(generic),
};

/** The intake for `:source`, or undefined (a 404) for a name toban does not know. */
export function alertIntake(source: string): AlertIntake | undefined {
  return (ALERT_SOURCES as readonly string[]).includes(source)
    ? ALERT_INTAKES[source as AlertSource]
    : undefined;
}

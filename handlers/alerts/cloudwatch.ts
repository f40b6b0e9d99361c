// Amazon CloudWatch alarms, delivered by an Amazon SNS topic to an HTTPS subscription: an SNS
// envelope (sns.ts) whose Message is the alarm as JSON text
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html; SNS
// envelope: https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html). Fixtures:
// test/fixtures/alerts/cloudwatch-sns-*.json and sns-subscription-confirmation.json, real deliveries.
// A SubscriptionConfirmation or UnsubscribeConfirmation carries no alert: it yields a control
// message the intake answers (confirming through the outbox). A Message that is not a CloudWatch
// alarm is refused (400 naming `Message`): this endpoint is for alarms only. The subscription must
// keep SNS's envelope: with raw message delivery on, the body is the bare alarm with no signature,
// and it is refused (400 naming `Type`).
//
// Grouping: the alarm's ARN (AlarmArn), else account, region and AlarmName: one alarm, one group;
// the same for its ALARM and OK notifications. Fingerprint: the same.
// Resolve: NewStateValue is OK. ALARM and INSUFFICIENT_DATA are firing.
// Severity: CloudWatch has none. ALARM → error, INSUFFICIENT_DATA → warning; OK keeps error (the
// alarm's severity does not change when it clears).
import { z } from 'zod';
import {
  alertLinks,
  firstText,
  payloadTime,
  type AlertDraft,
  type SourceModule,
} from '../../src/domain/alert.ts';
import { timeText } from './common.ts';
import { snsConfirmationSchema, snsNotificationSchema, type SnsEnvelope } from './sns.ts';

const text = z.string().nullish();

/** The alarm state change CloudWatch publishes (the fields toban reads; others are kept out). */
export const cloudWatchAlarmSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: text,
  AWSAccountId: text,
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: text,
  // "2024-09-09T01:59:07.423+0000": RFC 3339 but for the offset's missing colon.
  StateChangeTime: timeText,
  Region: text,
  AlarmArn: text,
  OldStateValue: text,
  Trigger: z
    .object({
      MetricName: text,
      Namespace: text,
      Dimensions: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    })
    .nullish(),
});
export type CloudWatchAlarm = z.infer<typeof cloudWatchAlarmSchema>;

const notificationWithAlarm = snsNotificationSchema.transform((envelope, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope.Message);
  } catch {
    ctx.issues.push({
      code: 'custom',
      message: 'expected a CloudWatch alarm as JSON text',
      input: envelope.Message,
      path: ['Message'],
    });
    return z.NEVER;
  }
  const alarm = cloudWatchAlarmSchema.safeParse(parsed);
  if (!alarm.success) {
    // The alarm's problems, their paths under Message (`Message.NewStateValue: expected one of ...`).
    for (const issue of alarm.error.issues)
      ctx.issues.push({ ...issue, path: ['Message', ...issue.path] } as (typeof ctx.issues)[number]);
    return z.NEVER;
  }
  return { envelope, alarm: alarm.data };
});

const confirmation = snsConfirmationSchema.transform((envelope) => ({ envelope, alarm: null }));

/** The SNS envelope (for its signature: sns.ts verifySnsSignature) and, in a Notification, the alarm. */
export const cloudWatchSchema = z.discriminatedUnion('Type', [notificationWithAlarm, confirmation]);
export type CloudWatchPayload = { envelope: SnsEnvelope; alarm: CloudWatchAlarm | null };

/** The alarm's region code and partition, from its ARN (`arn:aws:cloudwatch:ap-northeast-1:...`). */
function arnParts(arn: string | null | undefined): { partition: string; region: string } | undefined {
  const m = /^arn:(aws[a-z-]*):[a-z0-9-]+:([a-z0-9-]+):/.exec(arn ?? '');
  return m?.[1] && m[2] ? { partition: m[1], region: m[2] } : undefined;
}

/** The alarm's page in the CloudWatch console (standard and China partitions). */
function consoleUrl(alarm: CloudWatchAlarm): string | undefined {
  const arn = arnParts(alarm.AlarmArn);
  const host =
    arn?.partition === 'aws'
      ? 'console.aws.amazon.com'
      : arn?.partition === 'aws-cn'
        ? 'console.amazonaws.cn'
        : undefined;
  if (!arn || !host) return undefined;
  try {
    return `https://${host}/cloudwatch/home?region=${arn.region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
  } catch {
    return undefined; // a name with a lone surrogate cannot be put in a URL (URIError)
  }
}

function groupKeyOf(alarm: CloudWatchAlarm): string {
  return firstText(alarm.AlarmArn) ?? `${alarm.AWSAccountId ?? ''}:${alarm.Region ?? ''}:${alarm.AlarmName}`;
}

function draftOf(alarm: CloudWatchAlarm, receivedAt: Date): AlertDraft {
  const region = arnParts(alarm.AlarmArn)?.region ?? firstText(alarm.Region);
  const fixed: [string, string | null | undefined][] = [
    ['alertname', alarm.AlarmName],
    ['region', region],
    ['account', alarm.AWSAccountId],
    ['namespace', alarm.Trigger?.Namespace],
    ['metric', alarm.Trigger?.MetricName],
  ];
  const labels = new Map<string, string>();
  for (const d of alarm.Trigger?.Dimensions ?? []) if (d.name) labels.set(d.name, d.value);
  for (const [k, v] of fixed) if (typeof v === 'string' && v !== '') labels.set(k, v);
  const annotations = new Map<string, string>();
  if (alarm.AlarmDescription) annotations.set('description', alarm.AlarmDescription);
  if (alarm.NewStateReason) annotations.set('reason', alarm.NewStateReason);
  if (alarm.OldStateValue) annotations.set('previous_state', alarm.OldStateValue);
  const at = payloadTime(alarm.StateChangeTime) ?? receivedAt;
  const summary = firstText(alarm.AlarmDescription, alarm.NewStateReason);
  return {
    fingerprint: groupKeyOf(alarm),
    severity: alarm.NewStateValue === 'INSUFFICIENT_DATA' ? 'warning' : 'error',
    title: alarm.AlarmName,
    ...(summary ? { summary } : {}),
    labels: Object.fromEntries(labels),
    annotations: Object.fromEntries(annotations),
    startsAt: at,
    endsAt: at,
    links: alertLinks({ runbook: undefined, dashboard: undefined, source: consoleUrl(alarm) }),
  };
}

export const cloudwatch: SourceModule<CloudWatchPayload, CloudWatchAlarm> = {
  name: 'cloudwatch',
  schema: cloudWatchSchema,
  split: ({ envelope, alarm }) => {
    if (envelope.Type === 'Notification') return { items: alarm ? [alarm] : [] };
    const kind =
      envelope.Type === 'SubscriptionConfirmation'
        ? 'sns-subscription-confirmation'
        : 'sns-unsubscribe-confirmation';
    return {
      items: [],
      control: {
        kind,
        messageId: envelope.MessageId,
        topicArn: envelope.TopicArn,
        subscribeUrl: envelope.SubscribeURL,
        token: envelope.Token,
      },
    };
  },
  groupKey: groupKeyOf,
  isResolved: (alarm) => alarm.NewStateValue === 'OK',
  normalize: draftOf,
};

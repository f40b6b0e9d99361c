// Amazon SNS deliveries to the cloudwatch source: the signature check the HTTP route runs before the
// intake's transaction, and the outbox row a SubscriptionConfirmation becomes. AWS:
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html and
// https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html.
//
// Answers (docs/alerts/intake.md, "CloudWatch (Amazon SNS)"): a body that is no SNS envelope is
// 400 naming the field, as the intake says it; a SigningCertURL toban may not fetch is 400 naming
// it; a TopicArn outside toban.yml alerts.sns_topics, a signature that does not verify, an unknown
// SignatureVersion or an expired certificate is 401 naming the field; a certificate that could not
// be fetched is 503, nothing stored, so SNS retries.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../core/context.ts';
import type { SourceControl } from '../../domain/alert.ts';
import { describeIssue } from '../../../handlers/alerts/describe-issue.ts';
import {
  snsConfirmationSchema,
  snsNotificationSchema,
  verifySnsSignature,
  type SnsEnvelope,
} from '../../../handlers/alerts/sns.ts';
import { SnsRequestError, type SnsClient } from '../../integrations/sns/client.ts';
import type { OutboxItem } from '../../outbox/kinds/index.ts';

const envelopeSchema = z.discriminatedUnion('Type', [snsNotificationSchema, snsConfirmationSchema]);

export type SnsCheck =
  | { ok: true; envelope: SnsEnvelope }
  | { ok: false; status: 400 | 401 | 503; error: string; log: Record<string, unknown> };

/**
 * Checks an SNS message's signature against the certificate at its SigningCertURL (fetched through
 * `sns`, cached). First refuses (401) a TopicArn outside `topics` (toban.yml alerts.sns_topics)
 * when that list is not empty.
 * @param body the request's JSON body
 * @returns ok with the envelope; else the status and the sentence to answer (400 naming the field
 *   for a body that is no SNS message, as the intake would).
 * Never throws for anything the sender controls.
 */
export async function checkSnsSignature(
  sns: SnsClient,
  body: unknown,
  topics: readonly string[] = [],
): Promise<SnsCheck> {
  const parsed = envelopeSchema.safeParse(body);
  // The intake's sentence (its cloudwatch schema is built on the same envelopes); nothing unchecked
  // goes on to the intake.
  if (!parsed.success) return { ok: false, status: 400, error: describeIssue(parsed.error), log: {} };
  const envelope = parsed.data;
  const log = { messageId: envelope.MessageId, topicArn: envelope.TopicArn, type: envelope.Type };
  // Before any fetch: a topic toban does not take costs no request to AWS.
  if (topics.length > 0 && !topics.includes(envelope.TopicArn))
    return { ok: false, status: 401, error: 'TopicArn: not in toban.yml alerts.sns_topics', log };
  let certificate;
  try {
    certificate = await sns.signingCertificate(envelope.SigningCertURL);
  } catch (err) {
    const reason = err instanceof SnsRequestError ? err.reason : 'network';
    if (reason === 'refused-url')
      return {
        ok: false,
        status: 400,
        error: 'SigningCertURL: expected https://sns.<region>.amazonaws.com/….pem',
        log,
      };
    if (reason === 'expired')
      return { ok: false, status: 401, error: 'Signature: the signing certificate has expired', log };
    // Timeout, network, a non-2xx answer, no certificate in it: nothing is stored and SNS retries.
    return {
      ok: false,
      status: 503,
      error: 'SigningCertURL: the signing certificate could not be fetched; retry later',
      log: { ...log, cause: (err as Error)?.message },
    };
  }
  const verdict = verifySnsSignature(envelope, certificate.toString());
  if (!verdict.ok)
    return {
      ok: false,
      status: 401,
      error:
        verdict.reason === 'unsupported-version'
          ? 'SignatureVersion: expected 1 or 2'
          : 'Signature: does not verify with the certificate at SigningCertURL',
      log: { ...log, reason: verdict.reason },
    };
  return { ok: true, envelope };
}

/** `text` as part of an outbox key: SNS's ids are short (a UUID, an ARN); a longer one, its digest. */
function keyPart(text: string): string {
  return text.length <= 256 ? text : `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`;
}

/**
 * The outbox rows a verified control message becomes: a SubscriptionConfirmation, one
 * `sns.subscription-confirm` row keyed by its MessageId (a re-delivered confirmation is confirmed
 * once); an UnsubscribeConfirmation, none (the subscription is already gone; its payload is kept).
 */
export function snsControlItems(control: SourceControl): OutboxItem[] {
  if (control.kind !== 'sns-subscription-confirmation') return [];
  return [
    {
      kind: 'sns.subscription-confirm',
      orderingKey: `sns:${keyPart(control.topicArn)}`,
      idempotencyKey: `sns-confirm:${keyPart(control.messageId)}`,
      payload: { topicArn: control.topicArn, subscribeUrl: control.subscribeUrl },
    },
  ];
}

/** Logs a control message the intake took (what an operator looks for while subscribing). */
export function logSnsControl(ctx: Pick<AppContext, 'log'>, control: SourceControl): void {
  ctx.log.info(
    { control: control.kind, topicArn: control.topicArn, messageId: control.messageId },
    control.kind === 'sns-subscription-confirmation'
      ? 'alerts: SNS subscription confirmation verified; confirming it through the outbox'
      : 'alerts: SNS unsubscribe confirmation verified; nothing to do',
  );
}

// sns.subscription-confirm: confirms an Amazon SNS subscription to toban's cloudwatch endpoint by a
// GET of the SubscriptionConfirmation's SubscribeURL (AWS: "Confirm the subscription",
// https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html). Written by the intake
// only after the message's signature verified (services/alerts/sns.ts), with the MessageId as its
// idempotency key, so a re-delivered confirmation is one row. 2xx: done; 4xx: permanent (the token
// expired after 3 days, or the topic is gone); 429, 5xx, timeout: retried by the outbox's rules.
import { z } from 'zod';
import { isSnsHostUrl } from '../../../handlers/alerts/sns.ts';
import { defineSnsKind } from './kind.ts';

export const snsSubscriptionConfirm = defineSnsKind({
  kind: 'sns.subscription-confirm',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: confirming a confirmed subscription again leaves it confirmed',
  calls: 1,
  payload: z.object({
    topicArn: z.string().min(1),
    /** Checked again here: the row must never make toban GET a URL off SNS. */
    subscribeUrl: z.string().refine(isSnsHostUrl, 'an https URL on sns.<region>.amazonaws.com'),
  }),
  refs: () => ({}),
  async sns(_row, p, sns) {
    const status = await sns.client.confirmSubscription(p.subscribeUrl, sns.signal);
    return { result: { confirmed: p.topicArn, status } };
  },
});

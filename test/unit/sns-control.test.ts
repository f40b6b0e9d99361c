// The outbox rows a verified SNS control message becomes (services/alerts/sns.ts): a
// SubscriptionConfirmation, one sns.subscription-confirm row keyed by its MessageId, which the
// outbox's own check takes; an UnsubscribeConfirmation, none; an id too long for a key, its digest.
import { describe, expect, it } from 'vitest';
import type { SourceControl } from '../../src/domain/alert.ts';
import { outboxRow } from '../../src/outbox/enqueue.ts';
import { snsControlItems } from '../../src/services/alerts/sns.ts';

const control: SourceControl = {
  kind: 'sns-subscription-confirmation',
  messageId: '05f1d07e-e5eb-4c18-a725-084892cb8eac',
  topicArn: 'arn:aws:sns:ap-southeast-2:123456789012:alarms',
  subscribeUrl: 'https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription&Token=ab',
  token: 'ab',
};

describe('snsControlItems', () => {
  it('confirms a subscription once per MessageId', () => {
    const [item, ...rest] = snsControlItems(control);
    expect(rest).toEqual([]);
    expect(outboxRow(item!, 'slack')).toMatchObject({
      kind: 'sns.subscription-confirm',
      idempotencyKey: 'sns-confirm:05f1d07e-e5eb-4c18-a725-084892cb8eac',
      orderingKey: 'sns:arn:aws:sns:ap-southeast-2:123456789012:alarms',
      payload: { topicArn: control.topicArn, subscribeUrl: control.subscribeUrl },
    });
  });

  it('keys an over-long MessageId by its digest, the same for the same id', () => {
    const long = { ...control, messageId: 'x'.repeat(5_000) };
    const key = snsControlItems(long)[0]!.idempotencyKey!;
    expect(key).toMatch(/^sns-confirm:sha256:[0-9a-f]{64}$/);
    expect(snsControlItems({ ...long })[0]!.idempotencyKey).toBe(key);
  });

  it('writes nothing for an UnsubscribeConfirmation', () => {
    expect(snsControlItems({ ...control, kind: 'sns-unsubscribe-confirmation' })).toEqual([]);
  });
});

// Silences shown on alert groups (services/alerts/silence-groups.ts, views/alert-group.ts): which
// silence a group shows (a local mute holds every source, an Alertmanager silence only Alertmanager's
// groups; of several, the one ending last), and how the message and thread say it, in ja and en.
import { describe, expect, it } from 'vitest';
import type { SilenceRow } from '../../src/db/alert-silences.ts';
import type { AlertGroup } from '../../src/domain/alert-group.ts';
import { silenceFor, silenceHolds } from '../../src/services/alerts/silence-groups.ts';
import { alertGroupMessage, alertGroupThreadLine } from '../../src/views/alert-group.ts';

const now = new Date('2026-11-30T13:40:00Z');
const silence = (
  id: string,
  backend: SilenceRow['backend'],
  endsAt: string,
  value = 'billing',
): SilenceRow => ({
  id,
  backend,
  matchers: [{ name: 'service', op: '=', value }],
  startsAt: new Date('2026-11-30T13:00:00Z'),
  endsAt: new Date(endsAt),
  createdBy: 'U0BBB',
  comment: '',
  createOutboxId: null,
  expiredAt: null,
  expiredBy: null,
});

describe('silenceHolds / silenceFor', () => {
  const billing = { service: 'billing', env: 'prod' };
  it('holds a group of any source with a local mute, only Alertmanager groups with an Alertmanager silence', () => {
    expect(
      silenceHolds(silence('1', 'local', '2026-11-30T15:00:00Z'), { source: 'grafana', labels: billing }),
    ).toBe(true);
    expect(
      silenceHolds(silence('1', 'alertmanager', '2026-11-30T15:00:00Z'), {
        source: 'grafana',
        labels: billing,
      }),
    ).toBe(false);
    expect(
      silenceHolds(silence('1', 'alertmanager', '2026-11-30T15:00:00Z'), {
        source: 'alertmanager',
        labels: billing,
      }),
    ).toBe(true);
    expect(
      silenceHolds(silence('1', 'local', '2026-11-30T15:00:00Z', 'payouts'), {
        source: 'generic',
        labels: billing,
      }),
    ).toBe(false);
  });

  it('picks the silence that ends last among those holding the group', () => {
    const all = [
      silence('1', 'local', '2026-11-30T15:00:00Z'),
      silence('2', 'local', '2026-11-30T18:00:00Z'),
      silence('3', 'local', '2026-11-30T20:00:00Z', 'payouts'),
    ];
    expect(silenceFor(all, { source: 'generic', labels: { service: 'billing' } })?.id).toBe('2');
    expect(silenceFor(all, { source: 'generic', labels: { service: 'ledger' } })).toBeUndefined();
  });
});

describe('the message and thread', () => {
  const group: AlertGroup = {
    id: '42',
    source: 'generic',
    groupKey: 'k',
    state: 'open',
    openedAt: new Date('2026-11-30T13:30:00Z'),
    channel: 'C0ALERTS',
    severity: 'critical',
    title: 'Lag',
    labels: { service: 'billing' },
    links: {},
    firingCount: 1,
    resolvedCount: 0,
    firstSeen: new Date('2026-11-30T13:30:00Z'),
    lastSeen: new Date('2026-11-30T13:30:00Z'),
    escalationStep: 0,
    version: 2,
    silencedUntil: new Date('2026-11-30T15:40:00Z'),
    silencedBy: 'U0BBB',
  };
  it('shows until when and by whom while the silence lasts, nothing after', () => {
    expect(JSON.stringify(alertGroupMessage(group, 'en', 'Asia/Tokyo', now).blocks)).toContain(
      ':mute: Silenced until Tue 1 Dec 00:40, by <@U0BBB>',
    );
    expect(JSON.stringify(alertGroupMessage(group, 'ja', 'Asia/Tokyo', now).blocks)).toContain(
      '（<@U0BBB> さん）',
    );
    const later = new Date('2026-11-30T15:41:00Z');
    expect(JSON.stringify(alertGroupMessage(group, 'en', 'Asia/Tokyo', later).blocks)).not.toContain(
      'Silenced',
    );
  });

  it('says in the thread that the silence ended, with its matchers', () => {
    const change = { kind: 'silence_ended' as const, at: now, matchers: 'service=billing' };
    expect(alertGroupThreadLine(change, 'en', 'Asia/Tokyo', now).text).toMatch(
      /^:loud_sound: The silence `service=billing` ended \(.+\)\.$/,
    );
    expect(alertGroupThreadLine(change, 'ja', 'Asia/Tokyo', now).text).toContain(
      'サイレンス `service=billing` が終了しました',
    );
  });
});

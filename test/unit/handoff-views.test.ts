// The handoff's announcement and DM (views/handoff.ts): who hands over to whom, for whom an override
// or cover stands in, what is open, the shift on the rotation's and the business wall clock.
import { describe, expect, it } from 'vitest';
import { handoffAnnouncement, handoffDm, type HandoffModel } from '../../src/views/handoff.ts';

const NOW = new Date('2026-03-08T12:00:00Z');

const model = (over: Partial<HandoffModel> = {}): HandoffModel => ({
  rotationName: 'NY on-call',
  timeZone: 'America/New_York',
  outgoing: 'U0AAA',
  incoming: 'U0BBB',
  reason: 'schedule',
  scheduledUserId: 'U0BBB',
  start: new Date('2026-03-08T07:30:00Z'),
  end: new Date('2026-03-09T06:30:00Z'),
  open: { alertGroups: [], investigations: [], investigationsTotal: 0 },
  ...over,
});

const inv = (id: string, over: object = {}) => ({
  id,
  assignee: 'U0DDD',
  customer: 'Acme',
  status: 'taken' as const,
  deadline: new Date('2026-03-10T09:00:00Z'),
  urgency: 'normal' as const,
  ...over,
});

describe('handoff announcement', () => {
  it('names both people and says when nothing is open, in either language', () => {
    expect(handoffAnnouncement(model(), 'en', 'Asia/Tokyo', NOW).text).toBe(
      ':arrows_counterclockwise: *NY on-call*: <@U0AAA> hands over to <@U0BBB> (until Mon 9 Mar 15:30).\n*Open now*\nNothing is open.',
    );
    expect(handoffAnnouncement(model(), 'ja', 'Asia/Tokyo', NOW).text).toContain(
      '<@U0AAA> から <@U0BBB> に交代しました（3/9(月) 15:30 まで）。',
    );
  });

  it('marks a cover, lists investigations with who holds them, alert groups first, and counts the rest', () => {
    const m = model({
      reason: 'cover',
      incoming: 'U0LEAD',
      scheduledUserId: 'U0BBB',
      open: {
        alertGroups: [{ id: '1', title: 'payments 5xx' }],
        investigations: [
          inv('7'),
          inv('8', { status: 'open', assignee: null, urgency: 'urgent', customer: 'A\n  B' }),
        ],
        investigationsTotal: 5,
      },
    });
    const { text, blocks } = handoffAnnouncement(m, 'en', 'Asia/Tokyo', NOW);
    expect(text.split('\n')).toEqual([
      ':arrows_counterclockwise: *NY on-call*: <@U0AAA> hands over to <@U0LEAD> (covering for <@U0BBB>) (until Mon 9 Mar 15:30).',
      '*Open now*',
      '• :rotating_light: payments 5xx',
      '• INV-7 Acme  due Tue 10 Mar 18:00  taken by <@U0DDD>',
      '• :rotating_light: INV-8 A B  due Tue 10 Mar 18:00  nobody assigned',
      '…and 3 more',
    ]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });
});

describe('handoff DM', () => {
  it('gives the shift on the rotation’s wall clock, and on the business one when it differs', () => {
    expect(handoffDm(model(), 'en', 'Asia/Tokyo', NOW).text.split('\n').slice(0, 3)).toEqual([
      'You are on duty in *NY on-call*: Sun 8 Mar 03:30 – Mon 9 Mar 02:30 (America/New_York).',
      'In Asia/Tokyo: Sun 8 Mar 16:30 – Mon 9 Mar 15:30.',
      'You take over from <@U0AAA>.',
    ]);
    const tokyo = handoffDm(model({ timeZone: 'Asia/Tokyo' }), 'ja', 'Asia/Tokyo', NOW).text;
    expect(tokyo.split('\n')[0]).toBe(
      '*NY on-call* の当番です: 3/8(日) 16:30 〜 3/9(月) 15:30（Asia/Tokyo）。',
    );
    expect(tokyo).not.toContain('Asia/Tokyo では');
  });
});

// The alert group's Slack message (issue 9 item 5): what the on-call engineer needs to act, and
// the buttons under their stable action ids while the group is open.
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { AlertGroup } from '../../src/domain/alert-group.ts';
import {
  ALERT_ACTIONS,
  alertGroupMessage,
  alertGroupThreadLine,
  SEVERITY_EMOJI,
} from '../../src/views/alert-group.ts';

const now = new Date('2026-11-30T13:40:00Z');
const group: AlertGroup = {
  id: '42',
  source: 'alertmanager',
  groupKey: '{}:{alertname="DiskFull"}',
  state: 'open',
  openedAt: new Date('2026-11-30T13:30:00Z'),
  channel: 'C0FINANCE',
  policy: 'default',
  severity: 'critical',
  title: 'DiskFull',
  summary: 'Disk 95% full on db-1 <!channel>',
  service: 'billing',
  labels: { alertname: 'DiskFull', service: 'billing', instance: 'db-1:9100' },
  links: { runbook: 'https://example.invalid/runbook', source: 'http://prom:9090/graph' },
  firingCount: 2,
  resolvedCount: 1,
  firstSeen: new Date('2026-11-30T13:30:00Z'),
  lastSeen: new Date('2026-11-30T13:35:00Z'),
  escalationStep: 0,
  version: 3,
};

const text = (blocks: KnownBlock[] | undefined) => JSON.stringify(blocks);
const actionIds = (blocks: KnownBlock[] | undefined) =>
  (blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b as { elements: { action_id: string; value: string }[] }).elements);

describe('alertGroupMessage', () => {
  it('shows severity, title, summary, source, counts, times, labels and links', () => {
    const m = alertGroupMessage(group, 'en', 'Asia/Tokyo', now);
    expect(m.text).toContain(SEVERITY_EMOJI.critical);
    expect(m.text).toContain('DiskFull');
    const all = text(m.blocks);
    expect(all).toContain('*2* firing · *1* resolved');
    expect(all).toContain('alertmanager · billing');
    expect(all).toContain('First seen Mon 30 Nov 22:30'); // Asia/Tokyo
    expect(all).toContain('last seen Mon 30 Nov 22:35');
    expect(all).toContain('`service=billing`');
    expect(all).toContain('<https://example.invalid/runbook|Runbook>');
    expect(all).toContain('<http://prom:9090/graph|Source>');
    expect(all).not.toContain('dashboard');
    // A summary from the monitoring system cannot notify the channel.
    expect(all).toContain('&lt;!channel&gt;');
  });

  it("keeps a sender's link inside its <url|label>: it cannot mention anyone nor add a link of its own", () => {
    const hostile: AlertGroup = {
      ...group,
      summary: 'quiet',
      links: {
        runbook: 'https://x.invalid/a><!channel> <@U0LEAD> <https://evil.invalid|Click to fix><x',
        dashboard: 'https://wiki.invalid/rb?a=1&b=2|fake',
        source: 'javascript:alert(1)',
      },
    };
    const all = text(alertGroupMessage(hostile, 'en', 'Asia/Tokyo', now).blocks);
    expect(all).not.toMatch(/<!channel>|<!here>|<@U0LEAD>|<https:\/\/evil/);
    expect(all).toContain(
      '<https://x.invalid/a%3E%3C!channel%3E%20%3C@U0LEAD%3E%20%3Chttps://evil.invalid%7CClick%20to%20fix%3E%3Cx|Runbook>',
    );
    expect(all).toContain('<https://wiki.invalid/rb?a=1&amp;b=2%7Cfake|Dashboard>');
    expect(all).not.toContain('javascript');
  });

  it("escapes the sender's title in the fallback text Slack shows in notifications", () => {
    const m = alertGroupMessage(
      { ...group, title: '<!channel> <@U0AAA> & <https://evil|click>' },
      'en',
      'Asia/Tokyo',
      now,
    );
    expect(m.text).toContain('&lt;!channel&gt; &lt;@U0AAA&gt; &amp; &lt;https://evil|click&gt;');
    expect(m.text).not.toContain('<!channel>');
  });

  it('renders the five buttons under the stable action ids, each carrying the group id', () => {
    const elements = actionIds(alertGroupMessage(group, 'ja', 'Asia/Tokyo', now).blocks);
    expect(elements.map((e) => e.action_id)).toEqual([
      ALERT_ACTIONS.acknowledge,
      ALERT_ACTIONS.resolve,
      ALERT_ACTIONS.silence,
      ALERT_ACTIONS.declareIncident,
      ALERT_ACTIONS.fileTicket,
    ]);
    expect(new Set(elements.map((e) => e.value))).toEqual(new Set(['42']));
  });

  it('says who acknowledged and when, the silence and the escalation step; no Acknowledge button then', () => {
    const m = alertGroupMessage(
      {
        ...group,
        acknowledgedBy: 'U0AAA',
        acknowledgedAt: new Date('2026-11-30T13:36:00Z'),
        silencedUntil: new Date('2026-11-30T14:36:00Z'),
        escalationStep: 2,
      },
      'en',
      'Asia/Tokyo',
      now,
    );
    const all = text(m.blocks);
    expect(all).toContain('Acknowledged by <@U0AAA> Mon 30 Nov 22:36');
    expect(all).toContain('Silenced until Mon 30 Nov 23:36');
    expect(all).toContain('Escalation step 2');
    expect(actionIds(m.blocks).map((e) => e.action_id)).not.toContain(ALERT_ACTIONS.acknowledge);
  });

  it('shows a resolved group green, with when, and without buttons', () => {
    const m = alertGroupMessage(
      { ...group, state: 'resolved', resolvedAt: new Date('2026-11-30T13:39:00Z'), firingCount: 0 },
      'en',
      'Asia/Tokyo',
      now,
    );
    expect(m.text).toContain(':large_green_circle:');
    expect(text(m.blocks)).toContain('Resolved Mon 30 Nov 22:39');
    expect(actionIds(m.blocks)).toEqual([]);
  });

  it('writes the thread lines of a change of state in the team language', () => {
    expect(
      alertGroupThreadLine({ kind: 'resolved', count: 3, at: now }, 'ja', 'Asia/Tokyo', now).text,
    ).toContain('3 件のアラートがすべて解消');
    expect(
      alertGroupThreadLine({ kind: 'refired', count: 1, at: now }, 'en', 'Asia/Tokyo', now).text,
    ).toContain('Firing again: 1 alerts');
  });
});

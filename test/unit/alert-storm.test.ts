// The storm rule (domain/alert-storm.ts) and the summary view (views/alert-storm.ts).
import { describe, expect, it } from 'vitest';
import {
  groupsToPost,
  idRanges,
  STORM_THRESHOLD,
  STORM_WINDOW_MS,
  stormOver,
} from '../../src/domain/alert-storm.ts';
import { alertStormMessage } from '../../src/views/alert-storm.ts';

describe('groupsToPost', () => {
  it('posts every new group while the channel stays within the threshold', () => {
    expect(groupsToPost({ recent: 0, stormActive: false, incoming: STORM_THRESHOLD })).toBe(STORM_THRESHOLD);
  });
  it('posts only up to the threshold and folds the rest', () => {
    expect(groupsToPost({ recent: STORM_THRESHOLD - 3, stormActive: false, incoming: 10 })).toBe(3);
    expect(groupsToPost({ recent: STORM_THRESHOLD + 4, stormActive: false, incoming: 1 })).toBe(0);
  });
  it('folds every new group while a storm is on', () => {
    expect(groupsToPost({ recent: 0, stormActive: true, incoming: 1 })).toBe(0);
  });
});

it('a storm is over a full window after its last group', () => {
  const last = new Date('2026-01-05T13:30:00Z');
  expect(stormOver(last, new Date(last.getTime() + STORM_WINDOW_MS - 1))).toBe(false);
  expect(stormOver(last, new Date(last.getTime() + STORM_WINDOW_MS))).toBe(true);
});

it('idRanges writes runs of ids as ranges, in numeric order', () => {
  expect(idRanges(['15', '12', '13', '14', '18', '20', '21', '9'])).toEqual(['9', '12–15', '18', '20–21']);
  expect(idRanges([])).toEqual([]);
});

it('the summary counts by service and severity, names the worst groups and lists every id', () => {
  const at = new Date('2026-01-05T13:30:00Z');
  const m = alertStormMessage(
    {
      counts: [{ service: 'billing', severity: 'critical', groups: 3, open: 2 }],
      top: [
        {
          id: '7',
          title: 'Disk <full>',
          severity: 'critical',
          service: 'billing',
          state: 'open',
          firing_count: 4,
        },
      ],
      ids: ['7', '8', '9', '11'],
      startedAt: at,
      lastGroupAt: at,
      groupCount: 4,
      over: false,
    },
    'en',
    'Asia/Tokyo',
    at,
  );
  const text = JSON.stringify(m.blocks);
  expect(m.text).toContain('4 new alert groups');
  expect(text).toContain('billing · Critical: *3* (2 firing)');
  expect(text).toContain('#7 Disk &lt;full&gt;');
  expect(text).toContain('7–9, 11');
});

it('sums the service/severity lines it leaves out, so the counts add up to every group', () => {
  const at = new Date('2026-01-05T13:30:00Z');
  const counts = Array.from({ length: 20 }, (_, i) => ({
    service: `svc${i}`,
    severity: 'critical' as const,
    groups: 10,
    open: i % 2 === 0 ? 10 : 0,
  }));
  const m = alertStormMessage(
    { counts, top: [], ids: ['1'], startedAt: at, lastGroupAt: at, groupCount: 200, over: false },
    'en',
    'Asia/Tokyo',
    at,
  );
  const text = JSON.stringify(m.blocks);
  expect(text).toContain('svc14 · Critical');
  expect(text).not.toContain('svc15 · Critical');
  expect(text).toContain('… and 5 more service/severity lines: *50* (20 firing)');
});

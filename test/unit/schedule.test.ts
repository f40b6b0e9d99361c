// When a schedule is due, including on the days the clocks change (cron's rule: a fixed time runs
// once in a repeated hour and right after the jump for a skipped time; wildcards follow real time).
import { describe, expect, it } from 'vitest';
import { compileSchedule, ScheduleError } from '../../src/jobs/schedule.ts';

const d = (s: string) => new Date(s);
const isos = (ds: Date[]) => ds.map((x) => x.toISOString());

/** Every instant of `cron` in (from, to], walking forward with next(). */
function forward(cron: string, zone: string, from: string, to: string): string[] {
  const s = compileSchedule('t', cron, zone);
  const out: string[] = [];
  for (let t = s.next(d(from)); t && t <= d(to); t = s.next(t)) out.push(t.toISOString());
  return out;
}

/** Every instant of `cron` in (from, to], from due(). */
function due(cron: string, zone: string, from: string, to: string): string[] {
  return isos(compileSchedule('t', cron, zone).due(d(from), d(to), 1_000).instants);
}

// Each case: a whole local day around a change, the expression, and the instants it must give.
const cases: { name: string; zone: string; from: string; to: string; cron: string; want: string[] }[] = [
  {
    name: 'New York, spring forward: 02:30 does not exist and runs at 03:00 EDT',
    zone: 'America/New_York',
    from: '2026-03-08T04:00:00Z',
    to: '2026-03-09T04:00:00Z',
    cron: '30 2 * * *',
    want: ['2026-03-08T07:00:00.000Z'],
  },
  {
    name: 'New York, spring forward: 01:30 EST as usual',
    zone: 'America/New_York',
    from: '2026-03-08T04:00:00Z',
    to: '2026-03-09T04:00:00Z',
    cron: '30 1 * * *',
    want: ['2026-03-08T06:30:00.000Z'],
  },
  {
    name: 'New York, fall back: 01:30 happens twice and runs at the first (EDT)',
    zone: 'America/New_York',
    from: '2026-11-01T04:00:00Z',
    to: '2026-11-02T05:00:00Z',
    cron: '30 1 * * *',
    want: ['2026-11-01T05:30:00.000Z'],
  },
  {
    name: 'Berlin, spring forward: 02:30 does not exist and runs at 03:00 CEST',
    zone: 'Europe/Berlin',
    from: '2026-03-28T23:00:00Z',
    to: '2026-03-29T22:00:00Z',
    cron: '30 2 * * *',
    want: ['2026-03-29T01:00:00.000Z'],
  },
  {
    name: 'Berlin, fall back: 02:30 happens twice and runs at the first (CEST)',
    zone: 'Europe/Berlin',
    from: '2026-10-24T22:00:00Z',
    to: '2026-10-25T23:00:00Z',
    cron: '30 2 * * *',
    want: ['2026-10-25T00:30:00.000Z'],
  },
  {
    name: 'New York, spring forward: two skipped fixed times meet once after the jump',
    zone: 'America/New_York',
    from: '2026-03-08T04:00:00Z',
    to: '2026-03-09T04:00:00Z',
    cron: '0,30 2 * * *',
    want: ['2026-03-08T07:00:00.000Z'],
  },
  {
    name: 'New York, fall back: a wildcard runs in both passes of the repeated hour',
    zone: 'America/New_York',
    from: '2026-11-01T04:59:00Z',
    to: '2026-11-01T07:01:00Z',
    cron: '*/30 * * * *',
    // 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST
    want: [
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ],
  },
  {
    name: 'Berlin, spring forward: a wildcard in the skipped hour is not made up',
    zone: 'Europe/Berlin',
    from: '2026-03-29T00:00:00Z',
    to: '2026-03-29T02:00:00Z',
    cron: '15 * * * *',
    // 01:15 CET, then 03:15 CEST (02:15 never happens)
    want: ['2026-03-29T00:15:00.000Z', '2026-03-29T01:15:00.000Z'],
  },
];

describe('cron schedules on the days the clocks change (2026)', () => {
  it.each(cases)('$name', ({ zone, from, to, cron, want }) => {
    expect(forward(cron, zone, from, to)).toEqual(want);
    expect(due(cron, zone, from, to)).toEqual(want);
  });

  it('gives the latest due instant alone when asked for one, also across a repeated hour', () => {
    const s = compileSchedule('t', '30 1 * * *', 'America/New_York');
    // At 01:45 EST (06:45Z) the latest 01:30 is still the first one, 05:30Z.
    expect(s.due(d('2026-11-01T00:00:00Z'), d('2026-11-01T06:45:00Z'), 1)).toEqual({
      instants: [d('2026-11-01T05:30:00Z')],
      more: false,
    });
    const spring = compileSchedule('t', '30 2 * * *', 'America/New_York');
    expect(spring.due(d('2026-03-08T00:00:00Z'), d('2026-03-08T07:10:00Z'), 1).instants).toEqual([
      d('2026-03-08T07:00:00Z'),
    ]);
  });
});

describe('due()', () => {
  it('counts an instant equal to now, and none at or before `after`', () => {
    const s = compileSchedule('t', '0 * * * *', 'UTC');
    expect(isos(s.due(d('2024-04-10T00:59:59.999Z'), d('2024-04-10T01:00:00Z'), 5).instants)).toEqual([
      '2024-04-10T01:00:00.000Z',
    ]);
    expect(s.due(d('2024-04-10T01:00:00Z'), d('2024-04-10T01:59:59.999Z'), 5).instants).toEqual([]);
  });

  it('keeps the latest `limit` instants and says when earlier ones were left out', () => {
    const s = compileSchedule('t', '0 * * * *', 'UTC');
    expect(s.due(d('2024-04-10T00:00:00Z'), d('2024-04-10T05:30:00Z'), 2)).toEqual({
      instants: [d('2024-04-10T04:00:00Z'), d('2024-04-10T05:00:00Z')],
      more: true,
    });
    expect(s.due(d('2024-04-10T03:00:00Z'), d('2024-04-10T05:30:00Z'), 2).more).toBe(false);
  });

  it('walks a schedule computed in code the same way', () => {
    const handoffs = ['2024-04-10T00:00:00Z', '2024-04-10T09:00:00Z', '2024-04-10T18:00:00Z'].map(d);
    const s = compileSchedule('handoff', (after) => handoffs.find((h) => h > after), 'UTC');
    expect(s.due(d('2024-04-09T00:00:00Z'), d('2024-04-10T20:00:00Z'), 2)).toEqual({
      instants: [handoffs[1], handoffs[2]],
      more: true,
    });
    expect(s.next(d('2024-04-10T18:00:00Z'))).toBeUndefined();
    const stuck = compileSchedule('stuck', (after) => after, 'UTC');
    expect(() => stuck.due(d('2024-04-09T00:00:00Z'), d('2024-04-10T00:00:00Z'), 1)).toThrow(ScheduleError);
  });

  it('reads the seconds field of a six-field expression', () => {
    const s = compileSchedule('t', '*/20 * * * * *', 'UTC');
    expect(isos(s.due(d('2024-04-10T00:00:00Z'), d('2024-04-10T00:01:00Z'), 10).instants)).toEqual([
      '2024-04-10T00:00:20.000Z',
      '2024-04-10T00:00:40.000Z',
      '2024-04-10T00:01:00.000Z',
    ]);
  });
});

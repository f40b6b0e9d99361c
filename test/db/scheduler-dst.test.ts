// What the scheduler actually runs when its clock moves through a day on which the clocks change.
// The rule is cron's (see src/jobs/schedule.ts): a fixed-time job runs once in a repeated hour and
// right after the jump for a time the jump skipped; an interval job follows real time.
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { instants, recordingJob, replicaFactory } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(() => replicas.stopAll());
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

interface DstDay {
  zone: string;
  day: string;
  change: 'spring forward' | 'fall back';
  /** When `30 1 * * *` and `30 2 * * *` must run that day (UTC), each exactly once. */
  at0130: string;
  at0230: string;
  /** Hours of real time in the local day: how often `0 * * * *` runs. */
  hours: number;
}

const days: DstDay[] = [
  // 02:00 EST -> 03:00 EDT: 02:30 does not exist and runs right after the jump, at 03:00 EDT.
  {
    zone: 'America/New_York',
    day: '2026-03-08',
    change: 'spring forward',
    at0130: '2026-03-08T06:30:00.000Z',
    at0230: '2026-03-08T07:00:00.000Z',
    hours: 23,
  },
  // 02:00 EDT -> 01:00 EST: 01:30 happens twice and runs at the first, 01:30 EDT.
  {
    zone: 'America/New_York',
    day: '2026-11-01',
    change: 'fall back',
    at0130: '2026-11-01T05:30:00.000Z',
    at0230: '2026-11-01T07:30:00.000Z',
    hours: 25,
  },
  // 02:00 CET -> 03:00 CEST: 02:30 runs at 03:00 CEST.
  {
    zone: 'Europe/Berlin',
    day: '2026-03-29',
    change: 'spring forward',
    at0130: '2026-03-29T00:30:00.000Z',
    at0230: '2026-03-29T01:00:00.000Z',
    hours: 23,
  },
  // 03:00 CEST -> 02:00 CET: 02:30 happens twice and runs at the first, 02:30 CEST.
  {
    zone: 'Europe/Berlin',
    day: '2026-10-25',
    change: 'fall back',
    at0130: '2026-10-24T23:30:00.000Z',
    at0230: '2026-10-25T00:30:00.000Z',
    hours: 25,
  },
];

// Every instant that matters here (xx:00, xx:30, the jumps at 02:00 and 03:00) is on a quarter hour.
const STEP_MS = 15 * 60_000;

describe.each(days)('$zone on $day ($change)', ({ zone, day, at0130, at0230, hours }) => {
  it('runs 01:30 and 02:30 once each, and an hourly job once per real hour', async () => {
    const start = DateTime.fromISO(day, { zone });
    const end = start.plus({ days: 1 });
    const clock = new ManualClock(start.toJSDate());
    const runs: Record<string, string[]> = { '0130': [], '0230': [], hourly: [] };
    const a = replicas.replica('a', clock, { timezone: zone });
    const b = replicas.replica('b', clock, { timezone: zone });
    const suffix = `${zone}:${day}`; // each case has its own jobs, with no history
    for (const [id, r] of [
      ['a', a],
      ['b', b],
    ] as const) {
      r.scheduler.register(recordingJob(`at-0130 ${suffix}`, '30 1 * * *', runs['0130']!, id));
      r.scheduler.register(recordingJob(`at-0230 ${suffix}`, '30 2 * * *', runs['0230']!, id));
      r.scheduler.register(recordingJob(`hourly ${suffix}`, '0 * * * *', runs.hourly!, id));
    }

    // From local midnight through the day in quarter-hour steps, both replicas ticking at every step.
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    while (clock.now().getTime() < end.toMillis()) {
      clock.advance(STEP_MS);
      await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    }

    expect(instants(runs['0130']!)).toEqual([at0130]);
    expect(instants(runs['0230']!)).toEqual([at0230]);
    // Every real hour from this local midnight through the next, both included.
    const expectedHourly = Array.from({ length: hours + 1 }, (_, i) =>
      new Date(start.toMillis() + i * 3_600_000).toISOString(),
    );
    expect(instants(runs.hourly!)).toEqual(expectedHourly);
  });
});

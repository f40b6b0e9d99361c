// Which of a job's open firings are given up and which one runs, at one instant.
import { describe, expect, it } from 'vitest';
import { planFirings, type OpenFiring } from '../../src/jobs/plan.ts';

const d = (s: string) => new Date(s);
const MIN = 60_000;

function firing(fireAt: string, rest: Partial<OpenFiring> = {}): OpenFiring {
  return { fireAt: d(fireAt), state: 'pending', attempts: 0, nextAttemptAt: d(fireAt), error: null, ...rest };
}

describe('planFirings', () => {
  it('claims the oldest runnable firing of an "each" job', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T03:00:00Z'),
        firing('2024-04-10T02:00:00Z', { attempts: 1, nextAttemptAt: d('2024-04-10T03:05:00Z') }),
        firing('2024-04-10T01:00:00Z'),
      ],
      {
        now: d('2024-04-10T03:00:00Z'),
        catchUp: 'each',
        newest: d('2024-04-10T03:00:00Z'),
        maxLatenessMs: 5 * 60 * MIN,
      },
    );
    expect(plan.close).toEqual([]);
    expect(plan.claim?.fireAt).toEqual(d('2024-04-10T01:00:00Z'));
  });

  it('runs nothing while a firing of the job holds a live lease, and wakes when the lease ends', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T01:00:00Z', {
          state: 'running',
          attempts: 1,
          nextAttemptAt: d('2024-04-10T02:01:00Z'),
        }),
        firing('2024-04-10T02:00:00Z'),
      ],
      {
        now: d('2024-04-10T02:00:30Z'),
        catchUp: 'each',
        newest: d('2024-04-10T02:00:00Z'),
        maxLatenessMs: 60 * MIN,
      },
    );
    expect(plan.claim).toBeUndefined();
    expect(plan.nextOpenAt).toEqual(d('2024-04-10T02:01:00Z'));
  });

  it('claims a firing whose lease ran out, as its next attempt', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T01:00:00Z', {
          state: 'running',
          attempts: 1,
          nextAttemptAt: d('2024-04-10T01:01:30Z'),
        }),
      ],
      {
        now: d('2024-04-10T01:01:30Z'),
        catchUp: 'latest',
        newest: d('2024-04-10T01:00:00Z'),
        maxLatenessMs: 60 * MIN,
      },
    );
    expect(plan.claim?.attempts).toBe(1);
  });

  it('with nothing runnable, wakes at the earliest retry time', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T01:30:00Z', { attempts: 2, nextAttemptAt: d('2024-04-10T02:05:00Z') }),
        firing('2024-04-10T02:00:00Z', { attempts: 1, nextAttemptAt: d('2024-04-10T02:02:00Z') }),
      ],
      {
        now: d('2024-04-10T02:01:00Z'),
        catchUp: 'each',
        newest: d('2024-04-10T02:00:00Z'),
        maxLatenessMs: 60 * MIN,
      },
    );
    expect(plan).toEqual({ close: [], claim: undefined, nextOpenAt: d('2024-04-10T02:02:00Z') });
  });

  it('"latest": supersedes older firings unless one is running under a live lease', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T01:00:00Z', {
          attempts: 2,
          nextAttemptAt: d('2024-04-10T03:00:00Z'),
          error: 'no',
        }),
        firing('2024-04-10T02:00:00Z', {
          state: 'running',
          attempts: 1,
          nextAttemptAt: d('2024-04-10T03:01:00Z'),
        }),
        firing('2024-04-10T03:00:00Z'),
      ],
      {
        now: d('2024-04-10T03:00:00Z'),
        catchUp: 'latest',
        newest: d('2024-04-10T03:00:00Z'),
        maxLatenessMs: 5 * 60 * MIN,
      },
    );
    expect(plan.close).toEqual([
      {
        fireAt: d('2024-04-10T01:00:00Z'),
        state: 'failed',
        error: 'superseded by the firing at 2024-04-10T03:00:00.000Z; last error: no',
      },
    ]);
    expect(plan.claim).toBeUndefined(); // 02:00 still runs elsewhere; 03:00 waits for it
  });

  it('gives up runnable firings past the lateness limit: skipped if never run, failed if run', () => {
    const plan = planFirings(
      [
        firing('2024-04-10T01:00:00Z'),
        firing('2024-04-10T02:00:00Z', {
          state: 'running',
          attempts: 3,
          nextAttemptAt: d('2024-04-10T02:30:00Z'),
        }),
        firing('2024-04-10T03:00:00Z'),
      ],
      {
        now: d('2024-04-10T03:30:00Z'),
        catchUp: 'each',
        newest: d('2024-04-10T03:00:00Z'),
        maxLatenessMs: 60 * MIN,
      },
    );
    expect(plan.close).toEqual([
      {
        fireAt: d('2024-04-10T01:00:00Z'),
        state: 'skipped',
        error: 'skipped: 9000000 ms late, over maxLatenessMs 3600000',
      },
      {
        fireAt: d('2024-04-10T02:00:00Z'),
        state: 'failed',
        error:
          'the lease of attempt 3 ran out (its replica stopped or hung); given up: 5400000 ms late, over maxLatenessMs 3600000',
      },
    ]);
    expect(plan.claim?.fireAt).toEqual(d('2024-04-10T03:00:00Z'));
  });
});

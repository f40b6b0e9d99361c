// Slack's pace (about one post a second per channel; 50 chat.update a minute per workspace), kept
// either in the database, shared by every replica (production: migration 0500, slack_pace_take),
// or in this process's memory (console mode and tests that drive a clock: ChannelLimiter).
//
// Either way a call that must wait is not slept on: take() reserves the next slot for the outbox
// row and says how long until it; the row is rescheduled to then, and when it comes back (to any
// replica, for the database pace) it presents the same key and goes through on its reservation.
//
// Time: `now` null means the database's clock (production). Tests pass their own, as in store.ts.
import type { Queryable } from '../db/pool.ts';
import type { ChannelLimiter } from '../integrations/slack/channel-limiter.ts';
import type { Now } from './store.ts';

export interface SlackPace {
  /**
   * A call in `bucket` (a rate scope: "chat.postMessage:C0123", "chat.update") by `key` (an outbox
   * row id): 0 means go now, else the milliseconds until the slot reserved for `key`.
   * @throws database errors (the database pace): the delivery is tried again later.
   */
  take(bucket: string, key: string): Promise<number>;
}

/** A sustained rate and the calls allowed back to back before it applies. */
export interface PaceRate {
  perSecond: number;
  burst: number;
}

/** The pace of `limiter`, in this process only. */
export function memoryPace(limiter: ChannelLimiter): SlackPace {
  return { take: (bucket, key) => Promise.resolve(limiter.take(bucket, key)) };
}

/** The pace shared by every replica through the database (slack_paces, slack_pace_slots). */
export function databasePace(db: Queryable, rate: PaceRate, now: () => Now = () => null): SlackPace {
  if (!(rate.perSecond > 0) || !Number.isInteger(rate.burst) || rate.burst < 1)
    throw new RangeError(
      `pace: perSecond must be > 0 and burst a whole number ≥ 1, got ${JSON.stringify(rate)}`,
    );
  const intervalMs = 1000 / rate.perSecond;
  return {
    async take(bucket, key) {
      const { rows } = await db.query<{ ms: number }>({
        name: 'slack-pace-take',
        text: `SELECT slack_pace_take($1, $2, $3, $4, $5) AS ms`,
        values: [bucket, key, intervalMs, rate.burst, now()],
      });
      return Math.ceil(rows[0]?.ms ?? 0);
    },
  };
}

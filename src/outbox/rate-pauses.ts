// Slack's Retry-After pauses, shared by every replica through the database (table
// slack_rate_pauses). A 429 records "nothing goes to this scope until T"; before each call every
// replica asks how long the pause of the call's scope still runs. Scopes: rate-scope.ts.
//
// Time: `now` null means the database's clock (production). Tests pass their own, as in store.ts.
import type { Queryable } from '../db/pool.ts';
import type { Now } from './store.ts';

export interface RatePauses {
  /** Milliseconds the pause of `scope` still runs (0: none). */
  remaining(scope: string): Promise<number>;
  /** Slack said 429 on `scope`: nothing goes there for `ms`, from any replica. A longer pause is kept. */
  pause(scope: string, ms: number, reason: string): Promise<void>;
}

export function databaseRatePauses(db: Queryable, now: () => Now = () => null): RatePauses {
  return {
    async remaining(scope) {
      const { rows } = await db.query<{ ms: number }>(
        `SELECT greatest(0, extract(epoch FROM until - coalesce($2, now())) * 1000)::float8 AS ms
         FROM slack_rate_pauses WHERE scope = $1`,
        [scope, now()],
      );
      return Math.ceil(rows[0]?.ms ?? 0);
    },
    async pause(scope, ms, reason) {
      await db.query(
        `INSERT INTO slack_rate_pauses (scope, until, reason)
         VALUES ($1, coalesce($2, now()) + $3 * interval '1 millisecond', $4)
         ON CONFLICT (scope) DO UPDATE SET until = greatest(slack_rate_pauses.until, EXCLUDED.until),
           reason = EXCLUDED.reason`,
        [scope, now(), Math.ceil(ms), reason],
      );
    },
  };
}

// SQL of calendar feed tokens (migration 0320): one hashed token per person and feed.
import type { Queryable } from './pool.ts';

/** A feed a token opens: a rotation's id, or '' for the person's own shifts. */
export interface FeedToken {
  userId: string;
  feed: string;
}

/** Stores the token's hash for the person's feed, replacing the one they had (its URL stops working). */
export async function saveFeedToken(
  db: Queryable,
  t: FeedToken & { tokenHash: Buffer; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO calendar_feed_tokens (user_id, feed, token_hash, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, feed) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`,
    [t.userId, t.feed, t.tokenHash, t.at],
  );
}

/** Whose feed the token with this hash opens, or undefined. */
export async function feedOfToken(db: Queryable, tokenHash: Buffer): Promise<FeedToken | undefined> {
  const { rows } = await db.query<FeedToken>(
    'SELECT user_id AS "userId", feed FROM calendar_feed_tokens WHERE token_hash = $1',
    [tokenHash],
  );
  return rows[0];
}

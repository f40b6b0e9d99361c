// Posting journal entries. Each call is one transaction: the database checks at COMMIT that every
// entry balances and keeps the rollups in step with the lines.
import type { Pool } from '../../db/pool.ts';
import { withTransaction } from '../../db/pool.ts';
import { insertEntry } from '../../db/ledger/post.ts';
import type { EntryDraft } from '../../domain/ledger/postings.ts';

export interface Posting {
  entry: EntryDraft;
  /** The id of the entry this one reverses. */
  reverses?: string;
}

/** Posts the entries together (all or none) and returns their ids in order. */
export async function postEntries(pool: Pool, postings: readonly Posting[]): Promise<string[]> {
  return withTransaction(pool, async (tx) => {
    const ids: string[] = [];
    for (const p of postings) ids.push(await insertEntry(tx, p.entry, p.reverses));
    return ids;
  });
}

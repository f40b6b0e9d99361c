// Posting one journal entry: the entry, then its lines in one statement (so the rollup trigger
// upserts them in one ordered pass). The database checks the balance at COMMIT.
import type { EntryDraft } from '../../domain/ledger/postings.ts';
import type { Tx } from '../pool.ts';

export async function insertEntry(tx: Tx, e: EntryDraft, reverses?: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ledger.journal_entries (accounting_date, posted_at, kind, reference, memo, reverses)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [e.accountingDate, e.postedAt, e.kind, e.reference, e.memo ?? null, reverses ?? null],
  );
  const id = rows[0]!.id;
  await tx.query(
    `INSERT INTO ledger.journal_lines (entry_id, accounting_date, line_no, account_code, debit, credit)
     SELECT $1, $2, n, account, debit, credit
       FROM unnest($3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS l (account, debit, credit, n)`,
    [
      id,
      e.accountingDate,
      e.lines.map((l) => l.account),
      e.lines.map((l) => l.debit.toString()),
      e.lines.map((l) => l.credit.toString()),
    ],
  );
  return id;
}

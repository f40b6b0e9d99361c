// /ledger entries: the journal entries (仕訳) of one order, gateway transaction, payout or deposit,
// with the gateway's own records of it.
import { entriesOf, gatewayRecordsOf, listAccounts } from '../../db/ledger/queries.ts';
import type { Tx } from '../../db/pool.ts';
import type { EntriesQuery } from '../../domain/ledger/query.ts';
import { accountModel } from './accounts.ts';
import type { EntriesModel, EntryModel } from './models.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/** An answer carries at most this many lines; `truncated` says when there were more. */
const ENTRY_LINE_LIMIT = 2_000;

/**
 * The entries whose reference (or gateway record) is `q.reference` (NFKC, trimmed), at most
 * ENTRY_LINE_LIMIT lines, audited as `ledger.entries` with the line count. Errors: see readLedger.
 */
export function referenceEntries(
  ctx: LedgerContext,
  actor: string,
  q: EntriesQuery,
  opts: LedgerReadOptions = {},
): Promise<EntriesModel> {
  return readLedger(
    ctx,
    actor,
    q,
    (tx) => readEntries(tx, q.reference),
    (m) => m.entries.reduce((s, e) => s + e.lines.length, 0),
    opts,
  );
}

/**
 * Inside an open ledger transaction: the entries and gateway records of `reference` (NFKC,
 * trimmed), at most ENTRY_LINE_LIMIT lines. Shared by /ledger entries and an investigation's ledger
 * facts, so both say the same to the yen.
 */
export async function readEntries(tx: Tx, reference: string): Promise<EntriesModel> {
  const ref = reference.normalize('NFKC').trim();
  const accounts = new Map((await listAccounts(tx)).map((a) => [a.code, accountModel(a)]));
  const lines = await entriesOf(tx, ref, ENTRY_LINE_LIMIT + 1);
  const truncated = lines.length > ENTRY_LINE_LIMIT;
  const byEntry = new Map<string, EntryModel>();
  for (const l of lines.slice(0, ENTRY_LINE_LIMIT)) {
    let e = byEntry.get(l.entryId);
    if (!e) {
      e = {
        id: l.entryId,
        accountingDate: l.accountingDate,
        postedAt: l.postedAt,
        kind: l.kind,
        reference: l.reference,
        memo: l.memo,
        reverses: l.reverses,
        lines: [],
      };
      byEntry.set(l.entryId, e);
    }
    const account = accounts.get(l.account) ?? {
      code: l.account,
      nameJa: l.account,
      nameEn: l.account,
      type: 'asset' as const,
    };
    e.lines.push({ lineNo: l.lineNo, account, debit: l.debit.toString(), credit: l.credit.toString() });
  }
  const gateway = (await gatewayRecordsOf(tx, ref)).map((g) => ({
    ...g,
    amount: g.amount.toString(),
    fee: g.fee.toString(),
  }));
  return { query: 'entries', reference: ref, entries: [...byEntry.values()], gateway, truncated };
}

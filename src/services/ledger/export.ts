// `toban ledger export`: the ledger as an hledger / ledger-cli journal, streamed to a writable.
// With --from, an opening-balances transaction on that day carries everything before it, so every
// balance read from the file equals /ledger's.
import { once } from 'node:events';
import { UserError } from '../../core/errors.ts';
import type { AppContext } from '../../core/context.ts';
import type { Pool } from '../../db/pool.ts';
import { balancesThrough, readJournal, type ExportLine } from '../../db/ledger/export.ts';
import { listAccounts } from '../../db/ledger/queries.ts';
import { withReadOnly } from '../../db/ledger/readonly.ts';
import { addDays, parseDate } from '../../domain/dates.ts';
import { accountName, formatTxn, journalHeader, type JournalTxn } from '../../domain/ledger/journal-file.ts';
import { businessToday } from '../today.ts';

/** An export reads for as long as it needs; only a stuck statement is stopped. */
const EXPORT_TIMEOUT_MS = 10 * 60_000;
const BATCH = 5_000;

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function toTxns(
  lines: ExportLine[],
  pending: JournalTxn | undefined,
): { done: JournalTxn[]; pending?: JournalTxn } {
  const done: JournalTxn[] = [];
  let cur = pending;
  for (const l of lines) {
    if (!cur || cur.id !== l.entryId) {
      if (cur) done.push(cur);
      cur = {
        id: l.entryId,
        date: l.accountingDate,
        kind: l.kind,
        reference: l.reference,
        memo: l.memo,
        reverses: l.reverses,
        postings: [],
      };
    }
    cur.postings.push({ account: l.account, amount: l.debit !== '0' ? l.debit : `-${l.credit}` });
  }
  return { done, pending: cur };
}

/** Writes the journal of entries dated from..to (ISO dates, both optional); returns the counts. */
export async function exportJournal(
  pool: Pool,
  range: { from?: string; to?: string },
  out: NodeJS.WritableStream,
): Promise<{ transactions: number; postings: number }> {
  return withReadOnly(
    pool,
    EXPORT_TIMEOUT_MS,
    async (tx) => {
      const accounts = await listAccounts(tx);
      const names = new Map(accounts.map((a) => [a.code, accountName(a)]));
      await write(out, journalHeader(accounts, range));
      let transactions = 0;
      let postings = 0;
      if (range.from) {
        const opening = await balancesThrough(tx, addDays(range.from, -1));
        if (opening.length > 0) {
          const txn: JournalTxn = {
            id: 'opening',
            date: range.from,
            kind: 'opening balances',
            reference: null,
            memo: null,
            reverses: null,
            postings: opening.map((b) => ({ account: b.code, amount: b.balance })),
          };
          await write(out, formatTxn(txn, names));
          transactions++;
          postings += txn.postings.length;
        }
      }
      let pending: JournalTxn | undefined;
      await readJournal(tx, range, BATCH, async (lines) => {
        const r = toTxns(lines, pending);
        pending = r.pending;
        if (r.done.length === 0) return;
        await write(out, r.done.map((t) => formatTxn(t, names)).join(''));
        transactions += r.done.length;
        postings += r.done.reduce((s, t) => s + t.postings.length, 0);
      });
      if (pending) {
        await write(out, formatTxn(pending, names));
        transactions++;
        postings += pending.postings.length;
      }
      return { transactions, postings };
      // One snapshot for the opening balances and the lines.
    },
    { snapshot: true },
  );
}

/** `toban ledger export [--from DATE] [--to DATE]`: dates as people type them (today, 2024/3/31, ...). */
export async function exportLedger(
  ctx: Pick<AppContext, 'ledgerPool' | 'clock' | 'config'>,
  args: { from?: string; to?: string },
  out: NodeJS.WritableStream,
): Promise<{ transactions: number; postings: number }> {
  const today = businessToday(ctx);
  const read = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const d = parseDate(text, today);
    if (!d) throw new UserError('error.bad_date', { value: text });
    return d;
  };
  const from = read(args.from);
  const to = read(args.to);
  if (from && to && from > to) throw new UserError('ledger.usage.range_order', { from, to });
  return exportJournal(ctx.ledgerPool, { from, to }, out);
}

// The ledger as a plain-text journal that both hledger and ledger-cli read: `decimal-mark .`, the
// yen as a commodity without decimals, account names that carry the code ("1130 売掛金"), debits
// positive and credits negative (so a balance is debits − credits, as in /ledger).
import type { Account } from './accounts.ts';

const TYPE_TAG: Record<Account['type'], string> = {
  asset: 'A',
  liability: 'L',
  equity: 'E',
  revenue: 'R',
  expense: 'X',
};

export interface JournalTxn {
  id: string;
  date: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  reverses: string | null;
  postings: { account: string; amount: string }[];
}

/** One line of free text: no line breaks or control characters can end up in the file. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function accountName(a: Account): string {
  return oneLine(`${a.code} ${a.nameJa}`).replace(/ {2,}/g, ' ');
}

export function journalHeader(accounts: readonly Account[], range: { from?: string; to?: string }): string {
  const lines = [
    `; toban ledger export${range.from || range.to ? ` ${range.from ?? '…'} – ${range.to ?? '…'}` : ''}`,
    '; amounts in integer yen; debits positive, credits negative',
    'decimal-mark .',
    'commodity ¥1000.',
    '',
    ...accounts.map((a) => `account ${accountName(a)}  ; type: ${TYPE_TAG[a.type]}`),
    '',
  ];
  return lines.join('\n') + '\n';
}

export function yenAmount(amount: bigint | string): string {
  return `¥${amount.toString()}`;
}

export function formatTxn(t: JournalTxn, names: ReadonlyMap<string, string>): string {
  const description = oneLine([t.kind, t.reference].filter(Boolean).join(' '));
  const out = [`${t.date} * (${t.id}) ${description}${t.reverses ? `  ; reverses: ${t.reverses}` : ''}`];
  if (t.memo) out.push(`    ; ${oneLine(t.memo)}`);
  for (const p of t.postings) {
    const name = names.get(p.account) ?? p.account;
    out.push(`    ${name.padEnd(20)}  ${yenAmount(p.amount).padStart(14)}`);
  }
  return out.join('\n') + '\n\n';
}

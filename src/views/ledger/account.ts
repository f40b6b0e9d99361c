// /ledger account (the account ledger, 元帳): an account's lines between two dates with the running balance; the totals
// always, the lines inline when few, as a CSV file when many.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../core/command.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { AccountLedgerModel } from '../../services/ledger/models.ts';
import { codeSections, context, header, section, yen } from '../common.ts';
import { csvFile } from '../csv.ts';
import { accountName, kindLabel, table } from './format.ts';

/** More lines than this go in the CSV file only. */
const INLINE_LINES = 15;

export function accountLedgerView(m: AccountLedgerModel, locale: Locale): Reply {
  const account = accountName(m.account, locale);
  const title = t(locale, 'ledger.account.title', { account, from: m.from, to: m.to });
  const summary = t(locale, 'ledger.account.summary', {
    opening: yen(m.opening),
    debit: yen(m.debit),
    credit: yen(m.credit),
    closing: yen(m.closing),
    count: m.lineCount.toLocaleString('en-US'),
  });
  const blocks: KnownBlock[] = [header(title), section(summary)];
  const text = [title, summary];
  const reply: Reply = { visibility: 'ephemeral', message: { text: '', blocks }, model: m };
  if (m.lines === null) {
    const note = t(locale, 'ledger.account.too_many', {
      count: m.lineCount.toLocaleString('en-US'),
      limit: m.limit.toLocaleString('en-US'),
    });
    blocks.push(context(note));
    text.push(note);
  } else if (m.lines.length === 0) {
    const note = t(locale, 'ledger.account.none');
    blocks.push(context(note));
    text.push(note);
  } else if (m.lines.length <= INLINE_LINES) {
    const rows = table(
      m.lines.map((l) => [
        l.date,
        `#${l.entryId}`,
        kindLabel(l.kind, locale),
        l.reference ?? '',
        l.debit !== '0' ? yen(l.debit) : '',
        l.credit !== '0' ? yen(l.credit) : '',
        yen(l.balance),
      ]),
      ['left', 'left', 'left', 'left', 'right', 'right', 'right'],
    );
    blocks.push(...codeSections(rows));
    text.push(...rows);
  } else {
    const note = t(locale, 'ledger.account.file', { count: m.lines.length.toLocaleString('en-US') });
    blocks.push(context(note));
    text.push(note);
    const csv = (k: string) => t(locale, `ledger.csv.${k}`);
    reply.files = [
      csvFile(
        `account-ledger-${m.account.code}-${m.from}-${m.to}.csv`,
        t(locale, 'ledger.account.file_title', { account, from: m.from, to: m.to }),
        [
          csv('date'),
          csv('entry'),
          csv('kind'),
          csv('reference'),
          csv('memo'),
          csv('debit'),
          csv('credit'),
          csv('balance'),
        ],
        m.lines.map((l) => [l.date, l.entryId, l.kind, l.reference, l.memo, l.debit, l.credit, l.balance]),
      ),
    ];
  }
  reply.message.text = text.join('\n');
  return reply;
}

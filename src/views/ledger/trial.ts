// /ledger trial: opening, debits, credits and closing of every account for a month (or the month
// to a date), with the totals that prove debits equal credits. Always attached as CSV as well.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../core/command.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { TrialModel } from '../../services/ledger/models.ts';
import { codeSections, context, header, section, yen } from '../common.ts';
import { csvFile } from '../csv.ts';
import { table } from './format.ts';

/** More rows than this go in the CSV file only. */
const INLINE_ROWS = 40;

export function trialView(m: TrialModel, locale: Locale): Reply {
  const title = t(locale, 'ledger.trial.title', { month: m.month, from: m.from, through: m.through });
  const name = (r: TrialModel['rows'][number]) => (locale === 'ja' ? r.nameJa : r.nameEn);
  const col = (k: string) => t(locale, `ledger.trial.${k}`);
  const balanced = m.totals.debit === m.totals.credit && m.totals.closing === '0';
  const note = balanced
    ? t(locale, 'ledger.trial.note', { debit: yen(m.totals.debit), credit: yen(m.totals.credit) })
    : t(locale, 'ledger.trial.unbalanced', { debit: yen(m.totals.debit), credit: yen(m.totals.credit) });
  const blocks: KnownBlock[] = [header(title)];
  let text = title;
  if (m.rows.length === 0) {
    blocks.push(section(t(locale, 'ledger.trial.empty')));
    text += `\n${t(locale, 'ledger.trial.empty')}`;
  } else if (m.rows.length <= INLINE_ROWS) {
    const lines = table(
      [
        [col('code'), col('account'), col('opening'), col('debit'), col('credit'), col('closing')],
        ...m.rows.map((r) => [r.code, name(r), yen(r.opening), yen(r.debit), yen(r.credit), yen(r.closing)]),
        [
          '',
          col('total'),
          yen(m.totals.opening),
          yen(m.totals.debit),
          yen(m.totals.credit),
          yen(m.totals.closing),
        ],
      ],
      ['left', 'left', 'right', 'right', 'right', 'right'],
    );
    blocks.push(...codeSections(lines));
    text += `\n${lines.join('\n')}`;
  }
  blocks.push(context(note));
  text += `\n${note}`;
  const csv = (k: string) => t(locale, `ledger.csv.${k}`);
  const file = csvFile(
    `trial-${m.month}${m.through !== lastDayOf(m) ? `-to-${m.through}` : ''}.csv`,
    t(locale, 'ledger.trial.file_title', { month: m.month }),
    [csv('code'), csv('account'), csv('opening'), csv('debit'), csv('credit'), csv('closing')],
    [
      ...m.rows.map((r) => [r.code, name(r), r.opening, r.debit, r.credit, r.closing]),
      ['', col('total'), m.totals.opening, m.totals.debit, m.totals.credit, m.totals.closing],
    ],
  );
  return { visibility: 'ephemeral', message: { text, blocks }, model: m, files: [file] };
}

function lastDayOf(m: TrialModel): string {
  const [y, mo] = m.month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return `${m.month}-${String(last).padStart(2, '0')}`;
}

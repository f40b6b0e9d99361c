// /ledger close: each month-close check with its verdict and the figures behind it.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../core/command.ts';
import { t, type Locale, type Params } from '../../i18n/index.ts';
import type { CloseCheckModel, CloseModel } from '../../services/ledger/models.ts';
import { header, section, yen } from '../common.ts';
import { differencesFile } from './reconcile.ts';

/** Evidence keys that hold money. */
const MONEY = new Set(['ledger', 'subledger', 'difference', 'total']);

export function checkLine(c: CloseCheckModel, locale: Locale): string {
  const params: Params = {};
  for (const [k, v] of Object.entries(c.evidence))
    params[k] = MONEY.has(k) ? yen(String(v)) : typeof v === 'number' ? v.toLocaleString('en-US') : v;
  return `${t(locale, `ledger.close.status.${c.status}`)}  ${t(locale, `ledger.close.check.${c.id}`, params)}`;
}

export function closeView(m: CloseModel, locale: Locale): Reply {
  const title = t(locale, 'ledger.close.title', { month: m.month });
  const verdict = t(locale, `ledger.close.${m.verdict}`);
  const lines = m.checks.map((c) => checkLine(c, locale));
  const blocks: KnownBlock[] = [header(title), section(`*${verdict}*`), section(lines.join('\n'))];
  const reply: Reply = {
    visibility: 'ephemeral',
    message: { text: [title, verdict, ...lines].join('\n'), blocks },
    model: m,
  };
  if (m.differences.length > 0)
    reply.files = [differencesFile(m.month, 'ledger.close.file_title', m.differences, locale)];
  return reply;
}

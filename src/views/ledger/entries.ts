// /ledger entries: every journal entry of an order (or transaction, payout, deposit) with its
// lines, and what the payment gateway recorded for it. Long answers come as a CSV file.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../core/command.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { EntriesModel } from '../../services/ledger/models.ts';
import { codeSections, context, header, section, sections, yen } from '../common.ts';
import { ECHO_LIMIT, truncate } from '../limits.ts';
import { csvFile } from '../csv.ts';
import { accountName, kindLabel, table } from './format.ts';

/** More lines than this go in the CSV file only. */
const INLINE_LINES = 30;

export function entriesView(m: EntriesModel, locale: Locale): Reply {
  if (m.entries.length === 0 && m.gateway.length === 0) {
    const text = t(locale, 'ledger.entries.none', { reference: truncate(m.reference, ECHO_LIMIT) });
    return { visibility: 'ephemeral', message: { text, blocks: [section(text)] }, model: m };
  }
  const title = t(locale, 'ledger.entries.title', {
    reference: truncate(m.reference, ECHO_LIMIT),
    count: m.entries.length,
  });
  const blocks: KnownBlock[] = [header(title.replace(/`/g, ''))];
  const textParts = [title];
  const lineCount = m.entries.reduce((s, e) => s + e.lines.length, 0);
  const inline = lineCount <= INLINE_LINES && !m.truncated;
  if (inline) {
    for (const e of m.entries) {
      const head =
        t(locale, 'ledger.entries.entry', {
          id: e.id,
          date: e.accountingDate,
          kind: kindLabel(e.kind, locale),
        }) +
        (e.reverses ? ` ${t(locale, 'ledger.entries.reverses', { id: e.reverses })}` : '') +
        (e.memo ? `  ${e.memo}` : '');
      const rows = table(
        e.lines.map((l) => [
          accountName(l.account, locale),
          l.debit !== '0' ? yen(l.debit) : '',
          l.credit !== '0' ? yen(l.credit) : '',
        ]),
        ['left', 'right', 'right'],
      );
      blocks.push(section(head), ...codeSections(rows));
      textParts.push(head, ...rows);
    }
  }
  if (m.gateway.length > 0) {
    const lines = m.gateway.map(
      (g) =>
        t(locale, 'ledger.entries.gateway_line', {
          date: g.occurredOn,
          kind: t(locale, `ledger.gateway.${g.kind}`),
          id: g.id,
          amount: yen(g.amount),
        }) + (g.fee !== '0' ? ` ${t(locale, 'ledger.entries.gateway_fee', { fee: yen(g.fee) })}` : ''),
    );
    const gatewayLines = [`*${t(locale, 'ledger.entries.gateway_title')}*`, ...lines];
    blocks.push(...sections(gatewayLines));
    textParts.push(...gatewayLines);
  }
  const notes: string[] = [];
  if (m.truncated) notes.push(t(locale, 'ledger.entries.truncated'));
  if (!inline) notes.push(t(locale, 'ledger.entries.file'));
  if (notes.length > 0) {
    blocks.push(context(notes.join(' ')));
    textParts.push(...notes);
  }
  const reply: Reply = { visibility: 'ephemeral', message: { text: textParts.join('\n'), blocks }, model: m };
  if (!inline) {
    const csv = (k: string) => t(locale, `ledger.csv.${k}`);
    reply.files = [
      csvFile(
        // A file name stays short enough for any file system (255 bytes).
        `entries-${m.reference.replace(/[^\w.-]+/g, '_').slice(0, 80)}.csv`,
        t(locale, 'ledger.entries.file_title', { reference: truncate(m.reference, ECHO_LIMIT) }),
        [
          csv('entry'),
          csv('date'),
          csv('kind'),
          csv('reference'),
          csv('memo'),
          csv('line'),
          csv('code'),
          csv('account'),
          csv('debit'),
          csv('credit'),
        ],
        m.entries.flatMap((e) =>
          e.lines.map((l) => [
            e.id,
            e.accountingDate,
            e.kind,
            e.reference,
            e.memo,
            l.lineNo,
            l.account.code,
            locale === 'ja' ? l.account.nameJa : l.account.nameEn,
            l.debit,
            l.credit,
          ]),
        ),
      ),
    ];
  }
  return reply;
}

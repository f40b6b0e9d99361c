// /ledger reconcile: the month against the payment gateway; each difference with both sides'
// figures. The first few inline, all of them in a CSV file.
import type { KnownBlock } from '@slack/types';
import type { Reply, ReplyFile } from '../../core/command.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { DifferenceModel, ReconcileModel } from '../../services/ledger/models.ts';
import { context, header, section, sections, yen } from '../common.ts';
import { csvFile } from '../csv.ts';

const INLINE_DIFFERENCES = 10;

function figures(amount: string | null, fee: string | null, kind: string): string {
  if (amount === null) return '-';
  return kind === 'deposit' && fee !== null ? `${yen(amount)} (${yen(fee)})` : yen(amount);
}

export function differenceLine(d: DifferenceModel, locale: Locale): string {
  return t(locale, 'ledger.reconcile.line', {
    kind: t(locale, `ledger.gateway.${d.kind}`),
    reference: d.reference,
    problem: t(locale, `ledger.problem.${d.problem}`),
    ledger: figures(d.ledgerAmount, d.ledgerFee, d.kind),
    gateway: figures(d.gatewayAmount, d.gatewayFee, d.kind),
    difference: yen(d.difference),
  });
}

export function differencesFile(
  month: string,
  titleKey: string,
  ds: DifferenceModel[],
  locale: Locale,
): ReplyFile {
  const csv = (k: string) => t(locale, `ledger.csv.${k}`);
  return csvFile(
    `reconcile-${month}.csv`,
    t(locale, titleKey, { month }),
    [
      csv('kind'),
      csv('reference'),
      csv('problem'),
      csv('ledger_amount'),
      csv('ledger_fee'),
      csv('gateway_amount'),
      csv('gateway_fee'),
      csv('difference'),
    ],
    ds.map((d) => [
      d.kind,
      d.reference,
      d.problem,
      d.ledgerAmount,
      d.ledgerFee,
      d.gatewayAmount,
      d.gatewayFee,
      d.difference,
    ]),
  );
}

export function reconcileView(m: ReconcileModel, locale: Locale): Reply {
  const title = t(locale, 'ledger.reconcile.title', { month: m.month });
  const summary = t(locale, 'ledger.reconcile.summary', {
    matched: m.matched.toLocaleString('en-US'),
    count: m.differences.length.toLocaleString('en-US'),
    total: yen(m.total),
  });
  const blocks: KnownBlock[] = [header(title), section(summary)];
  const text = [title, summary];
  if (m.differences.length === 0) {
    const clean = t(locale, 'ledger.reconcile.clean');
    blocks.push(section(clean));
    text.push(clean);
    return { visibility: 'ephemeral', message: { text: text.join('\n'), blocks }, model: m };
  }
  const lines = m.differences.slice(0, INLINE_DIFFERENCES).map((d) => `• ${differenceLine(d, locale)}`);
  blocks.push(...sections(lines));
  text.push(...lines);
  if (m.differences.length > INLINE_DIFFERENCES) {
    const more = t(locale, 'ledger.reconcile.more', { count: m.differences.length - INLINE_DIFFERENCES });
    blocks.push(context(more));
    text.push(more);
  }
  return {
    visibility: 'ephemeral',
    message: { text: text.join('\n'), blocks },
    model: m,
    files: [differencesFile(m.month, 'ledger.reconcile.file_title', m.differences, locale)],
  };
}

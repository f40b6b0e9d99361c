// An investigation's ledger facts: the reply in its thread at filing (public in the channel, so no
// amounts: how many entries and gateway records, the payout status, how many differences, who may
// see the amounts and a "Show amounts" button), the facts with amounts for a finance member who
// presses it, and the refusal for anyone else. Pure: (model, locale) -> Message or Reply.
import type { KnownBlock } from '@slack/types';
import type { Message, Reply } from '../core/command.ts';
import { formatInvestigationId } from '../domain/investigation.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { LedgerFactsModel, PayoutModel } from '../services/investigations/ledger-facts.ts';
import { context, section, sections, yen } from './common.ts';
import { entriesView } from './ledger/entries.ts';
import { differenceLine } from './ledger/reconcile.ts';
import { ECHO_LIMIT, truncate } from './limits.ts';

/** The "Show amounts" button's action_id (handlers/investigation-ledger-facts.ts); its value is the investigation's id. */
export const SHOW_AMOUNTS_ACTION = 'investigation.ledger_facts';

/** A reference as mrkdwn code: typed by a person, so no backtick may close the span early. */
function code(reference: string): string {
  return `\`${truncate(reference, ECHO_LIMIT).replace(/`/g, "'")}\``;
}

function payoutLine(p: PayoutModel, locale: Locale, withAmount: boolean): string {
  if (p.status !== 'paid') return t(locale, `investigation.facts.payout.${p.status}`);
  return withAmount
    ? t(locale, 'investigation.facts.payout.paid_amount', { date: p.paidOn, id: p.id, amount: yen(p.amount) })
    : t(locale, 'investigation.facts.payout.paid', { date: p.paidOn, id: p.id });
}

/**
 * The reply in the investigation's thread: what the ledger knows about `reference` without any
 * amount, or (facts undefined) that it could not be read and how to read it; then who may see the
 * amounts (`who`, as names: the thread notifies nobody) and the button.
 */
export function factsThreadMessage(
  m: { investigationId: string; reference: string; facts: LedgerFactsModel | undefined; who: string[] },
  locale: Locale,
): Message {
  const ref = code(m.reference);
  const title = t(locale, 'investigation.facts.title', { reference: ref });
  const lines: string[] = [];
  if (!m.facts) {
    const command = code(`/ledger entries ${m.reference}`);
    lines.push(t(locale, 'investigation.facts.unavailable', { reference: ref, command }));
  } else if (m.facts.entries.length === 0 && m.facts.gateway.length === 0 && m.facts.payout.status === 'none')
    lines.push(t(locale, 'investigation.facts.nothing', { reference: ref }));
  else {
    lines.push(
      t(locale, 'investigation.facts.summary', {
        entries: m.facts.entries.length,
        gateway: m.facts.gateway.length,
      }),
      payoutLine(m.facts.payout, locale, false),
      m.facts.differences.length === 0
        ? t(locale, 'investigation.facts.no_differences')
        : t(locale, 'investigation.facts.differences', { count: m.facts.differences.length }),
    );
  }
  const who = t(locale, 'investigation.facts.who', { who: m.who.join(', ') || '-' });
  const blocks: KnownBlock[] = [
    section([title, ...lines].join('\n')),
    context(who),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SHOW_AMOUNTS_ACTION,
          value: m.investigationId,
          text: { type: 'plain_text', text: t(locale, 'investigation.facts.button') },
        },
      ],
    },
  ];
  return { text: [title, ...lines, who].join('\n'), blocks };
}

/**
 * The facts with their amounts, for a finance member only (ephemeral): the entries and gateway
 * records as /ledger entries shows them (a CSV file when long), then the payout and every difference.
 */
export function factsReply(m: LedgerFactsModel, investigationId: string, locale: Locale): Reply {
  const entries = entriesView({ ...m, query: 'entries' }, locale);
  const head = t(locale, 'investigation.facts.shown', {
    id: formatInvestigationId(investigationId),
    reference: code(m.reference),
  });
  const more = [
    payoutLine(m.payout, locale, true),
    ...(m.differences.length === 0
      ? [t(locale, 'investigation.facts.no_differences')]
      : [
          t(locale, 'investigation.facts.differences', { count: m.differences.length }),
          ...m.differences.map((d) => `• ${differenceLine(d, locale)}`),
        ]),
  ];
  return {
    ...entries,
    visibility: 'ephemeral',
    message: {
      text: [head, entries.message.text, ...more].join('\n'),
      blocks: [context(head), ...(entries.message.blocks ?? []), ...sections(more)],
    },
    model: m,
  };
}

/** The refusal to someone outside permissions.finance, naming who may see the amounts (mentions: only the reader sees it). */
export function factsRefusal(reference: string, who: string[], locale: Locale): Reply {
  const text = t(locale, 'investigation.facts.refused', {
    who: who.join(', ') || '-',
    reference: code(reference),
  });
  return { visibility: 'ephemeral', message: { text, blocks: [section(text)] } };
}

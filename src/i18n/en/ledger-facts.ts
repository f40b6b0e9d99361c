// An investigation's ledger facts: the thread reply at filing, "Show amounts", the reference check.
export const ledgerFacts: Record<string, string> = {
  'investigation.error.reference_unknown':
    'The ledger knows no order, transaction or payout "{value}". Give the order id (ORD-…), the gateway transaction id (ch_…, re_…) or the payout id (PO-…), not an id the customer sees.',
  'investigation.facts.title': '*What the ledger knows about {reference}*',
  'investigation.facts.summary': '{entries} journal entries, {gateway} gateway records',
  'investigation.facts.payout.paid': 'Payout: paid on {date} ({id})',
  'investigation.facts.payout.paid_amount': 'Payout: paid on {date} ({id}, {amount} in all to the seller)',
  'investigation.facts.payout.due': 'Payout: not paid out yet (due at the next payout)',
  'investigation.facts.payout.not_due': 'Payout: nothing to pay out (not delivered, cancelled or refunded)',
  'investigation.facts.payout.none': 'Payout: none (not an order or a payout)',
  'investigation.facts.no_differences': 'The ledger and the payment gateway agree.',
  'investigation.facts.differences': '{count} differences between the ledger and the payment gateway',
  'investigation.facts.nothing': 'The ledger holds nothing under {reference}.',
  'investigation.facts.unavailable':
    'The ledger did not answer in time, so its facts about {reference} are not here. Finance can read them with {command}.',
  'investigation.facts.who': 'Only finance (permissions.finance) sees the amounts: {who}.',
  'investigation.facts.button': 'Show amounts',
  'investigation.facts.shown': 'Ledger facts of {id} ({reference}), shown only to you',
  'investigation.facts.refused':
    'Sorry, the amounts about {reference} are only for finance (permissions.finance): {who}. Please ask one of them.',
  'investigation.facts.unknown': '{id} has no reference to look up (or is gone).',
};

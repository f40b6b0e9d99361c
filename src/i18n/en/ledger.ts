// /ledger (finance: the general ledger).
export const ledger: Record<string, string> = {
  'ledger.help':
    '`/ledger balance <account> [<date>]` balance of an account (code or name: 売掛金, 1130, Accounts receivable)\n' +
    '`/ledger entries <reference>` journal entries of an order, transaction or payout id\n' +
    '`/ledger trial <YYYY-MM>` trial balance of a month (opening, debits, credits, closing); with a date, month to date\n' +
    '`/ledger account <account> <from> <to>` the account ledger: lines of an account with the running balance (a CSV file when long; `journal` also works)\n' +
    '`/ledger reconcile <YYYY-MM>` ledger against the payment gateway, differences listed\n' +
    '`/ledger close <YYYY-MM>` month-close checks, each pass / fail with its evidence\n' +
    'Dates: 2024-03-31, 2024/3/31, today, yesterday, last-month-end. Months: 2024-03, 2024/3, this-month, last-month',
  'ledger.usage.missing': 'Say what to look up.',
  'ledger.usage.unknown_subcommand': 'There is no subcommand `{sub}`.',
  'ledger.usage.balance': 'Name an account, e.g. `/ledger balance 売掛金 2024-03-31`.',
  'ledger.usage.entries': 'Give one reference, e.g. `/ledger entries ORD-00000123`.',
  'ledger.usage.trial': 'Give one month, e.g. `/ledger trial 2024-03`.',
  'ledger.usage.account':
    'Name an account and a period, e.g. `/ledger account 前受金 2024-03-01 2024-03-31`.',
  'ledger.usage.reconcile': 'Give one month, e.g. `/ledger reconcile 2024-03`.',
  'ledger.usage.close': 'Give one month, e.g. `/ledger close 2024-03`.',
  'ledger.usage.range_order': 'The start {from} is after the end {to}.',
  'ledger.unknown_account': 'There is no account `{account}`. Accounts: {known}',
  'ledger.ambiguous_account': '`{account}` fits more than one account: {candidates}. Use the code.',
  'ledger.missing_role':
    'The chart of accounts has no account with the role `{role}` (ledger.accounts.role).',

  'ledger.side.debit': 'debit',
  'ledger.side.credit': 'credit',
  'ledger.type.asset': 'asset',
  'ledger.type.liability': 'liability',
  'ledger.type.equity': 'equity',
  'ledger.type.revenue': 'revenue',
  'ledger.type.expense': 'expense',
  'ledger.kind.purchase': 'purchase',
  'ledger.kind.capture': 'capture',
  'ledger.kind.completion': 'completion',
  'ledger.kind.cancellation': 'cancellation',
  'ledger.kind.refund': 'refund',
  'ledger.kind.payout': 'payout',
  'ledger.kind.deposit': 'deposit',
  'ledger.kind.capital': 'capital',
  'ledger.kind.adjustment': 'adjustment',
  'ledger.kind.opening': 'opening balances',
  'ledger.gateway.charge': 'charge',
  'ledger.gateway.refund': 'refund',
  'ledger.gateway.deposit': 'deposit',

  'ledger.balance.title': 'Balance of {account} at the end of {date}',
  'ledger.balance.amount': '*{amount}* ({side} balance)',
  'ledger.balance.detail': 'Debits {debit}  Credits {credit}  {lines} lines',

  'ledger.trial.title': 'Trial balance {month} ({from} – {through})',
  'ledger.trial.code': 'Code',
  'ledger.trial.account': 'Account',
  'ledger.trial.opening': 'Opening',
  'ledger.trial.debit': 'Debit',
  'ledger.trial.credit': 'Credit',
  'ledger.trial.closing': 'Closing',
  'ledger.trial.total': 'Total',
  'ledger.trial.empty': 'No balances or movements in this period.',
  'ledger.trial.note':
    'Balances are debits − credits (credit balances negative). Debits {debit} = credits {credit}',
  'ledger.trial.unbalanced': '⚠️ Debits {debit} and credits {credit} differ.',
  'ledger.trial.file_title': 'Trial balance {month}',

  'ledger.entries.title': '{count} journal entries of `{reference}`',
  'ledger.entries.none': 'No journal entries for `{reference}`.',
  'ledger.entries.entry': '*#{id}* {date} {kind}',
  'ledger.entries.reverses': '(reverses #{id})',
  'ledger.entries.gateway_title': 'Payment gateway records',
  'ledger.entries.gateway_line': '{date} {kind} `{id}` {amount}',
  'ledger.entries.gateway_fee': '(fee {fee})',
  'ledger.entries.truncated': 'Too many entries: only the first ones are shown.',
  'ledger.entries.file': 'All lines are in the attached CSV file.',
  'ledger.entries.file_title': 'Journal entries of {reference}',

  'ledger.account.title': 'Ledger of {account}, {from} – {to}',
  'ledger.account.summary':
    'Opening {opening}  Debits {debit}  Credits {credit}  Closing {closing} ({count} lines)',
  'ledger.account.none': 'No lines in this period.',
  'ledger.account.file': 'The {count} lines are in the attached CSV file.',
  'ledger.account.too_many':
    'There are {count} lines, more than the {limit} one answer can carry. Please narrow the period (the totals above are complete).',
  'ledger.account.file_title': 'Ledger of {account}, {from} – {to}',

  'ledger.reconcile.title': 'Reconciliation with the payment gateway, {month}',
  'ledger.reconcile.summary': '{matched} matched, {count} differences (sum of absolute differences {total})',
  'ledger.reconcile.clean': 'No differences.',
  'ledger.reconcile.line':
    '{kind} `{reference}`: {problem}, ledger {ledger} / gateway {gateway} (difference {difference})',
  'ledger.reconcile.more': '{count} more in the attached CSV file.',
  'ledger.reconcile.file_title': 'Reconciliation differences {month}',
  'ledger.problem.missing_in_ledger': 'not in the ledger',
  'ledger.problem.missing_in_gateway': 'not at the gateway',
  'ledger.problem.amount': 'amounts differ',
  'ledger.problem.fee': 'fees differ',

  'ledger.close.title': 'Month-close checks {month}',
  'ledger.close.pass': '✅ Every check passed.',
  'ledger.close.fail': '❌ Some checks failed.',
  'ledger.close.status.pass': '✅ pass',
  'ledger.close.status.fail': '❌ fail',
  'ledger.close.status.skipped': '⏭ skipped',
  'ledger.close.check.balanced': 'Every entry balanced: {unbalanced} of {entries} entries unbalanced',
  'ledger.close.check.receivable':
    '売掛金 equals the open receivables: ledger {ledger} / orders {subledger} ({open_items} orders), difference {difference}',
  'ledger.close.check.advance':
    '前受金 equals the undelivered orders: ledger {ledger} / orders {subledger} ({open_items} orders), difference {difference}',
  'ledger.close.check.gateway':
    'Gateway reconciliation: {matched} matched, {differences} differences (total {total})',
  'ledger.close.check.suspense': 'Nothing on suspense accounts: left on {accounts} (total {total})',
  'ledger.close.check.investigations':
    "The month's investigations about money (payment, payout, refund) are all resolved: {open} still open ({ids})",
  'ledger.close.check.drift': 'Rollups equal the lines: {compared} rows compared, {mismatches} differ',
  'ledger.close.file_title': 'Reconciliation differences of the {month} close',

  'ledger.csv.date': 'date',
  'ledger.csv.entry': 'entry',
  'ledger.csv.kind': 'kind',
  'ledger.csv.reference': 'reference',
  'ledger.csv.memo': 'memo',
  'ledger.csv.code': 'code',
  'ledger.csv.account': 'account',
  'ledger.csv.debit': 'debit',
  'ledger.csv.credit': 'credit',
  'ledger.csv.balance': 'balance',
  'ledger.csv.opening': 'opening',
  'ledger.csv.closing': 'closing',
  'ledger.csv.problem': 'problem',
  'ledger.csv.ledger_amount': 'ledger amount',
  'ledger.csv.ledger_fee': 'ledger fee',
  'ledger.csv.gateway_amount': 'gateway amount',
  'ledger.csv.gateway_fee': 'gateway fee',
  'ledger.csv.difference': 'difference',
  'ledger.csv.line': 'line',
};

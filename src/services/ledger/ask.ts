// /ledger's use cases: read the question, ask the ledger in a read-only transaction with a time
// limit, and write who asked what (and how many rows it returned) to the audit log.
import type { AppContext } from '../../app/context.ts';
import { usageError, UserError } from '../../app/errors.ts';
import { openInvestigations } from '../../db/ledger/investigations.ts';
import {
  entriesOf,
  gatewayItems,
  gatewayRecordsOf,
  journalLines,
  ledgerGatewayItems,
  listAccounts,
  openOrders,
  rollupDrift,
  totalsBetween,
  totalsThrough,
  trialBalance,
  unbalancedEntries,
} from '../../db/ledger/queries.ts';
import { withReadOnly } from '../../db/ledger/readonly.ts';
import type { Tx } from '../../db/pool.ts';
import { addDays, monthBounds, startOfBusinessDate, type IsoMonth } from '../../domain/dates.ts';
import { matchAccount, normalSide, type Account, type AccountRole } from '../../domain/ledger/accounts.ts';
import {
  checkBalanced,
  checkDrift,
  checkGateway,
  checkInvestigations,
  checkSubledger,
  checkSuspense,
  closeVerdict,
} from '../../domain/ledger/close.ts';
import { isProblem, parseLedgerQuery, type LedgerQuery } from '../../domain/ledger/query.ts';
import {
  gatewayKindOf,
  reconcile,
  type Reconciliation,
  type ReconItem,
} from '../../domain/ledger/reconcile.ts';
import type {
  AccountModel,
  BalanceModel,
  CloseModel,
  DifferenceModel,
  EntriesModel,
  EntryModel,
  JournalModel,
  LedgerAnswer,
  ReconcileModel,
  TrialModel,
} from './models.ts';
import { auditedRead } from '../audited-read.ts';
import { businessToday } from '../today.ts';

/** Long enough for a month-close over ten million lines, short enough to answer in the thread. */
export const LEDGER_TIMEOUT_MS = 20_000;
/** An answer lists at most this many lines of an account; beyond that it gives the totals only. */
export const JOURNAL_LINE_LIMIT = 50_000;
const ENTRY_LINE_LIMIT = 2_000;

export interface AskOptions {
  timeoutMs?: number;
}

type Ctx = Pick<AppContext, 'pool' | 'ledgerPool' | 'clock' | 'config' | 'auditTrail'>;

/** Reads the text after `/ledger` and answers it. Usage problems come back as usage errors. */
export async function answerLedger(
  ctx: Ctx,
  actor: string,
  text: string,
  opts: AskOptions = {},
): Promise<LedgerAnswer> {
  const q = parseLedgerQuery(text, businessToday(ctx));
  if (isProblem(q)) throw usageError('/ledger', q.problem, q.params);
  return answerQuery(ctx, actor, q, opts);
}

export async function answerQuery(
  ctx: Ctx,
  actor: string,
  q: LedgerQuery,
  opts: AskOptions = {},
): Promise<LedgerAnswer> {
  switch (q.kind) {
    case 'balance':
      return asked(
        ctx,
        actor,
        q,
        opts,
        (tx) => balance(tx, q.account, q.date),
        () => 1,
      );
    case 'trial':
      return asked(
        ctx,
        actor,
        q,
        opts,
        (tx) => trial(tx, q.month, q.through),
        (m) => m.rows.length,
      );
    case 'entries':
      return asked(
        ctx,
        actor,
        q,
        opts,
        (tx) => entries(tx, q.reference),
        (m) => m.entries.reduce((s, e) => s + e.lines.length, 0),
      );
    case 'journal':
      return asked(
        ctx,
        actor,
        q,
        opts,
        (tx) => journal(tx, q.account, q.from, q.to),
        (m) => m.lines?.length ?? 0,
      );
    case 'reconcile':
      return asked(
        ctx,
        actor,
        q,
        opts,
        (tx) => reconcileModel(tx, q.month),
        (m) => m.differences.length,
      );
    case 'close': {
      const investigations = await investigationsOf(ctx, q.month);
      return asked(
        ctx,
        actor,
        q,
        { ...opts, snapshot: true },
        (tx) => close(tx, q.month, investigations),
        (m) => m.checks.length,
      );
    }
  }
}

async function asked<T>(
  ctx: Ctx,
  actor: string,
  q: LedgerQuery,
  opts: AskOptions & { snapshot?: boolean },
  fn: (tx: Tx) => Promise<T>,
  rowCount: (result: T) => number,
): Promise<T> {
  const { kind, ...args } = q;
  return auditedRead(
    ctx,
    { actor, action: `ledger.${kind}`, args },
    () => withReadOnly(ctx.ledgerPool, opts.timeoutMs ?? LEDGER_TIMEOUT_MS, fn, { snapshot: opts.snapshot }),
    { rowCount },
  );
}

function accountModel(a: Account): AccountModel {
  return { code: a.code, nameJa: a.nameJa, nameEn: a.nameEn, type: a.type };
}

function resolveAccount(accounts: readonly Account[], text: string): Account {
  const m = matchAccount(accounts, text);
  if (m.kind === 'found') return m.account;
  const list = (xs: readonly Account[]) => xs.map((a) => `\`${a.code} ${a.nameJa}\``).join(', ');
  if (m.kind === 'ambiguous')
    throw new UserError('ledger.ambiguous_account', { account: text, candidates: list(m.candidates) });
  throw new UserError('ledger.unknown_account', { account: text, known: list(accounts) });
}

function byRole(accounts: readonly Account[], role: AccountRole): Account {
  const a = accounts.find((x) => x.role === role);
  if (!a) throw new UserError('ledger.missing_role', { role });
  return a;
}

async function balance(tx: Tx, accountText: string, date: string): Promise<BalanceModel> {
  const account = resolveAccount(await listAccounts(tx), accountText);
  const t = await totalsThrough(tx, account.code, date);
  return {
    query: 'balance',
    account: accountModel(account),
    date,
    debit: t.debit.toString(),
    credit: t.credit.toString(),
    balance: (t.debit - t.credit).toString(),
    lines: t.lines,
  };
}

async function trial(tx: Tx, month: IsoMonth, through: string): Promise<TrialModel> {
  const accounts = new Map((await listAccounts(tx)).map((a) => [a.code, a]));
  const { first } = monthBounds(month);
  const rows = await trialBalance(tx, first, through);
  const totals = { opening: 0n, debit: 0n, credit: 0n, closing: 0n };
  const out = rows.map((r) => {
    const closing = r.opening + r.debit - r.credit;
    totals.opening += r.opening;
    totals.debit += r.debit;
    totals.credit += r.credit;
    totals.closing += closing;
    const a = accounts.get(r.code);
    return {
      code: r.code,
      nameJa: a?.nameJa ?? r.code,
      nameEn: a?.nameEn ?? r.code,
      type: a?.type ?? 'asset',
      opening: r.opening.toString(),
      debit: r.debit.toString(),
      credit: r.credit.toString(),
      closing: closing.toString(),
    };
  });
  return {
    query: 'trial',
    month,
    from: first,
    through,
    rows: out,
    totals: {
      opening: totals.opening.toString(),
      debit: totals.debit.toString(),
      credit: totals.credit.toString(),
      closing: totals.closing.toString(),
    },
  };
}

async function entries(tx: Tx, reference: string): Promise<EntriesModel> {
  const ref = reference.normalize('NFKC').trim();
  const accounts = new Map((await listAccounts(tx)).map((a) => [a.code, accountModel(a)]));
  const lines = await entriesOf(tx, ref, ENTRY_LINE_LIMIT + 1);
  const truncated = lines.length > ENTRY_LINE_LIMIT;
  const byEntry = new Map<string, EntryModel>();
  for (const l of lines.slice(0, ENTRY_LINE_LIMIT)) {
    let e = byEntry.get(l.entryId);
    if (!e) {
      e = {
        id: l.entryId,
        accountingDate: l.accountingDate,
        postedAt: l.postedAt,
        kind: l.kind,
        reference: l.reference,
        memo: l.memo,
        reverses: l.reverses,
        lines: [],
      };
      byEntry.set(l.entryId, e);
    }
    const account = accounts.get(l.account) ?? {
      code: l.account,
      nameJa: l.account,
      nameEn: l.account,
      type: 'asset' as const,
    };
    e.lines.push({ lineNo: l.lineNo, account, debit: l.debit.toString(), credit: l.credit.toString() });
  }
  const gateway = (await gatewayRecordsOf(tx, ref)).map((g) => ({
    ...g,
    amount: g.amount.toString(),
    fee: g.fee.toString(),
  }));
  return { query: 'entries', reference: ref, entries: [...byEntry.values()], gateway, truncated };
}

async function journal(tx: Tx, accountText: string, from: string, to: string): Promise<JournalModel> {
  const account = resolveAccount(await listAccounts(tx), accountText);
  const opening = await totalsThrough(tx, account.code, addDays(from, -1));
  const period = await totalsBetween(tx, account.code, from, to);
  const openingBalance = opening.debit - opening.credit;
  const closing = openingBalance + period.debit - period.credit;
  let lines: JournalModel['lines'] = null;
  if (period.lines <= JOURNAL_LINE_LIMIT) {
    let running = openingBalance;
    lines = (await journalLines(tx, account.code, from, to, JOURNAL_LINE_LIMIT)).map((l) => {
      running += l.debit - l.credit;
      return {
        date: l.accountingDate,
        entryId: l.entryId,
        kind: l.kind,
        reference: l.reference,
        memo: l.memo,
        debit: l.debit.toString(),
        credit: l.credit.toString(),
        balance: running.toString(),
      };
    });
  }
  return {
    query: 'journal',
    account: accountModel(account),
    from,
    to,
    opening: openingBalance.toString(),
    debit: period.debit.toString(),
    credit: period.credit.toString(),
    closing: closing.toString(),
    lineCount: period.lines,
    lines,
    limit: JOURNAL_LINE_LIMIT,
  };
}

async function reconciliation(
  tx: Tx,
  accounts: readonly Account[],
  month: IsoMonth,
): Promise<Reconciliation> {
  const { first, next } = monthBounds(month);
  const gateway = byRole(accounts, 'gateway');
  const fee = byRole(accounts, 'gateway_fee');
  const ledger: ReconItem[] = [];
  for (const i of await ledgerGatewayItems(tx, gateway.code, fee.code, first, next)) {
    const kind = gatewayKindOf(i.kind);
    // A posting on the gateway account that no gateway record can answer for is still a difference.
    ledger.push({
      kind: kind ?? 'charge',
      reference: kind ? i.reference : `${i.kind}:${i.reference}`,
      amount: i.amount,
      fee: i.fee,
    });
  }
  return reconcile(ledger, await gatewayItems(tx, first, next));
}

function differenceModels(r: Reconciliation): DifferenceModel[] {
  return r.differences.map((d) => ({
    kind: d.kind,
    reference: d.reference,
    problem: d.problem,
    ledgerAmount: d.ledger?.amount.toString() ?? null,
    ledgerFee: d.ledger?.fee.toString() ?? null,
    gatewayAmount: d.gateway?.amount.toString() ?? null,
    gatewayFee: d.gateway?.fee.toString() ?? null,
    difference: d.difference.toString(),
  }));
}

async function reconcileModel(tx: Tx, month: IsoMonth): Promise<ReconcileModel> {
  const r = await reconciliation(tx, await listAccounts(tx), month);
  return {
    query: 'reconcile',
    month,
    matched: r.matched,
    differences: differenceModels(r),
    total: r.total.toString(),
  };
}

type Investigations = { open: number | null; reason?: string };

/** Investigations live in the bot's own database, not in the ledger's. */
async function investigationsOf(ctx: Ctx, month: IsoMonth): Promise<Investigations> {
  const { first, next } = monthBounds(month);
  const tz = ctx.config.timezone;
  return openInvestigations(ctx.pool, startOfBusinessDate(first, tz), startOfBusinessDate(next, tz));
}

async function close(tx: Tx, month: IsoMonth, investigations: Investigations): Promise<CloseModel> {
  const accounts = await listAccounts(tx);
  const { first, last, next } = monthBounds(month);
  const net = async (a: Account) => {
    const t = await totalsThrough(tx, a.code, last);
    return t.debit - t.credit;
  };
  const receivable = byRole(accounts, 'receivable');
  const advance = byRole(accounts, 'advance');
  const balanced = await unbalancedEntries(tx, first, next);
  const orders = await openOrders(tx, last);
  const recon = await reconciliation(tx, accounts, month);
  const suspense = [];
  for (const a of accounts.filter((x) => x.role === 'suspense'))
    suspense.push({ code: a.code, balance: await net(a) });
  const drift = await rollupDrift(tx, first, next);
  const checks = [
    checkBalanced(balanced.entries, balanced.unbalanced),
    checkSubledger(
      'receivable',
      await net(receivable),
      normalSide(receivable.type),
      orders.receivables,
      orders.receivableOrders,
    ),
    checkSubledger(
      'advance',
      await net(advance),
      normalSide(advance.type),
      orders.undelivered,
      orders.undeliveredOrders,
    ),
    checkGateway(recon.matched, recon.differences.length, recon.total),
    checkSuspense(suspense),
    checkInvestigations(investigations.open, investigations.reason),
    checkDrift(drift.compared, drift.mismatches),
  ];
  return {
    query: 'close',
    month,
    verdict: closeVerdict(checks),
    checks,
    differences: differenceModels(recon),
  };
}

// What the ledger knows about an investigation's reference (an order id, a gateway transaction id, a
// payout id): its journal entries, the gateway's records, the payout status, and what does not
// reconcile between the ledger and the gateway for it. Read like every /ledger question: in a
// read-only transaction with a statement timeout on the ledger's database, audited as
// `ledger.facts` for the person it is read for (the filer at filing, the presser of "Show amounts").
//
// Time-boxed where a person waits or a filing must not be lost: the modal's reference check (before
// Slack's 3-second acknowledgement) and the read at filing. A ledger that does not answer in time
// is not an error there: the reference is accepted and the thread says the facts could not be read.
import { AuditTrail, writeAudit } from '../../core/audit-trail.ts';
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import { postRef, investigationById } from '../../db/investigations.ts';
import { payoutOf, referenceKnown, type PayoutRow } from '../../db/ledger/facts.ts';
import { listAccounts } from '../../db/ledger/queries.ts';
import { withReadOnly } from '../../db/ledger/readonly.ts';
import type { Queryable, Tx } from '../../db/pool.ts';
import { formatInvestigationId, type Investigation } from '../../domain/investigation.ts';
import { gatewayKindOf, reconcile, type ReconItem } from '../../domain/ledger/reconcile.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { factsThreadMessage } from '../../views/investigation-ledger-facts.ts';
import { auditedRead } from '../audited-read.ts';
import { within } from '../budget.ts';
import { byRole } from '../ledger/accounts.ts';
import { readEntries } from '../ledger/entries.ts';
import type { DifferenceModel, EntriesModel } from '../ledger/models.ts';
import { differenceModels } from '../ledger/reconcile.ts';
import { LEDGER_TIMEOUT_MS, type LedgerContext } from '../ledger/read.ts';
import { isFinance, PermissionCheckError } from '../permissions.ts';

/** The reference check in the filing modal's validate(): well inside Slack's 3 s with the rest. */
export const REFERENCE_CHECK_MS = 1_000;
/** The facts read at filing (after the acknowledgement): a slow ledger delays the filing this much at most. */
export const FILING_FACTS_MS = 2_000;
/** Looking up the finance members' names for the thread. */
const NAMES_MS = 500;

/** The audit row's action of every ledger-facts read and refusal. */
export const FACTS_ACTION = 'ledger.facts';

/**
 * The payout of the order (or the payout) a reference names: `paid` with the payout's id, day and
 * whole amount (every order of that seller and day, integer yen); `due` when the order is delivered
 * and its seller not paid yet; `not_due` when there is nothing to pay (not delivered, cancelled or
 * refunded); `none` when the reference is neither an order nor a payout (a deposit, an adjustment).
 */
export type PayoutModel =
  { status: 'paid'; id: string; paidOn: string; amount: string } | { status: 'due' | 'not_due' | 'none' };

/** What the ledger knows about one reference. Money as decimal strings of integer yen. */
export interface LedgerFactsModel extends Omit<EntriesModel, 'query'> {
  query: 'facts';
  payout: PayoutModel;
  /** The ledger's gateway postings of this reference against the gateway's records of it. */
  differences: DifferenceModel[];
}

function payoutModel(p: PayoutRow | undefined): PayoutModel {
  if (!p) return { status: 'none' };
  if (p.payoutId && p.paidOn && p.amount !== null)
    return { status: 'paid', id: p.payoutId, paidOn: p.paidOn, amount: p.amount.toString() };
  if (p.of === 'payout' || p.orderCancelled || !p.orderCompleted) return { status: 'not_due' };
  return { status: 'due' };
}

/**
 * The reconciliation of one reference, as /ledger reconcile does it for a month: per entry on the
 * gateway account, its gross amount (and, for a deposit, the fee posted with it) against the
 * gateway's records of the same kind and reference.
 */
async function referenceDifferences(tx: Tx, m: EntriesModel): Promise<DifferenceModel[]> {
  const accounts = await listAccounts(tx);
  const gateway = byRole(accounts, 'gateway').code;
  const fee = byRole(accounts, 'gateway_fee').code;
  const ledger: ReconItem[] = [];
  for (const e of m.entries) {
    const on = (code: string) =>
      e.lines
        .filter((l) => l.account.code === code)
        .reduce((s, l) => s + BigInt(l.debit) - BigInt(l.credit), 0n);
    if (!e.lines.some((l) => l.account.code === gateway)) continue;
    const net = on(gateway);
    const kind = gatewayKindOf(e.kind);
    const reference = e.reference ?? `#${e.id}`;
    ledger.push({
      kind: kind ?? 'charge',
      reference: kind ? reference : `${e.kind}:${reference}`,
      amount: net < 0n ? -net : net,
      fee: on(fee),
    });
  }
  const records: ReconItem[] = m.gateway.map((g) => ({
    kind: g.kind,
    reference: g.reference,
    amount: BigInt(g.amount),
    fee: BigInt(g.fee),
  }));
  return differenceModels(reconcile(ledger, records));
}

async function readFacts(tx: Tx, reference: string): Promise<LedgerFactsModel> {
  const entries = await readEntries(tx, reference);
  const payout = payoutModel(await payoutOf(tx, entries.reference));
  const differences = await referenceDifferences(tx, entries);
  return { ...entries, query: 'facts', payout, differences };
}

/**
 * The facts of `reference` for `actor`, in one snapshot of the ledger, audited as `ledger.facts`
 * with `args` (the reference and what it was read for) and the number of journal lines. Rejects
 * with UserError `error.timeout` past `timeoutMs`, with the read's or the audit insert's error.
 */
export function readLedgerFacts(
  ctx: LedgerContext,
  actor: string,
  reference: string,
  args: Record<string, unknown>,
  timeoutMs = LEDGER_TIMEOUT_MS,
): Promise<LedgerFactsModel> {
  return auditedRead(
    ctx,
    { actor, action: FACTS_ACTION, args: { reference, ...args } },
    () => withReadOnly(ctx.ledgerPool, timeoutMs, (tx) => readFacts(tx, reference), { snapshot: true }),
    { rowCount: (m) => m.entries.reduce((s, e) => s + e.lines.length, 0) },
  );
}

/**
 * Whether the ledger knows `reference` (NFKC, trimmed): true or false when it answered within
 * `ms`, undefined when it did not (slow, unreachable, an error): then the caller accepts the
 * reference. One indexed statement in a read-only transaction; not audited, as it tells only that
 * a reference exists, which the investigation's thread says to everyone anyway.
 */
export function knowsReference(
  ctx: Pick<AppContext, 'ledgerPool'>,
  reference: string,
  ms = REFERENCE_CHECK_MS,
): Promise<boolean | undefined> {
  const ref = reference.normalize('NFKC').trim();
  return within(
    withReadOnly(ctx.ledgerPool, ms, (tx) => referenceKnown(tx, ref)),
    ms,
  );
}

/** What the thread reply at filing shows: the facts, or undefined when they could not be read in time. */
export interface FilingFacts {
  reference: string;
  facts: LedgerFactsModel | undefined;
  /** Who may see the amounts, as the thread names them (no mentions: nobody is notified). */
  who: string[];
}

/**
 * Before the filing's transaction: the facts of `reference` read for the filer within
 * FILING_FACTS_MS (audited; under `key`'s derived request key, so a filing answered again writes
 * one row) and the names of who may see the amounts. Never rejects: a ledger that does not answer
 * in time gives `facts: undefined`.
 */
export async function filingFacts(
  ctx: Pick<AppContext, 'pool' | 'ledgerPool' | 'config' | 'clock' | 'directory'>,
  requester: string,
  reference: string,
  key: string | undefined,
  ms = FILING_FACTS_MS,
): Promise<FilingFacts> {
  const audited = { ...ctx, auditTrail: new AuditTrail(key ? `${key}:ledger-facts` : undefined) };
  const [facts, who] = await Promise.all([
    within(readLedgerFacts(audited, requester, reference, { for: 'filing' }, ms), ms),
    financeNames(ctx),
  ]);
  return { reference, facts, who };
}

/**
 * The members of permissions.finance as the thread shows them: a user by the name the directory
 * knows (else their id), a user group by its id. Names are looked up within NAMES_MS.
 */
export async function financeNames(ctx: Pick<AppContext, 'config' | 'directory'>): Promise<string[]> {
  return Promise.all(
    ctx.config.permissions.finance.map(async (id) =>
      id.startsWith('S') ? id : ((await within(ctx.directory.userName(id), NAMES_MS)) ?? id),
    ),
  );
}

/** The members of permissions.finance as Slack mentions (for a reply only the reader sees). */
export function financeMentions(ctx: Pick<AppContext, 'config'>): string[] {
  return ctx.config.permissions.finance.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`));
}

/**
 * In the filing's transaction: the reply in the post's thread saying what the ledger knows, without
 * amounts (the thread is public in the channel), who may see them and a "Show amounts" button;
 * in the team's language. Keyed by the investigation: written once.
 */
export async function enqueueFilingFacts(
  db: Queryable,
  ctx: Pick<AppContext, 'config' | 'outboxTransport'>,
  inv: Investigation,
  f: FilingFacts,
): Promise<void> {
  const message = factsThreadMessage(
    { investigationId: inv.id, reference: f.reference, facts: f.facts, who: f.who },
    ctx.config.locale,
  );
  await enqueue(
    db,
    {
      kind: 'slack.post',
      // The investigation's own ordering key (services/investigations/posts.ts): after its post.
      orderingKey: `investigation:${inv.id}`,
      idempotencyKey: `investigation:${inv.id}:ledger-facts`,
      payload: {
        channel: ctx.config.channels.investigations,
        threadRef: postRef(inv.id),
        ...message,
      },
    },
    ctx.outboxTransport,
  );
}

/** What "Show amounts" answers: the facts for a finance member, else who may see them. */
export type ShownFacts =
  | { allowed: true; facts: LedgerFactsModel }
  | { allowed: false; reason: 'not_finance'; reference: string; who: string[] }
  | { allowed: false; reason: 'unavailable'; detail: string };

/**
 * "Show amounts" pressed by `who` on investigation `investigationId`: a finance member gets the
 * facts (audited as their own read: `ledger.facts`, allowed), anyone else a refusal (audited as
 * `ledger.facts`, refused, 'not in permissions.finance'), as /ledger refuses; a directory that cannot
 * say is a refusal too. `key` (the Slack request's) keeps a press answered again to one audit row.
 * Throws UserError `investigation.facts.unknown` for an investigation that is gone or has no reference,
 * and the read's errors (UserError `error.timeout`).
 */
export async function showLedgerFacts(
  ctx: AppContext,
  who: { userId: string; key?: string },
  investigationId: string,
): Promise<ShownFacts> {
  const inv = /^\d{1,18}$/.test(investigationId)
    ? await investigationById(ctx.pool, investigationId)
    : undefined;
  if (!inv?.reference)
    // The id of a stored request only: a value from outside (a forged button) is not echoed.
    throw new UserError('investigation.facts.unknown', { id: formatInvestigationId(inv ? inv.id : '?') });
  const audited = { ...ctx, auditTrail: new AuditTrail(who.key) };
  const args = { reference: inv.reference, for: 'show_amounts', investigation: inv.id };
  let allowed: boolean;
  try {
    allowed = await isFinance(ctx.config, ctx.directory, who.userId);
  } catch (err) {
    if (!(err instanceof PermissionCheckError)) throw err;
    ctx.log.warn({ err, code: 'E_DIRECTORY' }, 'permission check failed: refused');
    await writeAudit(audited, {
      actor: who.userId,
      action: FACTS_ACTION,
      args,
      outcome: 'refused',
      detail: err.message,
    });
    return { allowed: false, reason: 'unavailable', detail: err.reason };
  }
  if (!allowed) {
    await writeAudit(audited, {
      actor: who.userId,
      action: FACTS_ACTION,
      args,
      outcome: 'refused',
      detail: 'not in permissions.finance',
    });
    return { allowed: false, reason: 'not_finance', reference: inv.reference, who: financeMentions(ctx) };
  }
  const facts = await readLedgerFacts(audited, who.userId, inv.reference, {
    for: 'show_amounts',
    investigation: inv.id,
  });
  return { allowed: true, facts };
}

// Filing an investigation request: one transaction keyed by the Slack request's key stores the
// request (assigned to whoever is on investigation duty at that moment), its 'filed' event, the post
// in the investigations channel, the DM to the assignee and, for a reference, the ledger's facts in
// the post's thread (ledger-facts.ts). Filed again under the same key (Slack
// retried, another replica answered), it returns the same investigation and writes nothing.
import type { AppContext } from '../../core/context.ts';
import {
  byRequestKey,
  insertEvent,
  insertInvestigation,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import type { Filing, Source } from '../../domain/investigation.ts';
import { dutyAssignee } from './duty.ts';
import { asMonthClose, pageDutyPerson } from './month-close.ts';
import { enqueueFilingFacts, filingFacts } from './ledger-facts.ts';
import { enqueueAssignedDm, enqueuePastAnswers, enqueuePost } from './posts.ts';
import { similarAnswers, type SimilarAnswer } from './similar.ts';

export interface FilingRequest {
  /** Who filed it (Slack user id). */
  requester: string;
  filing: Filing;
  /** The message it was filed from, if any. */
  source?: Source;
  /** The Slack request's key; absent in the console, where nothing is retried. */
  key?: string;
  /** Whether the filer typed the deadline's time (a month-close request without one is due at close of business). */
  deadlineTimeGiven?: boolean;
  /** A month-close request (set by month-close.ts asMonthClose, not by the caller). */
  monthClose?: boolean;
}

export interface Filed {
  investigation: InvestigationRow;
  /** false when this key had filed it before: nothing was written this time. */
  created: boolean;
  /** Resolved investigations whose answers may already answer it (at most 3, closest first). */
  similar: SimilarAnswer[];
}

/** How many similar past answers a filing offers. */
const SIMILAR_OFFERED = 3;

/**
 * The investigation filed under a Slack request's key, if that request has filed one: a submission
 * answered again (after a crash, a drain, another replica's takeover) gets its first answer back,
 * even when checking it again now would refuse it (its deadline has passed since). Throws database errors.
 */
export async function filedUnder(
  ctx: Pick<AppContext, 'pool'>,
  key: string | undefined,
): Promise<InvestigationRow | undefined> {
  return key ? byRequestKey(ctx.pool, key) : undefined;
}

/**
 * The past answers offered for `inv` (filed earlier): the ones a filing offers, as they stand now.
 * Throws database errors.
 */
export async function similarTo(
  ctx: Pick<AppContext, 'pool'>,
  inv: Pick<InvestigationRow, 'id' | 'question'>,
): Promise<SimilarAnswer[]> {
  return similarAnswers(ctx, inv.question, { limit: SIMILAR_OFFERED, excludeId: inv.id });
}

/**
 * Files a request once per key: the investigation, its 'filed' event, the channel post, the DM to
 * the assignee and, when resolved investigations have similar questions, their answers in the post's
 * thread. Throws database errors.
 */
export async function fileInvestigation(
  ctx: Pick<AppContext, 'pool' | 'ledgerPool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>,
  req: FilingRequest,
): Promise<Filed> {
  if (req.key) {
    const earlier = await byRequestKey(ctx.pool, req.key);
    if (earlier) return { investigation: earlier, created: false, similar: await similarTo(ctx, earlier) };
  }
  // Before the transaction: scoring the past answers reads many rows, and no lock need wait on it.
  const similar = await similarAnswers(ctx, req.filing.question, { limit: SIMILAR_OFFERED });
  const at = ctx.clock.now();
  // Filed by finance during the monthly close: urgent, due at close of business, duty paged.
  req = await asMonthClose(ctx, req, at);
  const assignee = (await dutyAssignee(ctx)) ?? null;
  // Before the transaction: the directory may ask Slack.
  const locale = (assignee && (await ctx.directory.userLocale(assignee))) || ctx.config.locale;
  // Before the transaction and time-boxed: a slow ledger delays the filing, never loses it.
  const ref = req.filing.reference;
  const facts = ref ? await filingFacts(ctx, req.requester, ref, req.key) : undefined;
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await insertInvestigation(tx, {
      requester: req.requester,
      assignee,
      customer: req.filing.customer,
      reference: req.filing.reference ?? null,
      category: req.filing.category,
      question: req.filing.question,
      deadline: req.filing.deadline,
      urgency: req.filing.urgency,
      source: req.source ?? null,
      requestKey: req.key ?? null,
      at,
      monthClose: req.monthClose ?? false,
    });
    // Another replica filed it under this key since the look-up above: theirs stands.
    if (!inv) return { investigation: (await byRequestKey(tx, req.key!))!, created: false, similar };
    await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: req.requester,
      what: 'filed',
      detail: { assignee },
    });
    await enqueuePost(tx, ctx, inv);
    // A month-close request pages the person on duty (an urgent DM of its own): one DM, not two.
    if (!inv.monthClose) await enqueueAssignedDm(tx, ctx, inv, locale, 'filed');
    if (facts) await enqueueFilingFacts(tx, ctx, inv, facts);
    if (inv.monthClose) await pageDutyPerson(tx, ctx, inv, locale);
    await enqueuePastAnswers(tx, ctx, inv, similar);
    return { investigation: inv, created: true, similar };
  });
}

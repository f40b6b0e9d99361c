// /investigate — investigation requests (調査依頼) for support agents, finance and engineers:
//   (nothing)                   the filing modal (the same as the "Request investigation" shortcut)
//   list [open|mine|overdue]    requests not yet answered (default open), soonest deadline first
//   show INV-n                  every field, the answer when resolved, and the request's log
//   search <words>              requests and answers holding every word
//   stats <YYYY-MM>             a month's figures, with a CSV and a chart
//
// Permission: every workspace member may file, list, show, search and see the figures: support
// agents and engineers both need them, so this command is not finance-only and nothing is audited.
// It never shows an amount (ledger facts stay behind /ledger's permission).
import type { CommandModal, Invocation, Reply, SlashCommand } from '../src/core/command.ts';
import type { AppContext } from '../src/core/context.ts';
import { usageError } from '../src/core/errors.ts';
import { readCommandText, type Word } from '../src/domain/command-text.ts';
import { parseMonth } from '../src/domain/dates.ts';
import { parseInvestigationId } from '../src/domain/investigation.ts';
import type { ListFilter } from '../src/db/investigation-reports.ts';
import {
  investigationDetail,
  investigationList,
  investigationMonth,
} from '../src/services/investigations/report.ts';
import { allWords, MAX_SEARCH_WORDS, searchInvestigations } from '../src/services/investigations/search.ts';
import { businessToday } from '../src/services/today.ts';
import { filingModal } from '../src/views/investigation.ts';
import { listReply, searchReply, showReply, statsReply } from '../src/views/investigate.ts';

const NAME = '/investigate';
const FILTERS: readonly ListFilter[] = ['open', 'mine', 'overdue'];

/** How many hits a search shows. */
export const SEARCH_LIMIT = 10;

export const investigate: SlashCommand<Reply | CommandModal> = {
  name: NAME,
  helpKey: 'investigate.help',
  async run(inv, ctx) {
    const text = readCommandText(inv.text);
    const [first, ...args] = text.words;
    if (!first) return { view: { action: 'open', modal: filingModal(inv.locale) } };
    switch (first.keyword) {
      case 'list':
        return list(args, inv, ctx);
      case 'show':
        return show(args, inv, ctx);
      case 'search':
        return search(text.rest(1), inv, ctx);
      case 'stats':
        return stats(args, inv, ctx);
      default:
        throw usageError(NAME, 'investigate.usage.bad_subcommand', { value: first.raw });
    }
  },
};

function noExtra(words: readonly Word[]): void {
  if (words.length > 0)
    throw usageError(NAME, 'investigate.usage.extra', { value: words.map((w) => w.raw).join(' ') });
}

async function list(args: Word[], inv: Invocation, ctx: AppContext): Promise<Reply> {
  const [which, ...extra] = args;
  const filter = (which?.keyword ?? 'open') as ListFilter;
  if (!FILTERS.includes(filter))
    throw usageError(NAME, 'investigate.usage.bad_filter', { value: which!.raw });
  noExtra(extra);
  const found = await investigationList(ctx, filter, inv.userId);
  return listReply(found, inv.locale, ctx.config.timezone, ctx.clock.now());
}

async function show(args: Word[], inv: Invocation, ctx: AppContext): Promise<Reply> {
  const [which, ...extra] = args;
  if (!which) throw usageError(NAME, 'investigate.usage.missing_id');
  const id = parseInvestigationId(which.raw);
  if (!id) throw usageError(NAME, 'investigate.usage.bad_id', { value: which.raw });
  noExtra(extra);
  const found = await investigationDetail(ctx, id);
  return showReply(found, inv.locale, ctx.config.timezone, ctx.clock.now());
}

async function search(words: string, inv: Invocation, ctx: AppContext): Promise<Reply> {
  if (words === '') throw usageError(NAME, 'investigate.usage.missing_words');
  // Refused rather than cut: the words after the tenth would be silently ignored.
  if (allWords(words).length > MAX_SEARCH_WORDS)
    throw usageError(NAME, 'investigate.usage.too_many_words', { max: MAX_SEARCH_WORDS });
  const hits = await searchInvestigations(ctx, words, { limit: SEARCH_LIMIT });
  return searchReply(words, hits, inv.locale);
}

async function stats(args: Word[], inv: Invocation, ctx: AppContext): Promise<Reply> {
  const [which, ...extra] = args;
  if (!which) throw usageError(NAME, 'investigate.usage.missing_month');
  const month = parseMonth(which.text, businessToday(ctx));
  if (!month) throw usageError(NAME, 'investigate.usage.bad_month', { value: which.raw });
  noExtra(extra);
  return statsReply(await investigationMonth(ctx, month), inv.locale);
}

// Searching investigations by words: `/investigate search`, and the similar past answers offered at
// filing. Every word must occur (case-insensitively, after NFKC folding) in the question, the answer,
// the cause or the customer; a word may sit inside a longer Japanese sentence without spaces. The
// database keeps each investigation's character bigrams under a GIN index (migration 0340): a word of
// two characters or more is looked up there and confirmed as a literal substring.
import type { AppContext } from '../../core/context.ts';
import { searchByWords, type SearchRow } from '../../db/investigation-search.ts';

export type SearchHit = SearchRow;

export interface SearchOptions {
  /** At most this many hits (1–100). */
  limit: number;
  /** Only answered (resolved) investigations: the past answers offered at filing. */
  resolvedOnly?: boolean;
  /** Leave this investigation out (the one just filed). */
  excludeId?: string;
}

/** The most words a search takes: every one must occur, so more would find next to nothing. */
export const MAX_SEARCH_WORDS = 10;

/** Up to MAX_SEARCH_WORDS words of a text, NFKC-folded, split on white space (full-width too); case kept. */
function splitWords(text: string): string[] {
  return allWords(text).slice(0, MAX_SEARCH_WORDS);
}

/** Every word of a text, NFKC-folded, split on white space (full-width too). */
export function allWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((w) => w !== '');
}

/** The words of a search text: NFKC-folded, lower-cased, split on white space (full-width too). */
export function searchWords(text: string): string[] {
  return splitWords(text).map((w) => w.toLowerCase());
}

/**
 * Investigations holding every word of `text`, resolved ones first, newest first. An empty text
 * finds nothing. Parameterized: a word is matched as a literal substring (strpos), never as a
 * pattern, so % _ \ are characters like any other. Throws database errors.
 */
export async function searchInvestigations(
  ctx: Pick<AppContext, 'pool'>,
  text: string,
  opts: SearchOptions,
): Promise<SearchHit[]> {
  // Lower-cased by the database, as the text searched is: on a C-locale database lower() leaves
  // non-ASCII letters alone, and JavaScript's toLowerCase() would not.
  const words = splitWords(text);
  if (words.length === 0) return [];
  return searchByWords(ctx.pool, words, {
    limit: Math.max(1, Math.min(100, Math.trunc(opts.limit))),
    resolvedOnly: opts.resolvedOnly ?? false,
    excludeId: opts.excludeId ?? null,
  });
}

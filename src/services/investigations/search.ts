// Searching investigations by words: `/investigate search`, and the similar past answers offered at
// filing. Every word must occur (case-insensitively, after NFKC folding) in the question, the answer,
// the cause or the customer; a word may sit inside a longer Japanese sentence without spaces.
import type { AppContext } from '../../core/context.ts';
import type { Category, Status } from '../../domain/investigation.ts';

export interface SearchHit {
  id: string;
  category: Category;
  status: Status;
  customer: string;
  question: string;
  answer: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface SearchOptions {
  /** At most this many hits (1–100). */
  limit: number;
  /** Only answered (resolved) investigations: the past answers offered at filing. */
  resolvedOnly?: boolean;
  /** Leave this investigation out (the one just filed). */
  excludeId?: string;
}

/** The words of a search text: NFKC-folded, lower-cased, split on white space (full-width too). */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/u)
    .filter((w) => w !== '')
    .slice(0, 10);
}

/**
 * Investigations holding every word of `text`, resolved ones first, newest first. An empty text
 * finds nothing. Parameterized: a word is matched as a literal substring (strpos), never as a pattern.
 * Throws database errors.
 */
export async function searchInvestigations(
  ctx: Pick<AppContext, 'pool'>,
  text: string,
  opts: SearchOptions,
): Promise<SearchHit[]> {
  const words = searchWords(text);
  if (words.length === 0) return [];
  const limit = Math.max(1, Math.min(100, Math.trunc(opts.limit)));
  const { rows } = await ctx.pool.query<SearchHit>(
    `SELECT id::text, category, status, customer, question, answer, created_at AS "createdAt",
            resolved_at AS "resolvedAt"
       FROM investigations i
      WHERE NOT EXISTS (
              SELECT 1 FROM unnest($1::text[]) AS w(word)
               WHERE strpos(lower(normalize(i.question || ' ' || coalesce(i.answer, '') || ' ' ||
                                            coalesce(i.cause, '') || ' ' || i.customer, NFKC)), w.word) = 0)
        AND ($2::boolean IS NOT TRUE OR status = 'resolved')
        AND ($3::bigint IS NULL OR id <> $3::bigint)
      ORDER BY (status = 'resolved') DESC, created_at DESC, id DESC
      LIMIT $4`,
    [words, opts.resolvedOnly ?? false, opts.excludeId ?? null, limit],
  );
  return rows;
}

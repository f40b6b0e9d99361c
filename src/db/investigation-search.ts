// SQL of searching investigations (migration 0340): candidates by the GIN index on the character
// bigrams of each investigation's folded text, confirmed by strpos; similar questions ranked by the
// overlap of their bigram sets. Words are folded by the database (search_fold: NFKC, lower-cased) on
// both sides, so a query and the text it is found in are folded by one implementation.
import type { Category, Status } from '../domain/investigation.ts';
import type { Queryable } from './pool.ts';

export interface SearchRow {
  id: string;
  category: Category;
  status: Status;
  customer: string;
  question: string;
  answer: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

const COLUMNS = `i.id::text, i.category, i.status, i.customer, i.question, i.answer,
  i.created_at AS "createdAt", i.resolved_at AS "resolvedAt"`;

/**
 * Investigations whose text holds every one of `words` (each a literal substring after folding, never
 * a pattern), resolved ones first, newest first; at most `limit`. Words of two characters or more
 * pick the candidates through the bigram index; when every word is a single character, there is no
 * bigram to look up and the rows are scanned. `words` must not be empty.
 */
export async function searchByWords(
  db: Queryable,
  words: string[],
  opts: { limit: number; resolvedOnly: boolean; excludeId: string | null },
): Promise<SearchRow[]> {
  // search_query_bigrams($1) is immutable: planned with $1's value it is a constant, and an empty
  // array (single-character words) folds the condition away rather than asking the index for all.
  const { rows } = await db.query<SearchRow>(
    `SELECT ${COLUMNS}
       FROM investigations i
      WHERE (cardinality(search_query_bigrams($1::text[])) = 0
             OR i.search_grams @> search_query_bigrams($1::text[]))
        AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS w(word)
                         WHERE strpos(i.search_text, search_fold(w.word)) = 0)
        AND ($2::boolean IS NOT TRUE OR i.status = 'resolved')
        AND ($3::bigint IS NULL OR i.id <> $3::bigint)
      ORDER BY (i.status = 'resolved') DESC, i.created_at DESC, i.id DESC
      LIMIT $4`,
    [words, opts.resolvedOnly, opts.excludeId, opts.limit],
  );
  return rows;
}

export interface SimilarRow extends SearchRow {
  /** Dice coefficient of the two questions' bigram sets, 0–1. */
  score: number;
}

/**
 * Resolved investigations whose question's bigrams overlap `question`'s by at least `floor` (Dice:
 * 2·|A∩B| / (|A|+|B|)), best first (then most recently resolved); at most `limit`. Every resolved
 * row sharing a bigram is scored: about a second over 40,000 resolved ones (npm run bench search).
 * A question with no bigram finds nothing.
 */
export async function similarResolved(
  db: Queryable,
  question: string,
  opts: { limit: number; floor: number; excludeId: string | null },
): Promise<SimilarRow[]> {
  // search_bigrams(search_fold($1)) is immutable: planned with $1's value it is a constant array,
  // which PostgreSQL hashes for `= ANY`, so scoring a row costs one probe per bigram of it.
  const { rows } = await db.query<SimilarRow>(
    `SELECT ${COLUMNS}, s.score::float8 AS score
       FROM investigations i,
            LATERAL (SELECT 2.0 * (SELECT count(*) FROM unnest(i.question_grams) AS g
                                    WHERE g = ANY (search_bigrams(search_fold($1::text))))
                            / nullif(cardinality(i.question_grams) + cardinality(search_bigrams(search_fold($1::text))), 0)
                            AS score) AS s
      WHERE i.status = 'resolved'
        AND i.search_grams && search_bigrams(search_fold($1::text))
        AND ($2::bigint IS NULL OR i.id <> $2::bigint)
        AND s.score >= $3
      ORDER BY s.score DESC, i.resolved_at DESC, i.id DESC
      LIMIT $4`,
    [question, opts.excludeId, opts.floor, opts.limit],
  );
  return rows;
}

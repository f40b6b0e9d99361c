// The past answers that may already answer a new question: the resolved investigations whose
// question is closest to it, by the overlap of the two questions' character bigrams (Dice
// coefficient), in Japanese as in English. Offered at filing, in the post's thread and to the filer.
import type { AppContext } from '../../core/context.ts';
import { similarResolved } from '../../db/investigation-search.ts';
import type { SearchHit } from './search.ts';

export interface SimilarAnswer extends SearchHit {
  answer: string;
  /** Dice coefficient of the bigram sets, SIMILAR_FLOOR–1. */
  score: number;
}

/**
 * Below this Dice coefficient a past question is not offered: unrelated questions share their
 * particles and politeness (「とのことです」, "the customer") and land around 0.1–0.2.
 */
export const SIMILAR_FLOOR = 0.3;

export interface SimilarOptions {
  /** At most this many (1–10). */
  limit: number;
  /** Leave this investigation out (the one just filed). */
  excludeId?: string;
}

/** Resolved investigations similar to `question`, closest first; [] when none is close. Throws database errors. */
export async function similarAnswers(
  ctx: Pick<AppContext, 'pool'>,
  question: string,
  opts: SimilarOptions,
): Promise<SimilarAnswer[]> {
  if (!question.trim()) return [];
  const rows = await similarResolved(ctx.pool, question, {
    limit: Math.max(1, Math.min(10, Math.trunc(opts.limit))),
    floor: SIMILAR_FLOOR,
    excludeId: opts.excludeId ?? null,
  });
  return rows.map((r) => ({ ...r, answer: r.answer ?? '' }));
}

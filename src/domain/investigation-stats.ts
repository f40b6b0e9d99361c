// A month of investigation requests in figures (`/investigate stats <YYYY-MM>`): how many were filed,
// how many of those are answered, how long an answer took in business hours, how many ran late, by
// category, and which questions keep coming back. Pure: the rows, "now" and the business calendar
// are arguments.
//
// The month's requests are those filed in it (a cohort): "answered" counts those of them answered
// by now, whenever that was, so a month's figures settle as its last requests are answered.
import { businessMsBetween, type BusinessCalendar } from './business-time.ts';
import { CATEGORIES, effectiveDeadline, type Category, type Status } from './investigation.ts';

/** One request filed in the month, with its waits for the customer (to: null while still waiting). */
export interface StatsRow {
  id: string;
  createdAt: Date;
  category: Category;
  status: Status;
  question: string;
  reference: string | null;
  deadline: Date;
  waitedMs: number;
  /** The deadline as it stands, moved by the waits (Investigation.dueAt). */
  dueAt: Date;
  resolvedAt: Date | null;
  waits: readonly { from: Date; to: Date | null }[];
}

export interface CategoryFigures {
  category: Category;
  opened: number;
  answered: number;
  overdue: number;
}

/** Questions asked again and again: the group's first question, how many and which requests. */
export interface RepeatedQuestion {
  question: string;
  count: number;
  ids: string[];
}

/** Per request: its time to answer (business ms, null while unanswered) and whether it ran late. */
export interface RowFigures {
  id: string;
  answerMs: number | null;
  overdue: boolean;
}

export interface MonthStats {
  opened: number;
  answered: number;
  /** Median time to answer in business milliseconds, waits for the customer left out; null when none is answered. */
  medianAnswerMs: number | null;
  overdue: number;
  /** Every category, in the order of CATEGORIES. */
  byCategory: CategoryFigures[];
  /** The largest groups of near-duplicate questions (two or more), at most TOP_REPEATED. */
  repeated: RepeatedQuestion[];
  rows: RowFigures[];
}

export const TOP_REPEATED = 5;

/**
 * Two questions are near-duplicates when the Dice coefficient of their character bigrams (after
 * normalizeQuestion) is at least this, or when they name the same reference.
 */
export const SIMILARITY = 0.5;

/**
 * Business time from filing to answer, less the business time spent waiting for the customer (a
 * wait still open at the answer ends there). 0 at least.
 */
export function answerBusinessMs(row: StatsRow, cal: BusinessCalendar): number | null {
  if (!row.resolvedAt) return null;
  const end = row.resolvedAt;
  let ms = businessMsBetween(row.createdAt, end, cal);
  for (const w of row.waits) {
    const to = w.to && w.to.getTime() < end.getTime() ? w.to : end;
    ms -= businessMsBetween(w.from, to, cal);
  }
  return Math.max(0, ms);
}

/**
 * Whether the request ran late: answered after its deadline moved by its waits, or unanswered with
 * that deadline before `now` (a request waiting for the customer is not late: its clock is paused).
 */
export function isOverdue(row: StatsRow, now: Date): boolean {
  if (row.resolvedAt) return row.resolvedAt.getTime() > row.dueAt.getTime();
  const due = effectiveDeadline(row);
  return due !== null && due.getTime() < now.getTime();
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A question as compared: NFKC, lower case, without white space, punctuation or symbols. */
export function normalizeQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function bigrams(text: string): Set<string> {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  if (chars.length === 1) out.add(chars[0]!);
  return out;
}

/** Dice coefficient of the two questions' character bigrams (after normalizeQuestion): 0 to 1. */
export function similarity(a: string, b: string): number {
  return dice(bigrams(normalizeQuestion(a)), bigrams(normalizeQuestion(b)));
}

/**
 * Groups near-duplicate questions (SIMILARITY, or the same reference) transitively; the groups of
 * two or more, largest first (ties: the earliest first), at most `top`.
 */
export function repeatedQuestions(
  rows: readonly Pick<StatsRow, 'id' | 'question' | 'reference'>[],
  top = TOP_REPEATED,
): RepeatedQuestion[] {
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const grams = rows.map((r) => bigrams(normalizeQuestion(r.question)));
  const refs = rows.map((r) => r.reference?.normalize('NFKC').trim().toUpperCase() || undefined);
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++) {
      if (find(i) === find(j)) continue;
      const sameRef = refs[i] !== undefined && refs[i] === refs[j];
      if (sameRef || dice(grams[i]!, grams[j]!) >= SIMILARITY) parent[find(j)] = find(i);
    }
  const groups = new Map<number, number[]>();
  rows.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.values()]
    .filter((g) => g.length >= 2)
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!)
    .slice(0, top)
    .map((g) => ({ question: rows[g[0]!]!.question, count: g.length, ids: g.map((i) => rows[i]!.id) }));
}

/** 2|X∩Y| / (|X|+|Y|); 0 when both are empty. */
function dice(x: Set<string>, y: Set<string>): number {
  if (x.size + y.size === 0) return 0;
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return (2 * common) / (x.size + y.size);
}

/** The month's figures from the requests filed in it (see the module comment). */
export function monthStats(rows: readonly StatsRow[], now: Date, cal: BusinessCalendar): MonthStats {
  const figures: RowFigures[] = rows.map((r) => ({
    id: r.id,
    answerMs: answerBusinessMs(r, cal),
    overdue: isOverdue(r, now),
  }));
  const answered = figures.flatMap((f) => (f.answerMs === null ? [] : [f.answerMs]));
  const byCategory = CATEGORIES.map((category): CategoryFigures => {
    const of = rows.map((r, i) => ({ r, f: figures[i]! })).filter((x) => x.r.category === category);
    return {
      category,
      opened: of.length,
      answered: of.filter((x) => x.f.answerMs !== null).length,
      overdue: of.filter((x) => x.f.overdue).length,
    };
  });
  return {
    opened: rows.length,
    answered: answered.length,
    medianAnswerMs: median(answered),
    overdue: figures.filter((f) => f.overdue).length,
    byCategory,
    repeated: repeatedQuestions(rows),
    rows: figures,
  };
}

// How long a silence lasts, as people type it: `90m`, `1h`, `4h`, `24h`, `2d`, `1h30m`, and in
// Japanese `30分`, `2時間`, `1時間30分`, `2日`. Full-width digits (２時間) read as half-width (NFKC).
// Pure: returns milliseconds or the reason it is not a duration.

/** The shortest and the longest silence toban accepts (ms). Alertmanager has no upper bound; a
 * silence forgotten for months hides real outages, so toban stops at 30 days. */
export const DURATION_BOUNDS = { minMs: 60_000, maxMs: 30 * 86_400_000 } as const;

export type DurationProblem = 'not_a_duration' | 'too_short' | 'too_long';

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  秒: 1_000,
  m: 60_000,
  min: 60_000,
  分: 60_000,
  h: 3_600_000,
  時間: 3_600_000,
  d: 86_400_000,
  日: 86_400_000,
  w: 7 * 86_400_000,
  週間: 7 * 86_400_000,
};

// One or more <number><unit> parts, largest unit first is not required ("30m1h" is odd but clear).
const PART = /(\d+)(min|時間|週間|[smhdw秒分日])/gy;

/**
 * The duration `text` names, in ms.
 * @returns a number of ms within DURATION_BOUNDS, or the problem: 'not_a_duration' (no unit, a
 *   unit toban does not know, a bare number), 'too_short' (< 1 minute), 'too_long' (> 30 days).
 */
export function parseDuration(text: string): number | DurationProblem {
  const s = text.normalize('NFKC').trim().toLowerCase();
  if (s === '') return 'not_a_duration';
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = PART.lastIndex;
  }
  if (end !== s.length) return 'not_a_duration';
  if (total < DURATION_BOUNDS.minMs) return 'too_short';
  if (total > DURATION_BOUNDS.maxMs) return 'too_long';
  return total;
}

/** A duration in ms as the shortest text parseDuration reads back: 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 60_000);
  const days = Math.floor(rest / 1_440);
  rest -= days * 1_440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes || parts.length === 0) parts.push(`${minutes}m`);
  return parts.join('');
}

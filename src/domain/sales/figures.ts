// Forecast vs actual (予実): the figures, the variance and the totals. Amounts are integer yen as
// bigint; percentages are exact ratios, rounded only when shown.
import type { Month } from './month.ts';

export type GroupBy = 'project' | 'customer' | 'department';
export const GROUP_BYS: readonly GroupBy[] = ['project', 'customer', 'department'];

export interface Figures {
  forecast: bigint;
  /** null until the month's sales are recorded. */
  actual: bigint | null;
}

export interface MonthFigures extends Figures {
  month: Month;
}

export interface GroupFigures extends Figures {
  id: string;
  name: string;
}

export interface Variance {
  /** actual − forecast, in yen. */
  diff: bigint;
  /** diff ÷ forecast in tenths of a percent, rounded half away from zero; null when the forecast is 0. */
  permille: bigint | null;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** num ÷ den × 1000, rounded half away from zero, in exact integer arithmetic. */
export function ratioPermille(num: bigint, den: bigint): bigint | null {
  if (den === 0n) return null;
  const negative = num < 0n !== den < 0n && num !== 0n;
  const a = abs(num) * 1000n;
  const b = abs(den);
  const rounded = (a * 2n + b) / (b * 2n);
  return negative ? -rounded : rounded;
}

/** Variance of the actual against the forecast; undefined while the actual is not recorded. */
export function variance(f: Figures): Variance | undefined {
  if (f.actual === null) return undefined;
  const diff = f.actual - f.forecast;
  return { diff, permille: ratioPermille(diff, f.forecast) };
}

/** "+3.2%", "-12.0%", "0.0%" from tenths of a percent. */
export function formatPermille(permille: bigint): string {
  const sign = permille > 0n ? '+' : permille < 0n ? '-' : '';
  const a = abs(permille);
  return `${sign}${a / 10n}.${a % 10n}%`;
}

export interface Totals extends Figures {
  /** The forecast of the rows whose actual is recorded: what the total actual is compared with. */
  comparedForecast: bigint;
}

/** Sums figures; the total actual is null only when no actual at all is recorded. */
export function total(rows: readonly Figures[]): Totals {
  let forecast = 0n;
  let comparedForecast = 0n;
  let actual: bigint | null = null;
  for (const r of rows) {
    forecast += r.forecast;
    if (r.actual !== null) {
      actual = (actual ?? 0n) + r.actual;
      comparedForecast += r.forecast;
    }
  }
  return { forecast, actual, comparedForecast };
}

/**
 * Variance of a total: the recorded actuals against the forecast of the same rows only, so a
 * month (or project) not yet recorded does not show up as a shortfall.
 */
export function totalVariance(t: Totals): Variance | undefined {
  return variance({ forecast: t.comparedForecast, actual: t.actual });
}

/** One row per month of the range, in order: months a source left out count as forecast 0, no actual. */
export function fillMonths(months: readonly Month[], rows: readonly MonthFigures[]): MonthFigures[] {
  const byMonth = new Map<Month, MonthFigures>();
  for (const r of rows) {
    const seen = byMonth.get(r.month);
    if (!seen) byMonth.set(r.month, r);
    else {
      const { forecast, actual } = total([seen, r]);
      byMonth.set(r.month, { month: r.month, forecast, actual });
    }
  }
  return months.map((month) => byMonth.get(month) ?? { month, forecast: 0n, actual: null });
}

/** Largest forecast first (what the month is built on), then by id so the order is stable. */
export function rankGroups(rows: readonly GroupFigures[]): GroupFigures[] {
  return [...rows].sort((a, b) =>
    a.forecast === b.forecast ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.forecast > b.forecast ? -1 : 1,
  );
}

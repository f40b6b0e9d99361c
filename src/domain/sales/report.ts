// What a /sales answer holds, whichever source gave the figures.
import type { Figures, GroupBy, GroupFigures, MonthFigures, Totals, Variance } from './figures.ts';
import type { Month } from './month.ts';

export type SalesSourceKind = 'database' | 'api';

/** Figures with their variance, present once the actual is recorded. */
export type WithVariance<T extends Figures> = T & { variance?: Variance };

export interface SalesMonthReport {
  kind: 'month';
  month: Month;
  groupBy: GroupBy;
  source: SalesSourceKind;
  /** Largest forecast first. */
  rows: WithVariance<GroupFigures>[];
  total: WithVariance<Totals>;
}

export interface SalesForecastReport {
  kind: 'forecast';
  from: Month;
  to: Month;
  source: SalesSourceKind;
  /** Every month of the range, in order. */
  rows: WithVariance<MonthFigures>[];
  total: WithVariance<Totals>;
}

export type SalesReport = SalesMonthReport | SalesForecastReport;

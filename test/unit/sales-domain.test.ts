import { describe, expect, it } from 'vitest';
import {
  fillMonths,
  formatPermille,
  rankGroups,
  ratioPermille,
  total,
  totalVariance,
  variance,
} from '../../src/domain/sales/figures.ts';
import { monthCount, monthsBetween, parseMonth } from '../../src/domain/sales/month.ts';
import { MAX_RANGE_MONTHS, parseSalesQuery } from '../../src/domain/sales/query.ts';

const TODAY = '2024-04-10';

describe('months', () => {
  it.each([
    ['2024-03', '2024-03'],
    ['2024/3', '2024-03'],
    ['2024/03', '2024-03'],
    ['2024-3', '2024-03'],
    ['this-month', '2024-04'],
    ['last-month', '2024-03'],
    ['THIS-MONTH', '2024-04'],
    ['今月', '2024-04'],
  ])('reads %s as %s', (text, month) => {
    expect(parseMonth(text, TODAY)).toBe(month);
  });

  it.each(['2024-13', '2024-00', '24-03', 'march', '2024-03-01', ''])('refuses %j', (text) => {
    expect(parseMonth(text, TODAY)).toBeUndefined();
  });

  it('takes last-month across a year boundary', () => {
    expect(parseMonth('last-month', '2024-01-05')).toBe('2023-12');
  });

  it('counts and lists months across years, both ends included', () => {
    expect(monthCount('2023-11', '2024-02')).toBe(4);
    expect(monthsBetween('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthCount('2024-03', '2024-02')).toBe(0);
  });
});

describe('variance', () => {
  it('is actual minus forecast, with the percentage of the forecast in tenths', () => {
    expect(variance({ forecast: 10_000_000n, actual: 10_400_000n })).toEqual({
      diff: 400_000n,
      permille: 40n,
    });
    expect(variance({ forecast: 3n, actual: 2n })).toEqual({ diff: -1n, permille: -333n });
  });

  it('rounds half away from zero, only for display', () => {
    expect(ratioPermille(1n, 16n)).toBe(63n); // 6.25 % -> 6.3 %
    expect(ratioPermille(-1n, 16n)).toBe(-63n);
    expect(ratioPermille(1n, 8n)).toBe(125n); // exactly 12.5 %
    expect(formatPermille(63n)).toBe('+6.3%');
    expect(formatPermille(-5n)).toBe('-0.5%');
    expect(formatPermille(0n)).toBe('0.0%');
  });

  it('stays exact beyond what a float can hold', () => {
    const forecast = 9_007_199_254_740_993n; // 2^53 + 1
    expect(variance({ forecast, actual: forecast + 1n })).toEqual({ diff: 1n, permille: 0n });
    expect(variance({ forecast: 3n, actual: 9_007_199_254_740_993n })?.diff).toBe(9_007_199_254_740_990n);
  });

  it('has no percentage without a forecast, and no variance without an actual', () => {
    expect(variance({ forecast: 0n, actual: 120_000n })).toEqual({ diff: 120_000n, permille: null });
    expect(variance({ forecast: 5n, actual: null })).toBeUndefined();
  });

  it('totals the actuals that are recorded, and none when none is', () => {
    expect(
      total([
        { forecast: 1n, actual: 2n },
        { forecast: 3n, actual: null },
      ]),
    ).toMatchObject({ forecast: 4n, actual: 2n });
    expect(total([{ forecast: 1n, actual: null }])).toMatchObject({ forecast: 1n, actual: null });
  });

  it('compares a total actual only with the forecast of the rows already recorded', () => {
    const t = total([
      { forecast: 1_000n, actual: 900n },
      { forecast: 5_000n, actual: null },
    ]);
    expect(t).toEqual({ forecast: 6_000n, actual: 900n, comparedForecast: 1_000n });
    expect(totalVariance(t)).toEqual({ diff: -100n, permille: -100n });
    expect(totalVariance(total([{ forecast: 1n, actual: null }]))).toBeUndefined();
  });

  it('fills months a source left out and keeps the range order', () => {
    const rows = fillMonths(
      ['2024-01', '2024-02', '2024-03'],
      [{ month: '2024-03', forecast: 5n, actual: 4n }],
    );
    expect(rows).toEqual([
      { month: '2024-01', forecast: 0n, actual: null },
      { month: '2024-02', forecast: 0n, actual: null },
      { month: '2024-03', forecast: 5n, actual: 4n },
    ]);
  });

  it('ranks groups by forecast, largest first, then by id', () => {
    const ranked = rankGroups([
      { id: 'b', name: 'B', forecast: 1n, actual: null },
      { id: 'c', name: 'C', forecast: 9n, actual: null },
      { id: 'a', name: 'A', forecast: 1n, actual: null },
    ]);
    expect(ranked.map((g) => g.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('/sales grammar', () => {
  it('reads a month with and without a breakdown', () => {
    expect(parseSalesQuery('month 2024/3', TODAY)).toEqual({
      ok: true,
      query: { kind: 'month', month: '2024-03', groupBy: 'department' },
    });
    expect(parseSalesQuery('month last-month by customer', TODAY)).toEqual({
      ok: true,
      query: { kind: 'month', month: '2024-03', groupBy: 'customer' },
    });
    expect(parseSalesQuery('month 2024-03 project', TODAY)).toMatchObject({
      ok: true,
      query: { groupBy: 'project' },
    });
  });

  it('reads a forecast range, and a single month as a range of one', () => {
    expect(parseSalesQuery('forecast 2024-01 this-month', TODAY)).toEqual({
      ok: true,
      query: { kind: 'forecast', from: '2024-01', to: '2024-04' },
    });
    expect(parseSalesQuery('forecast 2024-02', TODAY)).toMatchObject({
      ok: true,
      query: { from: '2024-02', to: '2024-02' },
    });
  });

  it(`accepts ${MAX_RANGE_MONTHS} months and refuses one more`, () => {
    expect(parseSalesQuery('forecast 2023-01 2024-12', TODAY).ok).toBe(true);
    expect(parseSalesQuery('forecast 2023-01 2025-01', TODAY)).toEqual({
      ok: false,
      key: 'sales.usage.range_too_long',
      params: { from: '2023-01', to: '2025-01', months: 25, max: MAX_RANGE_MONTHS },
    });
  });

  it.each([
    ['', 'sales.usage.missing_subcommand'],
    ['total 2024-03', 'sales.usage.bad_subcommand'],
    ['month', 'sales.usage.missing_month'],
    ['month 2024-13', 'sales.usage.bad_month'],
    ['month 2024-03 by region', 'sales.usage.bad_group'],
    ['month 2024-03 by', 'sales.usage.bad_group'],
    ['month 2024-03 by project now', 'sales.usage.extra'],
    ['forecast 2024-03 2024-01', 'sales.usage.range_order'],
    ['forecast 2024-01 2024-03 2024-05', 'sales.usage.extra'],
    ["forecast 2024-01 '; DROP TABLE sales.monthly; --", 'sales.usage.bad_month'],
  ])('refuses %j with %s', (text, key) => {
    expect(parseSalesQuery(text, TODAY)).toMatchObject({ ok: false, key });
  });
});

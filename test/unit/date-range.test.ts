// Dates and months a command reads lie in one supported range (issue 7, item 14): outside it they
// get the bad-date (bad-month) message, never a half-computed answer or an account name.
import { describe, expect, it } from 'vitest';
import { DATE_RANGE, isIsoDate, monthBounds, parseDate, parseMonth } from '../../src/domain/dates.ts';
import { parseLedgerQuery } from '../../src/domain/ledger/query.ts';
import { parseSalesQuery } from '../../src/domain/sales/query.ts';

const today = '2024-04-10';

describe('the supported range of dates', () => {
  it('is 1900-01-01 to 2999-12-31, and the month after its last day still has a four-digit year', () => {
    expect(DATE_RANGE).toEqual({ first: '1900-01-01', last: '2999-12-31' });
    expect(monthBounds('2999-12')).toEqual({
      month: '2999-12',
      first: '2999-12-01',
      last: '2999-12-31',
      next: '3000-01-01',
    });
  });

  it('reads its first and last days and months, and nothing beyond', () => {
    expect(parseDate('1900-01-01', today)).toBe('1900-01-01');
    expect(parseDate('2999-12-31', today)).toBe('2999-12-31');
    expect(parseMonth('1900-01', today)).toBe('1900-01');
    expect(parseMonth('2999-12', today)).toBe('2999-12');
    for (const text of ['1899-12-31', '3000-01-01', '9999-12-31', '99999-01-01', '0000-01-01'])
      expect(parseDate(text, today), text).toBeUndefined();
    for (const text of ['1899-12', '3000-01', '9999-12', '99999-01'])
      expect(parseMonth(text, today), text).toBeUndefined();
    expect(isIsoDate('9999-12-31')).toBe(false);
  });
});

describe('/ledger outside the range', () => {
  it('answers trial 9999-12 with the bad-month message, not a trial balance through null', () => {
    expect(parseLedgerQuery('trial 9999-12', today)).toEqual({
      problem: 'error.bad_month',
      params: { value: '9999-12' },
    });
    expect(parseLedgerQuery('trial 9999-12-31', today)).toEqual({
      problem: 'error.bad_date',
      params: { value: '9999-12-31' },
    });
  });

  it('reads a five-digit year at the end of a balance as a bad date, not as part of the account', () => {
    for (const date of ['99999-01-01', '3000-01-01', '1899-12-31', '２０２４－０２－３０', '12345/1/1'])
      expect(parseLedgerQuery(`balance 売掛金 ${date}`, today), date).toEqual({
        problem: 'error.bad_date',
        params: { value: date },
      });
    expect(parseLedgerQuery('journal 売掛金 2024-01-01 99999-01-01', today)).toEqual({
      problem: 'error.bad_date',
      params: { value: '99999-01-01' },
    });
  });

  it('still reads an account whose name ends in a number', () => {
    expect(parseLedgerQuery('balance Bank 2', today)).toEqual({
      kind: 'balance',
      account: 'Bank 2',
      date: today,
    });
  });
});

describe('/sales outside the range', () => {
  it('answers month 9999-12 and a forecast to 3000-01 with the bad-month message', () => {
    expect(parseSalesQuery('month 9999-12', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_month',
      params: { value: '9999-12' },
    });
    expect(parseSalesQuery('forecast 2999-11 3000-01', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_month',
      params: { value: '3000-01' },
    });
  });
});

describe('words written like a date', () => {
  it('reads a compact 20240101 as a date, and a bad one as a bad date', () => {
    expect(parseDate('20240101', today)).toBe('2024-01-01');
    expect(parseLedgerQuery('balance 売掛金 20240131', today)).toMatchObject({
      kind: 'balance',
      account: '売掛金',
      date: '2024-01-31',
    });
    expect(parseLedgerQuery('balance 売掛金 20240231', today)).toEqual({
      problem: 'error.bad_date',
      params: { value: '20240231' },
    });
  });

  it('answers a date with a time or a sign with the bad-date message, not as part of the account', () => {
    for (const word of ['2024-01-01T00:00', '-2024-01-01', '+2024-01-01', '２０２４－０１－０１Ｔ１０'])
      expect(parseLedgerQuery(`balance 売掛金 ${word}`, today), word).toEqual({
        problem: 'error.bad_date',
        params: { value: word },
      });
  });

  it('leaves an account code alone', () => {
    expect(parseLedgerQuery('balance 1130', today)).toMatchObject({ kind: 'balance', account: '1130' });
  });
});

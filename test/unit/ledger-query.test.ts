import { describe, expect, it } from 'vitest';
import { parseLedgerQuery } from '../../src/domain/ledger/query.ts';

const today = '2024-04-10';
const q = (text: string) => parseLedgerQuery(text, today);

describe('/ledger grammar', () => {
  it('reads a balance with or without a date, and account names with spaces', () => {
    expect(q('balance 売掛金 2024/3/31')).toEqual({ kind: 'balance', account: '売掛金', date: '2024-03-31' });
    expect(q('balance 1130')).toEqual({ kind: 'balance', account: '1130', date: today });
    expect(q('balance Accounts receivable last-month-end')).toEqual({
      kind: 'balance',
      account: 'Accounts receivable',
      date: '2024-03-31',
    });
    expect(q('BALANCE　１１３０　yesterday')).toEqual({
      kind: 'balance',
      account: '1130',
      date: '2024-04-09',
    });
  });

  it('reads a trial balance of a month, or of a month up to a date', () => {
    expect(q('trial 2024-02')).toEqual({ kind: 'trial', month: '2024-02', through: '2024-02-29' });
    expect(q('trial last-month')).toEqual({ kind: 'trial', month: '2024-03', through: '2024-03-31' });
    expect(q('trial 2024-03-15')).toEqual({ kind: 'trial', month: '2024-03', through: '2024-03-15' });
  });

  it('reads an account ledger (`account`, or its old name `journal`) with the two dates at the end', () => {
    const query = { kind: 'account', account: '1130 売掛金', from: '2024-03-01', to: '2024-03-31' };
    expect(q('account 1130 売掛金 2024-03-01 2024/3/31')).toEqual(query);
    expect(q('journal 1130 売掛金 2024-03-01 2024/3/31')).toEqual(query);
    expect(q('ＪＯＵＲＮＡＬ 1130 売掛金 2024-03-01 2024/3/31')).toEqual(query);
  });

  it('reads entries, reconcile and close', () => {
    expect(q('entries ORD-00000001')).toEqual({ kind: 'entries', reference: 'ORD-00000001' });
    expect(q('reconcile this-month')).toEqual({ kind: 'reconcile', month: '2024-04' });
    expect(q('close ２０２４／３')).toEqual({ kind: 'close', month: '2024-03' });
  });

  it('names the problem with a usage key', () => {
    expect(q('')).toEqual({ problem: 'ledger.usage.missing' });
    expect(q('balances 1130')).toEqual({
      problem: 'ledger.usage.unknown_subcommand',
      params: { sub: 'balances' },
    });
    expect(q('trial')).toEqual({ problem: 'ledger.usage.trial' });
    expect(q('trial 2024-13')).toEqual({ problem: 'error.bad_month', params: { value: '2024-13' } });
    expect(q('account 1130 2024-03-01')).toEqual({ problem: 'ledger.usage.account' });
    expect(q('journal 1130 2024-03-01')).toEqual({ problem: 'ledger.usage.account' });
    expect(q('account 1130 2024-03-01 2024-02-30')).toEqual({
      problem: 'error.bad_date',
      params: { value: '2024-02-30' },
    });
    expect(q('journal 1130 2024-03-31 2024-03-01')).toEqual({
      problem: 'ledger.usage.range_order',
      params: { from: '2024-03-31', to: '2024-03-01' },
    });
    expect(q('close')).toEqual({ problem: 'ledger.usage.close' });
    expect(q('entries a b')).toEqual({ problem: 'ledger.usage.entries' });
  });
});

describe('an impossible date at the end of a balance', () => {
  it('is a bad date, not part of the account name', () => {
    expect(parseLedgerQuery('balance 1130 2024-02-30', '2024-04-10')).toEqual({
      problem: 'error.bad_date',
      params: { value: '2024-02-30' },
    });
  });
});

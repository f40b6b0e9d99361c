import { describe, expect, it } from 'vitest';
import { matchAccount, normalSide, sideOf, type Account } from '../../src/domain/ledger/accounts.ts';

const chart: Account[] = [
  { code: '1110', nameJa: '普通預金', nameEn: 'Bank deposits', type: 'asset', role: 'bank' },
  { code: '1130', nameJa: '売掛金', nameEn: 'Accounts receivable', type: 'asset', role: 'receivable' },
  {
    code: '1140',
    nameJa: '未収入金',
    nameEn: 'Receivable from payment gateway',
    type: 'asset',
    role: 'gateway',
  },
  { code: '2120', nameJa: '前受金', nameEn: 'Advances received', type: 'liability', role: 'advance' },
  { code: '4110', nameJa: '売上高', nameEn: 'Sales (platform fees)', type: 'revenue', role: 'fee_revenue' },
  { code: '9001', nameJa: 'ｿﾌﾄｳｪｱ', nameEn: 'Software', type: 'asset', role: null },
];

const found = (text: string) => {
  const m = matchAccount(chart, text);
  return m.kind === 'found' ? m.account.code : m.kind;
};

describe('matchAccount', () => {
  it('finds an account by code, Japanese name, English name or "code name"', () => {
    expect(found('1130')).toBe('1130');
    expect(found('売掛金')).toBe('1130');
    expect(found('accounts RECEIVABLE')).toBe('1130');
    expect(found('1130 売掛金')).toBe('1130');
    expect(found('2120 Advances received')).toBe('2120');
  });

  it('reads full-width and half-width forms alike', () => {
    expect(found('１１３０')).toBe('1130');
    expect(found('Ａｃｃｏｕｎｔｓ　ｒｅｃｅｉｖａｂｌｅ')).toBe('1130');
    expect(found('ソフトウェア')).toBe('9001');
    expect(found('ｿﾌﾄｳｪｱ')).toBe('9001');
  });

  it('takes a unique part of a name, and lists the candidates when the part fits several', () => {
    expect(found('前受')).toBe('2120');
    expect(found('gateway')).toBe('1140');
    const m = matchAccount(chart, 'receivable');
    expect(m.kind).toBe('ambiguous');
    expect(m.kind === 'ambiguous' && m.candidates.map((a) => a.code)).toEqual(['1130', '1140']);
  });

  it('prefers an exact name over names that merely contain it', () => {
    // 売掛金 is contained in no other name here, but 売上 would be; exact wins either way.
    expect(found('売上高')).toBe('4110');
  });

  it('says unknown for an account that does not exist', () => {
    expect(found('買掛金')).toBe('unknown');
    expect(found('  ')).toBe('unknown');
  });
});

describe('normal balance', () => {
  it('is debit for assets and expenses, credit for liabilities, equity and revenue', () => {
    expect(normalSide('asset')).toBe('debit');
    expect(normalSide('expense')).toBe('debit');
    expect(normalSide('liability')).toBe('credit');
    expect(normalSide('equity')).toBe('credit');
    expect(normalSide('revenue')).toBe('credit');
  });

  it('shows a balance on the side it is on', () => {
    expect(sideOf('liability', -500n)).toEqual({ side: 'credit', amount: 500n });
    expect(sideOf('asset', 1234n)).toEqual({ side: 'debit', amount: 1234n });
    expect(sideOf('liability', 0n)).toEqual({ side: 'credit', amount: 0n });
  });
});

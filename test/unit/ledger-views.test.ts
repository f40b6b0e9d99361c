import { describe, expect, it } from 'vitest';
import { allKeys } from '../../src/i18n/index.ts';
import type {
  BalanceModel,
  CloseModel,
  AccountLedgerModel,
  TrialModel,
} from '../../src/services/ledger/models.ts';
import { ledgerView } from '../../src/views/ledger/index.ts';
import { displayWidth, table } from '../../src/views/ledger/format.ts';
import { formatTxn, journalHeader } from '../../src/domain/ledger/journal-file.ts';

const ar = { code: '1130', nameJa: '売掛金', nameEn: 'Accounts receivable', type: 'asset' as const };
const adv = { code: '2120', nameJa: '前受金', nameEn: 'Advances received', type: 'liability' as const };

describe('/ledger balance view', () => {
  const m: BalanceModel = {
    query: 'balance',
    account: adv,
    date: '2024-03-31',
    debit: '1000',
    credit: '1235567',
    balance: '-1234567',
    lines: 12,
  };

  it('shows the balance on its normal side in yen, in Japanese and in English', () => {
    const ja = ledgerView(m, 'ja');
    expect(ja.message.text).toContain('2120 前受金 の残高（2024-03-31 終了時点）');
    expect(ja.message.text).toContain('¥1,234,567（貸方残高）');
    const en = ledgerView(m, 'en');
    expect(en.message.text).toContain('Balance of 2120 Advances received at the end of 2024-03-31');
    expect(en.message.text).toContain('¥1,234,567 (credit balance)');
  });

  it('carries the figures as exact decimal strings with balance = debits − credits', () => {
    const model = ledgerView(m, 'ja').model as BalanceModel;
    expect(BigInt(model.debit) - BigInt(model.credit)).toBe(BigInt(model.balance));
    expect(JSON.parse(JSON.stringify(model)).balance).toBe('-1234567');
  });
});

describe('/ledger trial view', () => {
  const m: TrialModel = {
    query: 'trial',
    month: '2024-03',
    from: '2024-03-01',
    through: '2024-03-31',
    rows: [
      { ...ar, opening: '1000', debit: '5000', credit: '2000', closing: '4000' },
      { ...adv, opening: '-1000', debit: '2000', credit: '5000', closing: '-4000' },
    ],
    totals: { opening: '0', debit: '7000', credit: '7000', closing: '0' },
  };

  it('lines the columns up and proves debits equal credits', () => {
    const r = ledgerView(m, 'ja');
    expect(r.message.text).toContain('借方合計 ¥7,000 = 貸方合計 ¥7,000');
    const rows = r.message.text.split('\n').filter((l) => /^\d{4} /.test(l));
    expect(rows).toHaveLength(2);
    expect(displayWidth(rows[0]!)).toBe(displayWidth(rows[1]!));
  });

  it('attaches the trial balance as CSV with integer yen, opening Excel-safe with a BOM and CRLF', () => {
    const file = ledgerView(m, 'en').files![0]!;
    expect(file.filename).toBe('trial-2024-03.csv');
    expect(file.content.startsWith('\uFEFF')).toBe(true);
    // RFC 4180 records end in CRLF, like the /sales files: no bare LF anywhere.
    expect(file.content).not.toMatch(/[^\r]\n/);
    expect(file.content.slice(1).split('\r\n').slice(0, 3)).toEqual([
      'code,account,opening,debit,credit,closing',
      '1130,Accounts receivable,1000,5000,2000,4000',
      '2120,Advances received,-1000,2000,5000,-4000',
    ]);
  });
});

describe('/ledger account view', () => {
  const line = (i: number) => ({
    date: '2024-03-01',
    entryId: String(i),
    kind: 'purchase',
    reference: `ORD-${i}`,
    memo: null,
    debit: '100',
    credit: '0',
    balance: String(100 * i),
  });
  const base: AccountLedgerModel = {
    query: 'account',
    account: ar,
    from: '2024-03-01',
    to: '2024-03-31',
    opening: '0',
    debit: '0',
    credit: '0',
    closing: '0',
    lineCount: 0,
    lines: [],
    limit: 50_000,
  };

  it('shows a few lines inline and sends many as a CSV file', () => {
    expect(ledgerView({ ...base, lines: [line(1)], lineCount: 1 }, 'ja').files).toBeUndefined();
    const long = ledgerView(
      { ...base, lines: Array.from({ length: 40 }, (_, i) => line(i + 1)), lineCount: 40 },
      'ja',
    );
    expect(long.files?.[0]?.content.split('\n').filter(Boolean)).toHaveLength(41);
    expect(long.message.text).toContain('40 行の明細は CSV ファイルで添付しました。');
  });

  it('asks to narrow the period when the lines exceed one answer, still giving the totals', () => {
    const r = ledgerView({ ...base, lines: null, lineCount: 60_000, debit: '6000000' }, 'en');
    expect(r.message.text).toContain('There are 60,000 lines, more than the 50,000');
    expect(r.message.text).toContain('Debits ¥6,000,000');
  });
});

describe('/ledger close view', () => {
  it('shows each check with its verdict and money evidence in yen', () => {
    const m: CloseModel = {
      query: 'close',
      month: '2024-03',
      verdict: 'fail',
      checks: [
        { id: 'balanced', status: 'pass', evidence: { entries: 1200, unbalanced: 0 } },
        {
          id: 'receivable',
          status: 'fail',
          evidence: { ledger: '10990', subledger: '10090', difference: '900', open_items: 3 },
        },
        { id: 'investigations', status: 'fail', evidence: { open: 2, ids: 'INV-3, INV-12' } },
      ],
      differences: [],
    };
    const text = ledgerView(m, 'ja').message.text;
    expect(text).toContain('✅ OK  全仕訳の貸借一致: 1,200 件中 不一致 0 件');
    expect(text).toContain('❌ NG  売掛金 = 未回収の注文: 元帳 ¥10,990 / 注文 ¥10,090（3 件）差額 ¥900');
    expect(text).toContain(
      '❌ NG  当月のお金に関する調査依頼（決済・支払・返金）がすべて解決済み: 未解決 2 件（INV-3, INV-12）',
    );
  });
});

describe('monospace tables', () => {
  it('count CJK characters as two columns', () => {
    expect(displayWidth('売掛金')).toBe(6);
    expect(
      table(
        [
          ['売掛金', '¥1'],
          ['Cash', '¥100'],
        ],
        ['left', 'right'],
      ),
    ).toEqual(['売掛金    ¥1', 'Cash    ¥100']);
  });
});

describe('journal file', () => {
  it('declares decimal-mark, the yen commodity and accounts named with their codes', () => {
    const h = journalHeader([{ ...ar, role: 'receivable' }], {});
    expect(h).toContain('decimal-mark .\n');
    expect(h).toContain('commodity ¥1000.\n');
    expect(h).toContain('account 1130 売掛金  ; type: A\n');
  });

  it('writes debits positive and credits negative, separated by two spaces, one line per memo', () => {
    const txt = formatTxn(
      {
        id: '7',
        date: '2024-04-01',
        kind: 'cancellation',
        reference: 'ORD-1',
        memo: 'line one\nline two',
        reverses: '3',
        postings: [
          { account: '2120', amount: '5000' },
          { account: '1130', amount: '-5000' },
        ],
      },
      new Map([
        ['1130', '1130 売掛金'],
        ['2120', '2120 前受金'],
      ]),
    );
    expect(txt.split('\n')[0]).toBe('2024-04-01 * (7) cancellation ORD-1  ; reverses: 3');
    expect(txt).toContain('    ; line one line two\n');
    expect(txt).toMatch(/ {4}2120 前受金 {2,}¥5000\n/);
    expect(txt).toMatch(/ {4}1130 売掛金 {2,}¥-5000\n/);
  });
});

describe('ledger catalogue', () => {
  it('has every ledger key in both languages', () => {
    const ja = allKeys('ja').filter((k) => k.startsWith('ledger.'));
    expect(ja.length).toBeGreaterThan(50);
    expect(
      allKeys('en')
        .filter((k) => k.startsWith('ledger.'))
        .sort(),
    ).toEqual(ja.sort());
  });
});

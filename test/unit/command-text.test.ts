// Every command reads its grammar in NFKC, the same way (issue 7, item 15): full-width keywords,
// dates and numbers mean what their half-width forms mean; free text keeps what was typed.
import { describe, expect, it } from 'vitest';
import { readCommandText } from '../../src/domain/command-text.ts';
import { matchRotation } from '../../src/domain/rotation.ts';
import { parseSalesQuery } from '../../src/domain/sales/query.ts';
import { parseLedgerQuery } from '../../src/domain/ledger/query.ts';

const today = '2024-04-10';

describe('reading a command’s text', () => {
  it('splits at any white space, the ideographic space too, and keeps each word as typed', () => {
    const ct = readCommandText('  ＭＯＮＴＨ\u3000２０２４／３  by  Ｃｕｓｔｏｍｅｒ ');
    expect(ct.words.map((w) => w.raw)).toEqual(['ＭＯＮＴＨ', '２０２４／３', 'by', 'Ｃｕｓｔｏｍｅｒ']);
    expect(ct.words.map((w) => w.text)).toEqual(['MONTH', '2024/3', 'by', 'Customer']);
    expect(ct.words.map((w) => w.keyword)).toEqual(['month', '2024/3', 'by', 'customer']);
  });

  it('gives the rest of the text verbatim, for free text', () => {
    const ct = readCommandText('search  ｶﾀｶﾅ と　全角　ＡＢＣ ');
    expect(ct.rest(1)).toBe('ｶﾀｶﾅ と　全角　ＡＢＣ');
    expect(ct.rest(5)).toBe('');
    expect(readCommandText('').words).toEqual([]);
  });
});

describe('/sales in full width', () => {
  it('reads ｍｏｎｔｈ, ＦＯＲＥＣＡＳＴ, full-width months and ｂｙ the way /ledger reads its words', () => {
    expect(parseSalesQuery('ｍｏｎｔｈ ２０２４－０３', today)).toEqual({
      ok: true,
      query: { kind: 'month', month: '2024-03', groupBy: 'department' },
    });
    expect(parseSalesQuery('Month　2024/3　ＢＹ　ｃｕｓｔｏｍｅｒ', today)).toEqual({
      ok: true,
      query: { kind: 'month', month: '2024-03', groupBy: 'customer' },
    });
    expect(parseSalesQuery('ＦＯＲＥＣＡＳＴ ２０２４／１ ｌａｓｔ－ｍｏｎｔｈ', today)).toEqual({
      ok: true,
      query: { kind: 'forecast', from: '2024-01', to: '2024-03' },
    });
    // the same text is read the same way by /ledger's grammar
    expect(parseLedgerQuery('ｔｒｉａｌ ２０２４－０３', today)).toMatchObject({
      kind: 'trial',
      month: '2024-03',
    });
  });

  it('echoes a word it cannot read as the person typed it', () => {
    expect(parseSalesQuery('ｍｏｎｔｈｌｙ 2024-03', today)).toEqual({
      ok: false,
      key: 'sales.usage.bad_subcommand',
      params: { value: 'ｍｏｎｔｈｌｙ' },
    });
  });
});

describe('/sales words that are names of JavaScript object members', () => {
  it('are unknown words, not a subcommand or a breakdown', () => {
    expect(parseSalesQuery('constructor 2024-03', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_subcommand',
    });
    expect(parseSalesQuery('toString', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_subcommand',
    });
    expect(parseSalesQuery('month 2024-03 by __proto__', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_group',
    });
    expect(parseSalesQuery('month 2024-03 hasOwnProperty', today)).toMatchObject({
      ok: false,
      key: 'sales.usage.bad_group',
    });
  });
});

describe('naming a rotation', () => {
  const rotations = [
    { id: 'primary', name: 'Primary on-call' },
    { id: 'cs-duty', name: '調査当番' },
    { id: 'db', name: 'Database' },
    { id: 'db2', name: 'DATABASE' },
  ];
  const found = (text: string) => {
    const m = matchRotation(rotations, text);
    return m.kind === 'found' ? m.rotation.id : m.kind;
  };

  it('finds a rotation by its id or by its display name', () => {
    expect(found('primary')).toBe('primary');
    expect(found('Primary on-call')).toBe('primary');
    expect(found('調査当番')).toBe('cs-duty');
    expect(found('cs-duty')).toBe('cs-duty');
  });

  it('finds it in full width or another case where only one rotation matches', () => {
    expect(found('ＰＲＩＭＡＲＹ')).toBe('primary');
    expect(found('primary ON-CALL')).toBe('primary');
    expect(found('ＣＳ－ＤＵＴＹ')).toBe('cs-duty');
    expect(found('primary  on-call')).toBe('primary');
  });

  it('prefers an exact spelling, and calls a name two rotations share ambiguous', () => {
    expect(found('Database')).toBe('db');
    expect(found('DATABASE')).toBe('db2');
    expect(matchRotation(rotations, 'database')).toEqual({
      kind: 'ambiguous',
      candidates: [rotations[2], rotations[3]],
    });
    expect(found('nightly')).toBe('unknown');
    expect(found('')).toBe('unknown');
  });
});

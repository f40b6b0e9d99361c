// `toban run --json` (issue 7, item 13): every yen amount and every identifier is a decimal string,
// whatever its number of digits, so no JSON reader rounds it. One rule, in src/views/json.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelJson } from '../../src/views/json.ts';

describe('the JSON of a reply model', () => {
  it('keeps 16 digits and more as strings: amounts and references alike', () => {
    const model = {
      reference: '1234567890123456',
      entries: [{ id: '98765432109876543210', debit: '12345678901234567', credit: '0' }],
      balance: '-99999999999999999',
    };
    const json = modelJson(model);
    expect(json).toContain('"reference": "1234567890123456"');
    expect(json).toContain('"id": "98765432109876543210"');
    expect(json).toContain('"debit": "12345678901234567"');
    expect(json).toContain('"balance": "-99999999999999999"');
    expect(JSON.parse(json)).toEqual(model);
  });

  it('writes a bigint as its exact decimal string', () => {
    expect(JSON.parse(modelJson({ amount: 2n ** 70n, fee: -5n }))).toEqual({
      amount: '1180591620717411303424',
      fee: '-5',
    });
  });

  it('refuses a number a JSON reader could not hold exactly, rather than print a rounded one', () => {
    expect(() => modelJson({ amount: 2 ** 53 + 2 })).toThrow(/amount/);
    expect(() => modelJson({ rows: [{ total: 0.1 }] })).toThrow(/rows\.0\.total/);
    expect(modelJson({ count: 12, limit: 50_000 })).toContain('"count": 12');
  });

  it('keeps a key named __proto__ as a key', () => {
    expect(JSON.parse(modelJson(JSON.parse('{"__proto__": {"id": "1"}}')))).toEqual(
      JSON.parse('{"__proto__": {"id": "1"}}'),
    );
  });

  it('reads back every string exactly as it was, for any model', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.stringMatching(/^-?\d{1,40}$/),
      fc.bigInt().map((b) => b),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const model = fc.dictionary(
      fc.string(),
      fc.oneof(leaf, fc.array(leaf), fc.dictionary(fc.string(), leaf)),
    );
    fc.assert(
      fc.property(model, (m) => {
        const expected = JSON.parse(
          JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        );
        expect(JSON.parse(modelJson(m))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

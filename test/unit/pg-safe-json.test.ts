// What the alert intake hands PostgreSQL: pgSafe cleans only what jsonb and text refuse (and returns
// the value itself when there is nothing to clean), storableJsonText says when the received text
// can be stored as it is.
import { describe, expect, it } from 'vitest';
import { pgJson, pgSafe, storableJsonText } from '../../src/db/alerts.ts';

describe('pgSafe', () => {
  it('returns the same value when nothing needs cleaning', () => {
    const value = { a: ['x', 1, null, { b: 'é😀' }], c: true };
    expect(pgSafe(value)).toBe(value);
  });

  it('replaces NUL and unpaired surrogates in keys and values, deep, keeping the rest', () => {
    const value = JSON.parse(
      '{"k\\u0000":"v","list":["ok","a\\ud800",{"x":"\\udc00y"}],"pair":"\\ud83d\\ude00"}',
    );
    expect(pgSafe(value)).toEqual({
      'k\uFFFD': 'v',
      list: ['ok', 'a\uFFFD', { x: '\uFFFDy' }],
      pair: '😀',
    });
    expect(value.list[1]).toBe('a\ud800'); // the input is not changed
  });

  it('keeps a key named __proto__ a key, as JSON.parse made it', () => {
    const value = JSON.parse('{"__proto__":{"polluted":"\\u0000"},"a":"b"}') as Record<string, unknown>;
    const safe = pgSafe(value) as Record<string, unknown>;
    expect(Object.keys(safe)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(pgJson(value)).toBe('{"__proto__":{"polluted":"\uFFFD"},"a":"b"}');
  });
});

describe('storableJsonText', () => {
  it('takes ordinary JSON as it is', () => {
    const text = '{"a":"ok é 😀 \\\\u0041","n":1.5e300,"big":12345678901234567890}';
    expect(storableJsonText(text)).toBe(text);
  });

  it.each([
    ['a NUL escape', '{"a":"\\u0000"}'],
    ['a lone surrogate escape', '{"a":"\\uD800"}'],
    ['a low surrogate escape', '{"a":"\\udfff"}'],
    ['an exponent beyond numeric', '{"a":1e99999}'],
    ['a negative exponent beyond numeric', '{"a":1E-20000}'],
    ['a thousand digits', `{"a":${'9'.repeat(1000)}}`],
  ])('refuses %s (the parsed value goes through pgJson)', (_, text) => {
    expect(storableJsonText(text)).toBeUndefined();
  });
});

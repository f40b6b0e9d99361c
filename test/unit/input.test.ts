import { describe, expect, it } from 'vitest';
import { cleanStrings, cleanText } from '../../src/core/input.ts';

describe('cleanText', () => {
  it('removes NUL and other control characters but keeps tabs and new lines', () => {
    expect(cleanText('売掛金\0')).toBe('売掛金');
    expect(cleanText('a\u0007b\u001bc\u007fd\u0085e')).toBe('abcde');
    expect(cleanText('a\tb\nc')).toBe('a\tb\nc');
    expect(cleanText('a\r\nb\rc')).toBe('a\nb\nc');
  });

  it('replaces lone surrogates, keeps pairs', () => {
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('x\uDC00')).toBe('x\uFFFD');
    expect(cleanText('😀')).toBe('😀');
  });

  it('removes bidirectional overrides', () => {
    expect(cleanText('abc\u202Edef\u2066')).toBe('abcdef');
  });

  it('leaves full-width and Japanese text alone', () => {
    expect(cleanText('ｍｏｎｔｈ　売掛金')).toBe('ｍｏｎｔｈ　売掛金');
  });

  it('cleans every string of a JSON value, keys included', () => {
    expect(cleanStrings({ 'a\0': ['b\0', 1, null, { c: 'd\u0001' }], n: 2, t: true })).toEqual({
      a: ['b', 1, null, { c: 'd' }],
      n: 2,
      t: true,
    });
  });
});

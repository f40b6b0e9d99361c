import { describe, expect, it } from 'vitest';
import { allKeys, localeFrom, t } from '../../src/i18n/index.ts';

describe('catalogues', () => {
  it('have the same keys in Japanese and English', () => {
    expect(allKeys('en').sort()).toEqual(allKeys('ja').sort());
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of allKeys('ja'))
      expect(placeholders(t('en', key)), key).toEqual(placeholders(t('ja', key)));
  });

  it('fill placeholders and fall back to Japanese for a Slack locale it does not know', () => {
    expect(t('en', 'oncall.unknown_rotation', { rotation: 'x', known: '`a`' })).toBe(
      'There is no rotation `x`. Known: `a`',
    );
    expect(localeFrom('ja-JP', 'en')).toBe('ja');
    expect(localeFrom('en-GB', 'ja')).toBe('en');
    expect(localeFrom(undefined, 'ja')).toBe('ja');
  });
});

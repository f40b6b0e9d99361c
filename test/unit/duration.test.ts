// Silence durations as people type them (src/domain/duration.ts): the brief's examples, Japanese
// units, full-width digits, compound durations, and what is refused and why.
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/domain/duration.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['1h', HOUR],
    ['4h', 4 * HOUR],
    ['24h', DAY],
    ['90m', 90 * MIN],
    ['2d', 2 * DAY],
    ['1h30m', 90 * MIN],
    ['1w', 7 * DAY],
    ['15min', 15 * MIN],
    ['2H', 2 * HOUR],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['2時間', 2 * HOUR],
    ['30分', 30 * MIN],
    ['1時間30分', 90 * MIN],
    ['2日', 2 * DAY],
    ['２時間', 2 * HOUR],
    ['１ｈ', HOUR],
  ])('reads the Japanese or full-width %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '2', 'h', '2x', 'two hours', '1h 30m', '-1h', '1.5h', 'service=billing', '2時'])(
    'refuses %j as not a duration',
    (text) => {
      expect(parseDuration(text)).toBe('not_a_duration');
    },
  );

  it('refuses less than a minute and more than 30 days', () => {
    expect(parseDuration('30s')).toBe('too_short');
    expect(parseDuration('0m')).toBe('too_short');
    expect(parseDuration('1m')).toBe(MIN);
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('31d')).toBe('too_long');
  });
});

describe('formatDuration', () => {
  it('writes the shortest text that reads back to the same duration', () => {
    for (const ms of [MIN, 90 * MIN, 4 * HOUR, DAY + 30 * MIN, 2 * DAY]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
    expect(formatDuration(90 * MIN)).toBe('1h30m');
    expect(formatDuration(2 * DAY)).toBe('2d');
  });
});

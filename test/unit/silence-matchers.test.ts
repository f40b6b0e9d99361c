// Silence matchers (src/domain/silence.ts) with Alertmanager's semantics: =, !=, =~, !~, regexes
// anchored at both ends, a missing label read as "", every matcher must hold, a silence must not
// match everything; isMuted over local mutes and their time window; the `/alerts silence` words.
import { describe, expect, it } from 'vitest';
import {
  checkMatchers,
  formatMatchers,
  hasMarker,
  isMuted,
  matches,
  matchesAll,
  parseMatcher,
  parseSilenceArgs,
  silenceMarker,
  toApiMatcher,
  type Matcher,
  type Mute,
} from '../../src/domain/silence.ts';

const m = (word: string): Matcher => {
  const parsed = parseMatcher(word);
  if ('code' in parsed) throw new Error(`${word}: ${parsed.code}`);
  return parsed;
};

describe('matches (Alertmanager semantics)', () => {
  const labels = { alertname: 'DiskFull', service: 'billing', env: 'staging' };

  it('= and != compare the whole value', () => {
    expect(matches(m('service=billing'), labels)).toBe(true);
    expect(matches(m('service=bill'), labels)).toBe(false);
    expect(matches(m('env!=prod'), labels)).toBe(true);
    expect(matches(m('env!=staging'), labels)).toBe(false);
  });

  it('anchors regexes at both ends', () => {
    expect(matches(m('alertname=~Disk.*'), labels)).toBe(true);
    expect(matches(m('alertname=~Disk'), labels)).toBe(false);
    expect(matches(m('alertname=~.*Full'), labels)).toBe(true);
    expect(matches(m('alertname=~Disk.*'), { alertname: 'HighDiskUse' })).toBe(false);
    expect(matches(m('alertname=~Disk|Full'), labels)).toBe(false);
    expect(matches(m('alertname=~DiskFull|CPU'), labels)).toBe(true);
  });

  it('!~ is the negation of the anchored regex', () => {
    expect(matches(m('env!~prod|production'), labels)).toBe(true);
    expect(matches(m('env!~stag'), labels)).toBe(true);
    expect(matches(m('env!~stag.*'), labels)).toBe(false);
  });

  it('reads a missing label as the empty string', () => {
    expect(matches(m('env!=prod'), {})).toBe(true);
    expect(matches(m('env='), {})).toBe(true);
    expect(matches(m('env=prod'), {})).toBe(false);
    expect(matches(m('env=~.*'), {})).toBe(true);
    expect(matches(m('env=~.+'), {})).toBe(false);
  });

  it('needs every matcher to hold, and an empty list matches nothing', () => {
    expect(matchesAll([m('service=billing'), m('env!=prod')], labels)).toBe(true);
    expect(matchesAll([m('service=billing'), m('env=prod')], labels)).toBe(false);
    expect(matchesAll([], labels)).toBe(false);
  });
});

describe('isMuted', () => {
  const start = new Date('2026-11-30T10:00:00Z');
  const end = new Date('2026-11-30T12:00:00Z');
  const mutes: Mute[] = [{ matchers: [m('service=billing')], startsAt: start, endsAt: end }];

  it('mutes a matching alert inside the window only (start included, end excluded)', () => {
    const labels = { service: 'billing' };
    expect(isMuted(labels, new Date('2026-11-30T09:59:59Z'), mutes)).toBe(false);
    expect(isMuted(labels, start, mutes)).toBe(true);
    expect(isMuted(labels, new Date('2026-11-30T11:59:59Z'), mutes)).toBe(true);
    expect(isMuted(labels, end, mutes)).toBe(false);
  });

  it('does not mute an alert the matchers do not match', () => {
    expect(isMuted({ service: 'payments' }, start, mutes)).toBe(false);
    expect(isMuted({}, start, mutes)).toBe(false);
  });
});

describe('parseMatcher', () => {
  it('reads each operator, the longest first', () => {
    expect(parseMatcher('env!=prod')).toEqual({ name: 'env', op: '!=', value: 'prod' });
    expect(parseMatcher('alertname=~Disk.*')).toEqual({ name: 'alertname', op: '=~', value: 'Disk.*' });
    expect(parseMatcher('job!~node|push')).toEqual({ name: 'job', op: '!~', value: 'node|push' });
    expect(parseMatcher('service=billing')).toEqual({ name: 'service', op: '=', value: 'billing' });
    expect(parseMatcher('url=https://x?a=b')).toEqual({ name: 'url', op: '=', value: 'https://x?a=b' });
  });

  it('unwraps a quoted value', () => {
    expect(parseMatcher('summary="disk full"')).toEqual({ name: 'summary', op: '=', value: 'disk full' });
  });

  it('names what is wrong', () => {
    expect(parseMatcher('billing')).toEqual({ code: 'bad_matcher', word: 'billing' });
    expect(parseMatcher('=billing')).toEqual({ code: 'bad_matcher', word: '=billing' });
    expect(parseMatcher('se-rvice=billing')).toEqual({ code: 'bad_label_name', word: 'se-rvice=billing' });
    expect(parseMatcher('alertname=~Disk(')).toEqual({ code: 'bad_regex', word: 'alertname=~Disk(' });
  });
});

describe('checkMatchers', () => {
  it('refuses matchers that all match an alert without labels (they would silence everything)', () => {
    expect(checkMatchers([m('env!=prod')])).toEqual({ code: 'matches_everything' });
    expect(checkMatchers([m('alertname=~.*')])).toEqual({ code: 'matches_everything' });
    expect(checkMatchers([m('env!=prod'), m('service=billing')])).toBeUndefined();
  });
});

describe('parseSilenceArgs (/alerts silence <matcher...> <duration>)', () => {
  it("reads the brief's example: three matchers and the duration last", () => {
    expect(parseSilenceArgs(['service=billing', 'env!=prod', 'alertname=~Disk.*', '2h'])).toEqual({
      matchers: [
        { name: 'service', op: '=', value: 'billing' },
        { name: 'env', op: '!=', value: 'prod' },
        { name: 'alertname', op: '=~', value: 'Disk.*' },
      ],
      durationMs: 2 * 3_600_000,
    });
    expect(parseSilenceArgs(['service=billing', '2時間'])).toMatchObject({ durationMs: 7_200_000 });
  });

  it('says what is missing or wrong', () => {
    expect(parseSilenceArgs([])).toEqual({ code: 'no_matchers' });
    expect(parseSilenceArgs(['2h'])).toEqual({ code: 'no_matchers' });
    expect(parseSilenceArgs(['service=billing'])).toEqual({ code: 'no_duration' });
    expect(parseSilenceArgs(['service=billing', 'env=prod'])).toEqual({ code: 'no_duration' });
    expect(parseSilenceArgs(['service=billing', 'soon'])).toEqual({
      code: 'bad_duration',
      word: 'soon',
      problem: 'not_a_duration',
    });
    expect(parseSilenceArgs(['service=billing', '40d'])).toMatchObject({ problem: 'too_long' });
    expect(parseSilenceArgs(['billing', '2h'])).toEqual({ code: 'bad_matcher', word: 'billing' });
    expect(parseSilenceArgs(['env!=prod', '2h'])).toEqual({ code: 'matches_everything' });
  });
});

describe('API shape and markers', () => {
  it('maps operators onto isRegex / isEqual', () => {
    expect(toApiMatcher(m('a=b'))).toEqual({ name: 'a', value: 'b', isRegex: false, isEqual: true });
    expect(toApiMatcher(m('a!=b'))).toEqual({ name: 'a', value: 'b', isRegex: false, isEqual: false });
    expect(toApiMatcher(m('a=~b'))).toEqual({ name: 'a', value: 'b', isRegex: true, isEqual: true });
    expect(toApiMatcher(m('a!~b'))).toEqual({ name: 'a', value: 'b', isRegex: true, isEqual: false });
  });

  it('formats matchers back to what is typed', () => {
    expect(formatMatchers([m('service=billing'), m('summary="disk full"')])).toBe(
      'service=billing summary="disk full"',
    );
  });

  it('finds the marker of a row as a whole word only', () => {
    expect(hasMarker(`maintenance [${silenceMarker('1')}]`, '1')).toBe(true);
    expect(hasMarker(`maintenance [${silenceMarker('12')}]`, '1')).toBe(false);
    expect(hasMarker(undefined, '1')).toBe(false);
  });
});

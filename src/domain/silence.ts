// Silences (GLOSSARY.md "Silence"): label matchers and a time window during which alerts they match
// are not announced. With ALERTMANAGER_URL a silence lives in Alertmanager too; without it, it is a
// local mute that toban applies itself, with the same matcher semantics as Alertmanager
// (prometheus/alertmanager pkg/labels/matcher.go, 0.25):
//   =   the label's value equals the text      !=  it does not
//   =~  the whole value matches the regex      !~  it does not
// A label an alert lacks has the value "" (so `env!=prod` matches an alert without `env`). Regexes
// are anchored at both ends: `alertname=~Disk.*` matches "DiskFull", not "HighDiskUse". A silence
// matches an alert when every one of its matchers does; it needs at least one matcher that does not
// match "" (Alertmanager refuses a silence that would match every alert, and so does toban).
// Pure: "now" is an argument.
import { parseDuration, type DurationProblem } from './duration.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher, as toban stores it (and as Alertmanager's API v2 spells it: see toApi). */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** A local mute: matchers and the instant it ends (exclusive). */
export interface Mute {
  matchers: readonly Matcher[];
  startsAt: Date;
  endsAt: Date;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The longest operator first, so `a!=b` is not read as the name "a!" and `a=~b` not as the value "~b".
const MATCHER = /^([^=!~]+?)(=~|!~|!=|=)(.*)$/s;

const compiled = new Map<string, RegExp>();

/** The anchored regex of a =~ / !~ matcher (cached); throws SyntaxError for an invalid one. */
function anchored(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, 'u');
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Whether `m` holds for the label set `labels` (a missing label reads as ""). */
export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchored(m.value).test(value);
    case '!~':
      return !anchored(m.value).test(value);
  }
}

/** Whether every matcher holds for `labels` (an empty list matches nothing: never mute everything). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.length > 0 && matchers.every((m) => matches(m, labels));
}

/** Whether a mute is in force at `now`: startsAt <= now < endsAt. */
export function isActive(mute: Mute, now: Date): boolean {
  return mute.startsAt.getTime() <= now.getTime() && now.getTime() < mute.endsAt.getTime();
}

/** Whether an alert with `labels` is muted at `now` by any of `mutes`. */
export function isMuted(
  labels: Readonly<Record<string, string>>,
  now: Date,
  mutes: readonly Mute[],
): boolean {
  return mutes.some((mute) => isActive(mute, now) && matchesAll(mute.matchers, labels));
}

export type MatcherProblem =
  | { code: 'bad_matcher'; word: string }
  | { code: 'bad_label_name'; word: string }
  | { code: 'bad_regex'; word: string }
  | { code: 'matches_everything' };

/**
 * One matcher word: `service=billing`, `env!=prod`, `alertname=~Disk.*`, `job!~"node|push"`. The
 * value may be wrapped in double quotes (needed for a value with spaces, which the command line
 * splits otherwise).
 */
export function parseMatcher(word: string): Matcher | MatcherProblem {
  const m = MATCHER.exec(word.trim());
  if (!m) return { code: 'bad_matcher', word };
  const name = m[1]!.trim();
  const op = m[2] as MatchOp;
  let value = m[3]!;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (!LABEL_NAME.test(name)) return { code: 'bad_label_name', word };
  if (op === '=~' || op === '!~') {
    try {
      anchored(value);
    } catch {
      return { code: 'bad_regex', word };
    }
  }
  return { name, op, value };
}

/**
 * Refuses a matcher list that would silence every alert: Alertmanager requires at least one
 * matcher that does not match the empty string (its API answers 400 otherwise).
 */
export function checkMatchers(matchers: readonly Matcher[]): MatcherProblem | undefined {
  if (!matchers.some((m) => !matches(m, {}))) return { code: 'matches_everything' };
  return undefined;
}

export type SilenceArgsProblem =
  | MatcherProblem
  | { code: 'no_matchers' }
  | { code: 'bad_duration'; word: string; problem: DurationProblem }
  | { code: 'no_duration' };

export interface SilenceArgs {
  matchers: Matcher[];
  durationMs: number;
}

/**
 * The words after `/alerts silence`: one or more matchers, then the duration as the last word
 * (`service=billing env!=prod alertname=~Disk.* 2h`). The first problem found is returned.
 */
export function parseSilenceArgs(words: readonly string[]): SilenceArgs | SilenceArgsProblem {
  if (words.length === 0) return { code: 'no_matchers' };
  const last = words[words.length - 1]!;
  if (words.length === 1 && MATCHER.test(last)) return { code: 'no_duration' };
  const duration = parseDuration(last);
  if (typeof duration !== 'number') {
    if (duration === 'not_a_duration' && MATCHER.test(last)) return { code: 'no_duration' };
    return { code: 'bad_duration', word: last, problem: duration };
  }
  if (words.length === 1) return { code: 'no_matchers' };
  const matchers: Matcher[] = [];
  for (const word of words.slice(0, -1)) {
    const m = parseMatcher(word);
    if ('code' in m) return m;
    matchers.push(m);
  }
  const problem = checkMatchers(matchers);
  if (problem) return problem;
  return { matchers, durationMs: duration };
}

/** The matchers as one line, the way they are typed: `service=billing env!=prod`. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${/\s/.test(m.value) ? `"${m.value}"` : m.value}`).join(' ');
}

/** Alertmanager API v2's matcher shape (isEqual false = negated). */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export function toApiMatcher(m: Matcher): ApiMatcher {
  return {
    name: m.name,
    value: m.value,
    isRegex: m.op === '=~' || m.op === '!~',
    isEqual: m.op === '=' || m.op === '=~',
  };
}

/**
 * The comment marker that ties an Alertmanager silence to toban's silence row `id`: a retry after
 * an unknown outcome looks for a silence carrying it before creating another.
 */
export function silenceMarker(id: string): string {
  return `toban:${id}`;
}

/** Whether `comment` carries the marker of row `id` (as a whole word: toban:1 is not in toban:12). */
export function hasMarker(comment: string | undefined, id: string): boolean {
  if (!comment) return false;
  const marker = silenceMarker(id);
  return comment.split(/\s+/).some((w) => w === marker || w === `[${marker}]`);
}

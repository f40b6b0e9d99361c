// What a webhook's sender is told when its payload does not fit the source's schema: the body of the
// 400, one line naming the field (`alerts[0].labels: expected an object`). Monitoring systems log
// the response, so an operator reads it in Alertmanager's or Grafana's log. Pure.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** The longest field path or value quoted in a description, in characters. */
const MAX_QUOTED = 60;

/** The first problem of a failed parse, as `path: what was expected`. */
export function describeIssue(error: { issues: readonly Issue[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'body: not accepted';
  return describeOne(issue, []);
}

function describeOne(issue: Issue, prefix: readonly PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The branch the payload came nearest to: not one of another type altogether (an array where
    // an object was expected), then the fewest problems, then the deepest.
    const best = [...issue.errors]
      .filter((branch) => branch.length > 0)
      .sort(
        (a, b) => Number(wrongType(a)) - Number(wrongType(b)) || a.length - b.length || depth(b) - depth(a),
      )[0];
    if (best?.[0]) return describeOne(best[0], path);
  }
  return `${formatPath(path)}: ${expectation(issue)}`;
}

/** The branch refused the value's type itself (not something inside it). */
function wrongType(branch: readonly Issue[]): boolean {
  return branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
}

function depth(branch: readonly Issue[]): number {
  return Math.max(...branch.map((i) => i.path.length));
}

/** `alerts[0].labels`, `Message.NewStateValue`, `labels["a b"]`; `body` for the payload itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p);
      if (/^[A-Za-z_$][\w$-]*$/.test(key) && key.length <= MAX_QUOTED) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(clip(key))}]`;
    })
    .join('');
}

function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod reports a missing field as "expected X, received undefined".
      return issue.message.endsWith('received undefined')
        ? `required (${noun(issue.expected)})`
        : `expected ${noun(issue.expected)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values
        .slice(0, 8)
        .map((v) => JSON.stringify(typeof v === 'bigint' ? String(v) : v))
        .join(', ')}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${unit(issue.origin)}`;
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'must not be empty'
        : `at least ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'invalid_format':
      // A pattern's issue carries the sentence its schema wrote (z.string().regex(re, message)).
      if (issue.format === 'regex') return issue.message;
      return `expected ${FORMATS[issue.format] ?? `a ${issue.format}`}`;
    case 'invalid_union': {
      // A discriminated union whose discriminator (e.g. SNS's `Type`) has no known value.
      const options = (issue as { options?: unknown[] }).options;
      return options?.length
        ? `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}`
        : 'matches none of the accepted shapes';
    }
    case 'unrecognized_keys':
      return `unexpected field ${JSON.stringify(clip(issue.keys[0] ?? ''))}`;
    case 'invalid_key':
      return 'invalid key';
    default:
      // Our own refinements (code "custom") carry a sentence written for the sender.
      return issue.message;
  }
}

const FORMATS: Record<string, string> = {
  datetime: 'an RFC 3339 time',
  url: 'an http(s) URL',
  email: 'an e-mail address',
};

function noun(type: string): string {
  switch (type) {
    case 'object':
    case 'array':
      return `an ${type}`;
    case 'record':
    case 'map':
      return 'an object';
    case 'int':
      return 'an integer';
    default:
      return `a ${type}`;
  }
}

function unit(origin: string): string {
  switch (origin) {
    case 'array':
    case 'set':
      return ' items';
    case 'string':
      return ' characters';
    default:
      return '';
  }
}

function clip(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

// Payloads for fuzzing the alert sources: each real fixture with fields deleted, retyped or
// replaced by awkward values (up to three changes), the alarm inside an SNS message changed the same
// way, and arbitrary JSON. Shared by the sources' fuzz test and the intake's fuzz over HTTP.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import type { AlertSource } from '../../src/domain/alert.ts';

export const FIXTURES: Record<AlertSource, string[]> = {
  alertmanager: [
    'alertmanager-firing.json',
    'alertmanager-resolved.json',
    'alertmanager-from-prometheus.json',
  ],
  grafana: ['grafana-firing.json', 'grafana-resolved.json'],
  datadog: [
    'datadog-default.json',
    'datadog-triggered.json',
    'datadog-recovered.json',
    'datadog-template-triggered.json',
    'datadog-template-recovered.json',
  ],
  cloudwatch: ['cloudwatch-sns-alarm.json', 'cloudwatch-sns-ok.json', 'sns-subscription-confirmation.json'],
  sentry: [
    'sentry-event-alert.json',
    'sentry-issue-resolved.json',
    'sentry-webhook-plugin.json',
    'sentry-metric-alert-resolved.json',
  ],
  generic: ['generic-batch.json', 'generic-resolved.json'],
};

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const load = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')) as Json;

/** Every path to a value inside `value` (the root is []). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** `value` with the thing at `path` replaced (`undefined`: deleted). */
function setAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = setAt(copy[head as number] ?? null, rest, replacement);
    if (next === undefined) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy = { ...value };
    const next = setAt(copy[head as string] ?? null, rest, replacement);
    if (next === undefined) delete copy[head as string];
    else
      Object.defineProperty(copy, head as string, {
        value: next,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return copy;
  }
  return value;
}

/** Values that have broken parsers before: zero and far times, prototype names, huge and empty text. */
const awkward: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    '',
    ' ',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2024-02-30T25:61:00Z',
    '2024-09-09T01:59:07.423+0000',
    '1751007029000',
    '99999999999999999999',
    '-1',
    '__proto__',
    'constructor',
    'toString',
    'javascript:alert(1)',
    'http://',
    'https://example.invalid/x',
    'Recovered',
    '[Recovered on {a:1}] x',
    'resolved',
    'firing',
    'OK',
    'ALARM',
    'x'.repeat(5_000),
    '\u0000\ud800',
    0,
    -1,
    1e308,
    1.5,
    true,
    null,
    [],
    {},
    { __proto__: { polluted: true } } as unknown as Json,
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** One change to a payload: delete, or replace a value somewhere in it. */
function mutation(base: Json): fc.Arbitrary<Json> {
  const all = paths(base);
  return fc
    .tuple(fc.constantFrom(...all), fc.boolean(), awkward)
    .map(([path, del, value]) => setAt(base, path, del && path.length > 0 ? undefined : value) ?? null);
}

/** For SNS: the same changes inside the alarm JSON that Message carries as text. */
function innerMutation(base: Json): fc.Arbitrary<Json> | undefined {
  if (!base || typeof base !== 'object' || Array.isArray(base) || typeof base.Message !== 'string')
    return undefined;
  let inner: Json;
  try {
    inner = JSON.parse(base.Message) as Json;
  } catch {
    return undefined;
  }
  return mutation(inner).map((m) => ({ ...base, Message: JSON.stringify(m) }));
}

export function payloads(source: AlertSource): fc.Arbitrary<Json> {
  const bases = FIXTURES[source].map(load);
  const mutated = bases.map((base) =>
    // Up to three changes on top of each other.
    mutation(base).chain((once) =>
      fc.oneof(
        fc.constant(once),
        mutation(once).chain((twice) => mutation(twice)),
      ),
    ),
  );
  const inner = bases.map(innerMutation).filter((a): a is fc.Arbitrary<Json> => a !== undefined);
  return fc.oneof(...mutated, ...inner, fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>);
}

// Thousands of mutated payloads per alert source (issue 9: "always 202 or a 400 with a reason"):
// each real fixture with fields deleted, retyped or replaced by awkward values, and arbitrary JSON.
// Every one is either normalised into alerts that keep the domain's promises, or refused with a
// sentence naming a field; nothing throws.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_INTAKES } from '../../handlers/alerts/index.ts';
import {
  ALERT_LIMITS,
  ALERT_STATUSES,
  SEVERITIES,
  type AlertSource,
  type NormalizedAlert,
} from '../../src/domain/alert.ts';

const RUNS = { numRuns: 2_000 };
const receivedAt = new Date('2026-11-30T01:02:03Z');

const FIXTURES: Record<AlertSource, string[]> = {
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

function payloads(source: AlertSource): fc.Arbitrary<Json> {
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

const FIELD_PATH =
  /^(body|(?:[A-Za-z_$][\w$-]*|\[\d+\]|\[".*?"\])(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\[".*?"\])*): \S/s;

function isHttpUrl(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:';
}

const isTime = (d: unknown) => d instanceof Date && Number.isFinite(d.getTime());
const isStringMap = (m: unknown) =>
  !!m && typeof m === 'object' && Object.values(m).every((v) => typeof v === 'string');

function expectSound(source: AlertSource, alert: NormalizedAlert): void {
  expect(alert.source).toBe(source);
  for (const key of [alert.fingerprint, alert.groupKey]) {
    expect(typeof key).toBe('string');
    expect(key.length).toBeGreaterThan(0);
    expect(key.length).toBeLessThanOrEqual(ALERT_LIMITS.key);
  }
  expect(ALERT_STATUSES).toContain(alert.status);
  expect(SEVERITIES).toContain(alert.severity);
  expect(alert.title.trim()).not.toBe('');
  expect(alert.title.length).toBeLessThanOrEqual(ALERT_LIMITS.title);
  if (alert.summary !== undefined) expect(alert.summary.length).toBeLessThanOrEqual(ALERT_LIMITS.summary);
  expect(isTime(alert.startsAt)).toBe(true);
  // Resolved alerts carry when they ended; firing ones do not.
  expect(alert.status === 'resolved' ? isTime(alert.endsAt) : alert.endsAt === undefined).toBe(true);
  expect(isStringMap(alert.labels) && isStringMap(alert.annotations)).toBe(true);
  for (const link of Object.values(alert.links)) expect(isHttpUrl(link)).toBe(true);
  if (alert.service !== undefined) expect(alert.service).not.toBe('');
}

describe.each(Object.keys(FIXTURES) as AlertSource[])('the %s source, for mutated payloads', (source) => {
  it('normalises soundly or refuses naming a field, and never throws', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(payloads(source), (body) => {
        const result = ALERT_INTAKES[source].parse(body, receivedAt);
        expect(() => JSON.stringify(result)).not.toThrow();
        if (!result.ok) {
          refused++;
          expect(result.error).toMatch(FIELD_PATH);
          return;
        }
        accepted++;
        expect(Number.isInteger(result.truncated) && result.truncated >= 0).toBe(true);
        for (const alert of result.alerts) expectSound(source, alert);
        // Nothing leaks onto Object.prototype through a "__proto__" key.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      RUNS,
    );
    // The generator reaches both sides: a fuzz run that only ever refuses proves little.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20);
    expect(refused).toBeGreaterThan(RUNS.numRuns / 20);
  });
});

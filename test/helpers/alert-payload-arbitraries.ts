// Payloads for fuzzing the alert sources: each real fixture with fields deleted, retyped or
// replaced by awkward values (up to three changes), the alarm inside an SNS message changed the same
// way, and arbitrary JSON. Shared by the sources' fuzz test and the intake's fuzz over HTTP, which
// adds what only exists as bytes on the wire (httpBodies): deep nesting, duplicate keys, invalid
// UTF-8, bodies at the 1 MiB limit.
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

/** Mutated payloads of `source` (up to three changes to one of its fixtures), or any JSON. */
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

/** Text that has broken Unicode handling before: lone surrogates, NUL, bidi controls, joiners, BOM. */
const NASTY_TEXT = [
  '\ud800',
  '\udfff',
  '\udfff\ud800',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u200fעברית\u200e',
  'مرحبا',
  '👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\ufeff',
  '\u2028\u2029',
];

/** The same value as another type: a number as text and back, a value wrapped in an array or object. */
function retyped(v: Json, how: number): Json {
  if (typeof v === 'number') return how % 2 ? String(v) : [v];
  if (typeof v === 'boolean') return how % 2 ? String(v) : Number(v);
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n) && how % 2) return n;
    return how % 3 === 0 ? [v] : how % 3 === 1 ? { value: v } : v.length;
  }
  if (Array.isArray(v)) return how % 2 ? (v[0] ?? null) : { ...v };
  if (v && typeof v === 'object') return how % 2 ? Object.values(v) : JSON.stringify(v);
  return how % 2 ? 'null' : 0;
}

/** One change at a path of `base` that the fixtures' mutations do not make. */
function structural(base: Json): fc.Arbitrary<Json> {
  const all = paths(base);
  const objects = all.filter((p) => {
    let v: Json | undefined = base;
    for (const k of p) v = (v as Record<string | number, Json>)[k];
    return !!v && typeof v === 'object' && !Array.isArray(v);
  });
  const valueAt = (p: (string | number)[]) => {
    let v: Json | undefined = base;
    for (const k of p) v = (v as Record<string | number, Json>)[k];
    return v ?? null;
  };
  const options: fc.Arbitrary<Json>[] = [
    // Wrong type at any path (numbers as strings and back).
    fc
      .tuple(fc.constantFrom(...all), fc.nat(5))
      .map(([p, how]) => setAt(base, p, retyped(valueAt(p), how)) ?? null),
    // Unicode at any path: the text there with lone surrogates, NUL, RTL marks or joiners added.
    fc
      .tuple(fc.constantFrom(...all), fc.constantFrom(...NASTY_TEXT), fc.boolean())
      .map(([p, nasty, before]) => {
        const v = valueAt(p);
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return setAt(base, p, before ? nasty + text : text + nasty) ?? null;
      }),
    // Empty arrays and objects anywhere.
    fc.tuple(fc.constantFrom(...all), fc.boolean()).map(([p, arr]) => setAt(base, p, arr ? [] : {}) ?? null),
  ];
  if (objects.length > 0)
    // Extra fields: a key nobody expects (prototype names among them) with an awkward value.
    options.push(
      fc
        .tuple(
          fc.constantFrom(...objects),
          fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', ''), fc.string()),
          awkward,
        )
        .map(([p, key, value]) => setAt(base, [...p, key], value) ?? null),
    );
  return fc.oneof(...options);
}

/** A body as it goes on the wire, and what it is (for a failure's message). */
export interface WireBody {
  bytes: Buffer;
  what: string;
}

/** Stands for a value that is spliced into the JSON text (nesting, duplicate keys, bytes). */
const HOLE = '\u0001hole\u0001';
const HOLE_JSON = JSON.stringify(HOLE);

/** `base` with HOLE at `path`, as text, split around it (undefined: the path holds no value). */
function around(base: Json, path: (string | number)[]): [string, string] | undefined {
  const text = JSON.stringify(setAt(base, path, HOLE));
  const at = text.indexOf(HOLE_JSON);
  return at < 0 ? undefined : [text.slice(0, at), text.slice(at + HOLE_JSON.length)];
}

/** Nesting `depth` levels deep, of arrays or of objects. */
function nested(depth: number, arrays: boolean): string {
  return arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** What only exists as bytes: deep nesting, duplicate keys, invalid UTF-8, huge strings, padding. */
function wire(base: Json, maxBytes: number): fc.Arbitrary<WireBody> {
  const all = paths(base);
  const keyed = all.filter((p) => typeof p[p.length - 1] === 'string');
  const text = JSON.stringify(base);
  const splice = (p: (string | number)[], fill: (before: string, after: string) => Buffer, what: string) => {
    const parts = around(base, p);
    const bytes = parts ? fill(parts[0], parts[1]) : Buffer.from(text);
    return { bytes, what: `${what} at ${JSON.stringify(p)}` };
  };
  // Weights: a body near 1 MiB costs a thousand ordinary ones, so those come rarely.
  const options: fc.WeightedArbitrary<WireBody>[] = [];
  options.push({
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...all), fc.constantFrom(2, 64, 100, 101, 1_000, 10_000, 100_000), fc.boolean())
      .map(([p, depth, arrays]) =>
        splice(p, (a, b) => Buffer.from(a + nested(depth, arrays) + b), `nesting ${depth} deep`),
      ),
  });
  options.push({
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...all), fc.constantFrom(65_536, 300_000))
      .map(([p, n]) => splice(p, (a, b) => Buffer.from(`${a}"${'x'.repeat(n)}"${b}`), `a string of ${n}`)),
  });
  // Invalid UTF-8 inside a string: a lone continuation byte, a truncated sequence, an overlong NUL.
  options.push({
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...all), fc.constantFrom([0xff], [0x80], [0xc3], [0xe2, 0x82], [0xc0, 0x80]))
      .map(([p, bad]) =>
        splice(
          p,
          (a, b) => Buffer.concat([Buffer.from(`${a}"x`), Buffer.from(bad), Buffer.from(`y"${b}`)]),
          'bad UTF-8',
        ),
      ),
  });
  // The body at the limit, one byte under and one over: trailing whitespace is still JSON.
  options.push({
    weight: 1,
    arbitrary: fc.constantFrom(-1, 0, 1).map((delta) => {
      const pad = Math.max(0, maxBytes + delta - Buffer.byteLength(text));
      return { bytes: Buffer.from(text + ' '.repeat(pad)), what: `padded to ${maxBytes + delta} bytes` };
    }),
  });
  if (keyed.length > 0)
    // Duplicate keys: JSON.parse keeps the last, so the value seen is either one.
    options.push({
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...keyed), awkward, fc.boolean()).map(([p, other, first]) => {
        const key = JSON.stringify(p[p.length - 1]);
        let v: Json | undefined = base;
        for (const k of p) v = (v as Record<string | number, Json>)[k];
        const [x, y] = first ? [other, v ?? null] : [v ?? null, other];
        return splice(
          p,
          (a, b) => Buffer.from(`${a}${JSON.stringify(x)},${key}:${JSON.stringify(y)}${b}`),
          'a duplicate key',
        );
      }),
    });
  if (base && typeof base === 'object' && !Array.isArray(base))
    // A real payload grown to the limit by a field nobody reads (so its alerts are stored, 1 MiB of body).
    options.push({
      weight: 1,
      arbitrary: fc.constantFrom(-1, 0, 1).map((delta) => {
        const empty = Buffer.byteLength(JSON.stringify({ ...base, padding: '' }));
        const padded = { ...base, padding: 'p'.repeat(Math.max(0, maxBytes + delta - empty)) };
        return {
          bytes: Buffer.from(JSON.stringify(padded)),
          what: `a padding field to ${maxBytes + delta} bytes`,
        };
      }),
    });
  return fc.oneof(...options);
}

/**
 * Bodies for the intake over HTTP: the payloads above, structural changes (wrong types, numbers as
 * strings, Unicode, extra fields, empty arrays) on a fixture or an already mutated one, and changes
 * made on the wire (wire()). `maxBytes`: the route's body limit (1 MiB).
 */
export function httpBodies(source: AlertSource, maxBytes: number): fc.Arbitrary<WireBody> {
  const asBody = (v: Json, what: string): WireBody => ({ bytes: Buffer.from(JSON.stringify(v)), what });
  const mutated = payloads(source);
  const bases = FIXTURES[source].map(load);
  const onFixture = fc.oneof(...bases.map((b) => structural(b)));
  return fc.oneof(
    { weight: 4, arbitrary: mutated.map((v) => asBody(v, 'a mutated payload')) },
    { weight: 3, arbitrary: onFixture.map((v) => asBody(v, 'a structural change')) },
    {
      weight: 1,
      arbitrary: mutated
        .chain((m) => structural(m))
        .map((v) => asBody(v, 'a structural change on a mutation')),
    },
    { weight: 2, arbitrary: fc.oneof(...bases.map((b) => wire(b, maxBytes))) },
  );
}

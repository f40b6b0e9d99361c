// Thousands of mutated payloads per alert source (issue 9: "always 202 or a 400 with a reason"):
// each real fixture with fields deleted, retyped or replaced by awkward values, and arbitrary JSON.
// Every one is either normalised into alerts that keep the domain's promises, or refused with a
// sentence naming a field; nothing throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_INTAKES } from '../../handlers/alerts/index.ts';
import { FIXTURES, payloads } from '../helpers/alert-payload-arbitraries.ts';
import {
  ALERT_LIMITS,
  ALERT_STATUSES,
  SEVERITIES,
  type AlertSource,
  type NormalizedAlert,
} from '../../src/domain/alert.ts';

const RUNS = { numRuns: 2_000 };
const receivedAt = new Date('2026-11-30T01:02:03Z');

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

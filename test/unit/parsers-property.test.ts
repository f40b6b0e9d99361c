// Property-based tests of every command's grammar (issue 7): thousands of generated texts, and
// every one is read into a query or a problem the catalogue can say; none throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/core/input.ts';
import { readCommandText } from '../../src/domain/command-text.ts';
import { DATE_RANGE, isIsoDate, parseDate, parseMonth } from '../../src/domain/dates.ts';
import { isProblem, parseLedgerQuery } from '../../src/domain/ledger/query.ts';
import { matchRotation } from '../../src/domain/rotation.ts';
import { MAX_RANGE_MONTHS, parseSalesQuery } from '../../src/domain/sales/query.ts';
import { monthCount } from '../../src/domain/sales/month.ts';
import { hasKey } from '../../src/i18n/index.ts';
import { commandText } from '../helpers/command-arbitraries.ts';

const RUNS = { numRuns: 5000 };
const today = fc.constantFrom('2024-04-10', '2024-01-01', '2024-12-31', '1900-01-01', '2999-12-31');
/** What a transport hands on: the text cleaned where it entered. */
const typed = commandText().map(cleanText);

const inRange = (d: string) => isIsoDate(d) && d >= DATE_RANGE.first && d <= DATE_RANGE.last;
const isMonth = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m) && inRange(`${m}-01`);

function expectSayable(key: string, params: Record<string, unknown> | undefined): void {
  expect(hasKey(key), key).toBe(true);
  for (const v of Object.values(params ?? {})) expect(['string', 'number']).toContain(typeof v);
}

describe('the /ledger grammar, for any text', () => {
  it('gives a query of real dates in range, or a problem the catalogue can say', () => {
    fc.assert(
      fc.property(typed, today, (text, day) => {
        const q = parseLedgerQuery(text, day);
        if (isProblem(q)) return expectSayable(q.problem, q.params);
        switch (q.kind) {
          case 'balance':
            expect(inRange(q.date)).toBe(true);
            expect(q.account).not.toBe('');
            break;
          case 'account':
            expect(inRange(q.from) && inRange(q.to) && q.from <= q.to).toBe(true);
            break;
          case 'trial':
            expect(isMonth(q.month) && inRange(q.through) && q.through.startsWith(q.month)).toBe(true);
            break;
          case 'reconcile':
          case 'close':
            expect(isMonth(q.month)).toBe(true);
            break;
          case 'entries':
            expect(q.reference).not.toBe('');
        }
      }),
      RUNS,
    );
  });
});

describe('the /sales grammar, for any text', () => {
  it('gives a query of real months in a range of at most 24, or a problem the catalogue can say', () => {
    fc.assert(
      fc.property(typed, today, (text, day) => {
        const q = parseSalesQuery(text, day);
        if (!q.ok) return expectSayable(q.key, q.params);
        expect(['month', 'forecast']).toContain(q.query.kind);
        if (q.query.kind === 'month') {
          expect(isMonth(q.query.month)).toBe(true);
          expect(['project', 'customer', 'department']).toContain(q.query.groupBy);
        } else {
          expect(isMonth(q.query.from) && isMonth(q.query.to)).toBe(true);
          const n = monthCount(q.query.from, q.query.to);
          expect(n >= 1 && n <= MAX_RANGE_MONTHS).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('dates and months, for any word', () => {
  it('are read only as real days and months inside the supported range', () => {
    fc.assert(
      fc.property(typed, today, (text, day) => {
        const d = parseDate(text, day);
        if (d !== undefined) expect(inRange(d)).toBe(true);
        const m = parseMonth(text, day);
        if (m !== undefined) expect(isMonth(m)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('reading a command’s words, for any text', () => {
  it('keeps every word as typed and gives the rest verbatim', () => {
    fc.assert(
      fc.property(typed, (text) => {
        const { words, rest } = readCommandText(text);
        for (const w of words) {
          expect(text.slice(w.start, w.start + w.raw.length)).toBe(w.raw);
          expect(w.keyword).toBe(w.raw.normalize('NFKC').toLowerCase());
        }
        expect(rest(0)).toBe(text.trim());
      }),
      RUNS,
    );
  });
});

describe('naming a rotation, for any text', () => {
  const rotations = [
    { id: 'primary', name: 'Primary on-call' },
    { id: 'cs-duty', name: '調査当番' },
  ];
  it('finds at most the rotations there are and never throws', () => {
    fc.assert(
      fc.property(typed, (text) => {
        const m = matchRotation(rotations, text);
        if (m.kind === 'found') expect(rotations).toContain(m.rotation);
      }),
      RUNS,
    );
  });
});

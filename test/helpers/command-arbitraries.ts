// Generated command texts for the property-based tests: mostly near-misses of the real grammars
// (keywords in any width and case, dates that exist and dates that do not, account names, words
// that are names of Object.prototype members), mixed with arbitrary Unicode, control characters,
// lone surrogates and long runs, joined by any kind of white space.
import fc from 'fast-check';

const KEYWORDS = [
  'balance',
  'entries',
  'trial',
  'journal',
  'account',
  'reconcile',
  'close',
  'month',
  'forecast',
  'by',
  'project',
  'customer',
  'department',
  'help',
  'ヘルプ',
  '--help',
  'override',
  'cover',
  'report',
  'primary',
  'cs-duty',
  'Primary on-call',
  '調査当番',
  '月次',
  '予実',
  '別',
  '顧客',
  'today',
  'yesterday',
  'last-month-end',
  'this-month',
  'last-month',
  '今日',
  '先月',
  '先月末',
];

const NAMES = ['売掛金', '前受金', '1130', '2120', 'Accounts receivable', 'ORD-00000001', '未収入金'];

/** Words that find something on a plain object: a grammar built on one would misread them. */
const PROTOTYPE_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** ASCII letters, digits and signs as their full-width forms (Ａ, ２, －, ／). */
function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

const year = fc.oneof(
  fc.integer({ min: 1890, max: 3010 }),
  fc.constantFrom(0, 1, 999, 1899, 1900, 2999, 3000, 9999, 10000, 99999),
);
const month = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 13, 99));
const day = fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(0, 32, 99));
const sep = fc.constantFrom('-', '/', '.');

const dateWord = fc.oneof(
  fc.tuple(year, sep, month, sep, day).map(([y, s1, m, s2, d]) => `${y}${s1}${m}${s2}${d}`),
  fc
    .tuple(year, month, day)
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.tuple(year, month, day).map(([y, m, d]) => `${y}年${m}月${d}日`),
  fc.tuple(year, sep, month).map(([y, s, m]) => `${y}${s}${m}`),
  fc.tuple(year, month).map(([y, m]) => `${y}年${m}月`),
);

const grammarWord = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_WORDS) },
  { weight: 4, arbitrary: dateWord },
);

/** A word as someone might type it: as is, in another case, or in full width. */
const word = fc.oneof(
  { weight: 6, arbitrary: grammarWord },
  { weight: 1, arbitrary: grammarWord.map((w) => w.toUpperCase()) },
  { weight: 2, arbitrary: grammarWord.map(fullWidth) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{1,25}$/) },
);

/** Dates and months mostly where the demo data lies, so that many texts get real answers. */
const nearDate = fc
  .tuple(fc.constantFrom(2023, 2024), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const nearMonth = nearDate.map((d) => d.slice(0, 7));
const someDate = fc.oneof({ weight: 4, arbitrary: nearDate }, { weight: 1, arbitrary: dateWord });
const someMonth = fc.oneof({ weight: 4, arbitrary: nearMonth }, { weight: 1, arbitrary: dateWord });
const name = fc.constantFrom(...NAMES);

/** Sentences of each command's grammar, right or nearly right. */
const SENTENCES: Record<'/ledger' | '/sales' | '/oncall', fc.Arbitrary<string[]>> = {
  '/ledger': fc.oneof(
    fc.tuple(fc.constant('balance'), name, fc.option(someDate)).map(([k, n, d]) => [k, n, ...(d ? [d] : [])]),
    fc.tuple(fc.constant('entries'), fc.oneof(name, fc.stringMatching(/^ORD-\d{8}$/))),
    fc.tuple(fc.constant('trial'), fc.oneof(someMonth, someDate)),
    fc.tuple(fc.constantFrom('journal', 'account'), name, someDate, someDate),
    fc.tuple(fc.constantFrom('reconcile', 'close'), someMonth),
  ),
  '/sales': fc.oneof(
    fc
      .tuple(
        fc.constantFrom('month', '月次'),
        someMonth,
        fc.option(fc.constantFrom('by', '別')),
        fc.constantFrom('project', 'customer', 'department', '顧客'),
      )
      .map(([k, m, by, g]) => [k, m, ...(by ? [by] : []), g]),
    fc
      .tuple(fc.constantFrom('forecast', '予実'), someMonth, fc.option(someMonth))
      .map(([k, a, b]) => [k, a, ...(b ? [b] : [])]),
  ),
  '/oncall': fc.tuple(fc.constantFrom('primary', 'Primary on-call', '調査当番', 'override', 'cs-duty')),
};

/** A sentence as someone might type it: each word as is, in another case or width, or mistyped. */
const typedSentence = (sentence: fc.Arbitrary<string[]>) =>
  sentence.chain((words) =>
    fc.tuple(
      ...words.map((w) =>
        fc.oneof(
          { weight: 8, arbitrary: fc.constant(w) },
          { weight: 1, arbitrary: fc.constant(w.toUpperCase()) },
          { weight: 2, arbitrary: fc.constant(fullWidth(w)) },
          { weight: 1, arbitrary: word },
        ),
      ),
    ),
  );

const space = fc.constantFrom(' ', '  ', '\u3000', '\t', '\n', ' \u0000 ', '\u00a0', '\r\n');

/** A text after a command name: a few words and the white space between them. */
export function commandText(command: keyof typeof SENTENCES | 'any' = 'any'): fc.Arbitrary<string> {
  const sentence = command === 'any' ? fc.oneof(...Object.values(SENTENCES)) : SENTENCES[command];
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(typedSentence(sentence), space).map(([ws, s]) => ws.join(s === '\r\n' ? ' ' : s)),
    },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(word, space), { maxLength: 6 })
        .map((parts) => parts.map(([w, s]) => w + s).join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(word, fc.integer({ min: 100, max: 5000 }))
        .map(([w, n]) => w.repeat(n).slice(0, 12_000)),
    },
  );
}

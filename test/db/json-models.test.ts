// Every command's `--json` model (issue 7, item 13): yen amounts and identifiers are decimal
// strings however many digits they have; the only numbers left are counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { loadSalesDemo } from '../../src/demo/sales.ts';
import { postEntries } from '../../src/services/ledger/post.ts';
import { modelJson } from '../../src/views/json.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;

/** The keys a model may hold a JSON number under: counts and limits, never money or an id. */
const COUNTS = new Set([
  'lines',
  'lineCount',
  'limit',
  'lineNo',
  'matched',
  'entries',
  'unbalanced',
  'open_items',
  'differences',
  'open',
  'compared',
  'mismatches',
]);

const BIG_REFERENCE = '1234567890123456789';
const BIG_AMOUNT = 12_345_678_901_234_567n;

beforeAll(async () => {
  db = await freshDatabase();
  await loadLedgerDemo(db.ownerPool, { entries: 600, seed: 5, today: '2024-04-10' });
  await loadSalesDemo(db.ownerPool, { seed: 5, today: '2024-04-10' });
  // An order too large for a float, under a reference of 19 digits.
  await postEntries(db.ownerPool, [
    {
      entry: {
        accountingDate: '2024-03-05',
        postedAt: new Date('2024-03-05T01:00:00Z'),
        kind: 'sale',
        reference: BIG_REFERENCE,
        lines: [
          { account: '1130', debit: BIG_AMOUNT, credit: 0n },
          { account: '2120', debit: 0n, credit: BIG_AMOUNT },
        ],
      },
    },
  ]);
  dispatcher = new Dispatcher(testContext(db.pool), { commands: commands });
});
afterAll(async () => db?.drop());

/** Every [path, value] of a parsed JSON document whose value is a number. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}.${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
  return [];
}

const lastKey = (path: string) =>
  path
    .split('.')
    .filter((p) => !/^\d+$/.test(p))
    .pop() ?? '';

describe('--json of every command', () => {
  it.each([
    ['/ledger', 'balance 売掛金 2024-03-31'],
    ['/ledger', `entries ${BIG_REFERENCE}`],
    ['/ledger', 'trial 2024-03'],
    ['/ledger', 'account 売掛金 2024-03-01 2024-03-10'],
    ['/ledger', 'journal 売掛金 2024-03-01 2024-03-10'],
    ['/ledger', 'reconcile 2024-03'],
    ['/ledger', 'close 2024-03'],
    ['/sales', 'month 2024-03 by customer'],
    ['/sales', 'forecast 2024-01 2024-06'],
    ['/oncall', ''],
    ['/oncall', 'primary'],
  ])('%s %s: amounts and ids are strings, numbers are counts', async (command, text) => {
    const out = await dispatcher.run({ command, text, userId: 'U0FIN1', locale: 'en' });
    expect(out.error, out.reply.message.text).toBeUndefined();
    const parsed: unknown = JSON.parse(modelJson(out.reply.model));
    for (const [path, n] of numbers(parsed)) expect(COUNTS.has(lastKey(path)), `${path} = ${n}`).toBe(true);
  });

  it('prints a 17-digit amount and a 19-digit reference exactly', async () => {
    const entries = await dispatcher.run({
      command: '/ledger',
      text: `entries ${BIG_REFERENCE}`,
      userId: 'U0FIN1',
      locale: 'en',
    });
    const json = modelJson(entries.reply.model);
    expect(json).toContain(`"reference": "${BIG_REFERENCE}"`);
    expect(json).toContain(`"debit": "${BIG_AMOUNT}"`);
    const balance = await dispatcher.run({
      command: '/ledger',
      text: 'balance 1130 2024-03-31',
      userId: 'U0FIN1',
      locale: 'en',
    });
    const debit = (JSON.parse(modelJson(balance.reply.model)) as { debit: unknown }).debit;
    expect(typeof debit).toBe('string');
    expect(BigInt(debit as string) >= BIG_AMOUNT).toBe(true);
  });
});

// The exported journal read by the two reference engines, hledger and ledger-cli: every balance and
// every trial-balance figure /ledger gives must equal theirs to the yen. Needs both tools
// (Debian: apt-get install hledger ledger); without them the test is skipped, saying so.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../commands/ledger.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { addDays, monthBounds } from '../../src/domain/dates.ts';
import { exportJournal } from '../../src/services/ledger/export.ts';
import type { BalanceModel, TrialModel } from '../../src/services/ledger/models.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = { hledger: has('hledger'), ledger: has('ledger') };
const missing = Object.entries(tools)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);
if (missing.length > 0)
  console.warn(
    `ledger-hledger: skipped, ${missing.join(' and ')} not installed (apt-get install -y hledger ledger)`,
  );

type Engine = (args: string[]) => Map<string, bigint>;

/** Account → amount from `hledger bal` as CSV. */
const hledger =
  (file: string): Engine =>
  (args) => {
    const out = execFileSync('hledger', ['-f', file, 'bal', '--flat', '-N', '-O', 'csv', ...args], {
      encoding: 'utf8',
    });
    const m = new Map<string, bigint>();
    for (const line of out.trim().split('\n').slice(1)) {
      const [, account, amount] = /^"(.*)","(.*)"$/.exec(line) ?? [];
      if (account && amount && amount !== '0')
        m.set(account.split(' ')[0]!, BigInt(amount.replace(/[¥,]/g, '')));
    }
    return m;
  };

/** Account → amount from `ledger bal` with a tab-separated format. */
const ledgerCli =
  (file: string): Engine =>
  (args) => {
    const out = execFileSync(
      'ledger',
      [
        '-f',
        file,
        'bal',
        '--flat',
        '--no-total',
        '--balance-format',
        '%(account)\t%(display_total)\n',
        ...args,
      ],
      { encoding: 'utf8' },
    );
    const m = new Map<string, bigint>();
    for (const line of out.trim().split('\n').filter(Boolean)) {
      const [account, amount] = line.split('\t') as [string, string];
      const v = BigInt(amount.replace(/[¥,\s]/g, '') || '0');
      if (v !== 0n) m.set(account.split(' ')[0]!, v);
    }
    return m;
  };

let db: TestDatabase;
let file: string;
const today = '2024-04-10';

describe.skipIf(missing.length > 0)('export read by hledger and ledger-cli', () => {
  beforeAll(async () => {
    db = await freshDatabase();
    await loadLedgerDemo(db.ownerPool, { entries: 4000, seed: 5, today });
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'toban-ledger-')), 'export.journal');
    const out = fs.createWriteStream(file);
    await exportJournal(db.pool, {}, out);
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  });
  afterAll(async () => {
    await db?.drop();
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  const engines = () => ({ hledger: hledger(file), ledger: ledgerCli(file) });
  // The /ledger command as a finance member types it (parse, the question's service, the view).
  const ask = async <T>(text: string) =>
    (await ledger.run({ command: '/ledger', text, userId: 'U0FIN1', locale: 'en' }, testContext(db.pool)))
      .model as T;

  it('parses the whole file in both engines and balances to zero', () => {
    for (const [name, run] of Object.entries(engines())) expect(run([]).size, name).toBeGreaterThan(5);
    const check = execFileSync('hledger', ['-f', file, 'check'], { encoding: 'utf8' });
    expect(check).toBe('');
  });

  it('agrees with /ledger balance for every account at month ends, mid-month and today', async () => {
    const { rows } = await db.pool.query<{ code: string }>(`SELECT code FROM ledger.accounts ORDER BY code`);
    for (const date of ['2023-06-30', '2024-02-29', '2024-03-15', '2024-03-31', today]) {
      // Both engines take the end date as exclusive.
      const next = addDays(date, 1);
      const theirs = Object.entries(engines()).map(([name, run]) => [name, run(['-e', next])] as const);
      for (const { code } of rows) {
        const ours = BigInt((await ask<BalanceModel>(`balance ${code} ${date}`)).balance);
        for (const [name, m] of theirs) expect(m.get(code) ?? 0n, `${name} ${code} ${date}`).toBe(ours);
      }
    }
  }, 120_000);

  it('agrees with /ledger trial on opening, debits, credits and closing, for months and a month to date', async () => {
    for (const text of ['trial 2023-12', 'trial 2024-03', 'trial 2024-03-15', 'trial 2024-04']) {
      const m = await ask<TrialModel>(text);
      const { first } = monthBounds(m.month);
      const end = addDays(m.through, 1);
      for (const [name, run] of Object.entries(engines())) {
        const opening = run(['-e', first]);
        const debits = run([
          '-b',
          first,
          '-e',
          end,
          name === 'hledger' ? 'amt:>0' : '--limit',
          ...(name === 'hledger' ? [] : ['amount > 0']),
        ]);
        const credits = run([
          '-b',
          first,
          '-e',
          end,
          name === 'hledger' ? 'amt:<0' : '--limit',
          ...(name === 'hledger' ? [] : ['amount < 0']),
        ]);
        const closing = run(['-e', end]);
        for (const r of m.rows) {
          const where = `${name} ${text} ${r.code}`;
          expect(opening.get(r.code) ?? 0n, `${where} opening`).toBe(BigInt(r.opening));
          expect(debits.get(r.code) ?? 0n, `${where} debits`).toBe(BigInt(r.debit));
          expect(-(credits.get(r.code) ?? 0n), `${where} credits`).toBe(BigInt(r.credit));
          expect(closing.get(r.code) ?? 0n, `${where} closing`).toBe(BigInt(r.closing));
        }
      }
    }
    // 32 runs of the two engines: about 10 s on a quiet 2-core machine, over 30 s when it is loaded.
  }, 180_000);

  it('carries earlier history as opening balances when exporting from a date', async () => {
    const partial = path.join(path.dirname(file), 'from.journal');
    const out = fs.createWriteStream(partial);
    await exportJournal(db.pool, { from: '2024-03-01', to: '2024-03-31' }, out);
    await new Promise<void>((resolve) => out.end(resolve));
    const m = await ask<TrialModel>('trial 2024-03');
    for (const run of [hledger(partial), ledgerCli(partial)]) {
      const closing = run([]);
      for (const r of m.rows) expect(closing.get(r.code) ?? 0n, r.code).toBe(BigInt(r.closing));
    }
  }, 120_000);
});

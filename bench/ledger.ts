// /ledger balance and /ledger trial over 1M and 10M journal lines, timed from the command's parse to
// its rendered reply (the audit row included), at random dates including mid-month ones; then the
// same trial balance by ledger-cli and hledger on a 200k-transaction export, as a ratio.
// The demo databases are kept between runs (toban_bench_ledger_*): generating 10M lines takes minutes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ledger } from '../commands/ledger.ts';
import type { AppContext } from '../src/core/context.ts';
import { createLogger } from '../src/core/log.ts';
import { createMetrics } from '../src/core/metrics.ts';
import { ManualClock } from '../src/app/clock.ts';
import { loadConfig } from '../src/config/load.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { loadLedgerDemo } from '../src/demo/ledger.ts';
import { addDays, addMonths } from '../src/domain/dates.ts';
import { staticDirectory } from '../src/services/directory.ts';
import { exportJournal } from '../src/services/ledger/export.ts';
import { percentile, random, withDatabase } from './common.ts';

const TODAY = '2024-04-10';
const SEED = 1;
/** Journal lines per entry in the demo, measured: 2.296 (so a little over 1M and 10M lines). */
const LINES_PER_ENTRY = 2.29;
const RUNS = 300;
const WARMUP = 30;

type Log = (line: string) => void;

async function ensureDatabase(admin: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
  if (!rowCount) await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = withDatabase(admin, name);
  await migrate(url);
  return url;
}

function benchContext(pool: Pool): AppContext {
  return {
    config: loadConfig({}, '/nonexistent-dir-for-bench'),
    pool,
    ledgerPool: pool,
    clock: new ManualClock('2024-04-10T01:00:00Z'),
    outboxTransport: 'slack',
    log: createLogger('silent'),
    directory: staticDirectory({}),
    metrics: createMetrics(),
  };
}

async function prepare(
  log: Log,
  admin: string,
  name: string,
  entries: number,
): Promise<{ pool: Pool; lines: number }> {
  const url = await ensureDatabase(admin, name);
  const pool = createPool(url, { max: 4 });
  const started = Date.now();
  const r = await loadLedgerDemo(pool, { entries, seed: SEED, today: TODAY });
  const seconds = (Date.now() - started) / 1000;
  log(
    r.action === 'skipped'
      ? `${name}: ${r.lines.toLocaleString('en-US')} lines, ${r.entries.toLocaleString('en-US')} entries (cached from an earlier run)`
      : `${name}: generated ${r.lines.toLocaleString('en-US')} lines, ${r.entries.toLocaleString('en-US')} entries in ${seconds.toFixed(1)} s`,
  );
  return { pool, lines: r.lines };
}

async function time(ctx: AppContext, texts: string[]): Promise<number[]> {
  const ms: number[] = [];
  for (const [i, text] of texts.entries()) {
    const t0 = process.hrtime.bigint();
    const reply = await ledger.run({ command: '/ledger', text, userId: 'U0FIN1', locale: 'ja' }, ctx);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!reply.message.text) throw new Error(`empty reply to ${text}`);
    if (i >= WARMUP) ms.push(elapsed);
  }
  return ms.sort((a, b) => a - b);
}

async function timeOnce(ctx: AppContext, text: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  await ledger.run({ command: '/ledger', text, userId: 'U0FIN1', locale: 'ja' }, ctx);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function summary(ms: number[]): string {
  return `p50 ${percentile(ms, 50).toFixed(2)} ms  p95 ${percentile(ms, 95).toFixed(2)} ms  max ${ms[ms.length - 1]!.toFixed(2)} ms  (n=${ms.length})`;
}

function questions(kind: 'balance' | 'trial', n: number): string[] {
  const next = random(kind === 'balance' ? 7 : 8);
  const accounts = [
    '1110',
    '売掛金',
    '1140',
    '立替金',
    '未払金',
    '前受金',
    '2190',
    '4110',
    '支払手数料',
    '3110',
  ];
  const firstMonth = addMonths(TODAY.slice(0, 7), -23);
  const days = 700;
  return Array.from({ length: n }, () => {
    const date = addDays(`${firstMonth}-01`, Math.floor(next() * days));
    if (kind === 'balance') return `balance ${accounts[Math.floor(next() * accounts.length)]} ${date}`;
    // Half whole months, half a month up to a day inside it.
    return next() < 0.5 ? `trial ${date.slice(0, 7)}` : `trial ${date}`;
  });
}

async function plainSql(pool: Pool): Promise<number> {
  const t0 = process.hrtime.bigint();
  await pool.query(
    `SELECT account_code, sum(debit) - sum(credit) FROM ledger.journal_lines WHERE accounting_date <= '2024-03-15' GROUP BY 1`,
  );
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function timeTool(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function benchLedger(opts: { log: Log }): Promise<void> {
  const { log } = opts;
  const base = process.env.BENCH_DATABASE_URL;
  let server: EmbeddedServer | undefined;
  if (!base) server = await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? server!.url;
  log(
    `database: ${base ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL (.toban/bench-pg)'}; timed: parse → service (read-only tx + audit row) → rendered reply`,
  );
  try {
    for (const [label, lines] of [
      ['1m', 1_000_000],
      ['10m', 10_000_000],
    ] as const) {
      const { pool, lines: actual } = await prepare(
        log,
        admin,
        `toban_bench_ledger_${label}`,
        Math.round(lines / LINES_PER_ENTRY),
      );
      const ctx = benchContext(pool);
      const balance = await time(ctx, questions('balance', RUNS + WARMUP));
      const trial = await time(ctx, questions('trial', RUNS + WARMUP));
      const sql = [await plainSql(pool), await plainSql(pool), await plainSql(pool)].sort((a, b) => a - b);
      log(`${(actual / 1e6).toFixed(2)}M lines  /ledger balance  ${summary(balance)}`);
      log(`${(actual / 1e6).toFixed(2)}M lines  /ledger trial    ${summary(trial)}`);
      log(
        `${(actual / 1e6).toFixed(2)}M lines  plain SQL aggregate over the lines (no rollups): ${sql[1]!.toFixed(0)} ms`,
      );
      // The month-close questions, timed once each (their first run reads the month from disk).
      const reconcileMs = await timeOnce(ctx, 'reconcile last-month');
      const closeMs = await timeOnce(ctx, 'close last-month');
      log(
        `${(actual / 1e6).toFixed(2)}M lines  /ledger reconcile last-month ${reconcileMs.toFixed(0)} ms, /ledger close last-month ${closeMs.toFixed(0)} ms`,
      );
      await pool.end();
    }

    if (!has('ledger') || !has('hledger')) {
      log('ledger-cli / hledger comparison skipped: install them (apt-get install -y hledger ledger)');
      return;
    }
    const { pool } = await prepare(log, admin, 'toban_bench_ledger_200k', 200_000);
    const dir = path.resolve('.toban/bench');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'export-200k.journal');
    const out = fs.createWriteStream(file);
    const t0 = Date.now();
    const counts = await exportJournal(pool, {}, out);
    await new Promise<void>((resolve) => out.end(resolve));
    log(
      `export: ${counts.transactions.toLocaleString('en-US')} transactions, ${counts.postings.toLocaleString('en-US')} postings in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB)`,
    );
    const ctx = benchContext(pool);
    const ours = await time(
      ctx,
      Array.from({ length: 130 }, () => 'trial 2024-04'),
    );
    const ledgerMs = [
      timeTool('ledger', ['-f', file, 'balance']),
      timeTool('ledger', ['-f', file, 'balance']),
    ].sort((a, b) => a - b)[0]!;
    const hledgerMs = [
      timeTool('hledger', ['-f', file, 'balance']),
      timeTool('hledger', ['-f', file, 'balance']),
    ].sort((a, b) => a - b)[0]!;
    const p50 = percentile(ours, 50);
    log(`200k transactions  /ledger trial          p50 ${p50.toFixed(2)} ms`);
    log(
      `200k transactions  ledger -f … balance    ${ledgerMs.toFixed(0)} ms  (${Math.round(ledgerMs / p50)}× slower than /ledger trial)`,
    );
    log(
      `200k transactions  hledger -f … balance   ${hledgerMs.toFixed(0)} ms  (${Math.round(hledgerMs / p50)}× slower than /ledger trial)`,
    );
    await pool.end();
  } finally {
    await server?.stop();
  }
}

// Demo data for zero-setup runs: loaded on the first console start and by `toban demo-data`.
import type { AppContext } from '../app/context.ts';
import { ledgerIsEmpty } from '../db/demo.ts';
import { businessToday } from '../services/today.ts';
import { loadLedgerDemo } from './ledger.ts';
import { loadSalesDemo } from './sales.ts';

/** First start (console mode, embedded database): a small demo so every command answers something. */
export const FIRST_START_ENTRIES = 3_000;

export async function loadDemoData(
  ctx: AppContext,
  opts: { entries?: number; seed?: number },
): Promise<string> {
  const today = businessToday(ctx);
  const ledger = await loadLedgerDemo(ctx.pool, { entries: opts.entries, seed: opts.seed, today });
  await loadSalesDemo(ctx.pool, { seed: opts.seed, today });
  return `ledger: ${ledger.action}, ${ledger.entries} entries, ${ledger.lines} lines (seed ${opts.seed ?? 1}, ending ${today}); sales: loaded`;
}

/** Loads the demo once; an existing ledger (demo or real) is left alone. */
export async function ensureDemoData(ctx: AppContext): Promise<void> {
  if (!(await ledgerIsEmpty(ctx.pool))) return;
  ctx.log.info(await loadDemoData(ctx, { entries: FIRST_START_ENTRIES }));
}

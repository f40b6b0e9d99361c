// Demo data for zero-setup runs, all of it under src/demo/ (its SQL under src/db/demo/, where SQL
// lives): the built-in config and its people (config.ts, directory.ts), the ledger (ledger.ts),
// sales (sales.ts) and investigation requests (investigations.ts). This file is the entry point the
// rest of toban uses: `npm start` in console mode (main.ts: demoDirectory, demoUserName,
// ensureDemoData), `toban run` and `toban demo-data` (cli.ts).
// src/config/load.ts alone reads config.ts directly, for the fallback toban.yml.
import type { AppContext } from '../core/context.ts';
import { ledgerIsEmpty } from '../db/demo/ledger.ts';
import { businessToday } from '../services/today.ts';
import { loadInvestigationHistoryDemo } from './investigation-history.ts';
import { loadInvestigationsDemo } from './investigations.ts';
import { loadLedgerDemo } from './ledger.ts';
import { loadSalesDemo } from './sales.ts';

export { DEMO_CONFIG_YAML, DEMO_USERS } from './config.ts';
export { demoDirectory, demoUserName } from './directory.ts';

/** First start (console mode, embedded database): a small demo so every command answers something. */
export const FIRST_START_ENTRIES = 3_000;

/**
 * Loads the demo ledger (`entries` journal entries, default 30,000) and sales for `seed` (default 1),
 * ending on today's business date, and a few open investigation requests filed now; needs the
 * owner's pool (ledger and sales are the owner's). Returns a one-line summary. Throws
 * DemoRefusedError when the ledger holds entries that are not demo data.
 */
export async function loadDemoData(
  ctx: AppContext,
  opts: { entries?: number; seed?: number },
): Promise<string> {
  const today = businessToday(ctx);
  const ledger = await loadLedgerDemo(ctx.pool, { entries: opts.entries, seed: opts.seed, today });
  await loadSalesDemo(ctx.pool, { seed: opts.seed, today });
  // History first, so INV numbers grow with the filing time on a first load.
  const history = await loadInvestigationHistoryDemo(ctx);
  const investigations = history + (await loadInvestigationsDemo(ctx));
  return `ledger: ${ledger.action}, ${ledger.entries} entries, ${ledger.lines} lines (seed ${opts.seed ?? 1}, ending ${today}); sales: loaded; investigations: ${investigations} new`;
}

/** The first console start: loads the demo once; an existing ledger (demo or real) is left alone. */
export async function ensureDemoData(ctx: AppContext): Promise<void> {
  if (!(await ledgerIsEmpty(ctx.pool))) return;
  ctx.log.info(await loadDemoData(ctx, { entries: FIRST_START_ENTRIES }));
}

// The ledger part of `toban demo-data` and of the first start: a realistic marketplace ledger,
// the same for the same seed (and day), sized by the number of journal entries.
import { withTransaction, type Pool } from '../db/pool.ts';
import {
  currentDemoLoad,
  generateDemo,
  lockLedgerForReload,
  recordDemoLoad,
  truncateLedger,
} from '../db/demo/ledger.ts';
import { addMonths, monthOf } from '../domain/dates.ts';

export interface LedgerDemoOptions {
  /** About how many journal entries to generate (default 30,000; 4.37 million give ~10 million lines). */
  entries?: number;
  seed?: number;
  /** The business date the demo ends on ("2024-04-10"); the first of 24 months back is its start. */
  today: string;
}

export interface LedgerDemoResult {
  entries: number;
  lines: number;
  /** 'loaded' into an empty ledger, 'reloaded' over another demo, or 'skipped': this one is there. */
  action: 'loaded' | 'reloaded' | 'skipped';
}

export const DEFAULT_DEMO_ENTRIES = 30_000;
export const DEFAULT_DEMO_SEED = 1;
const MONTHS = 24;
/** Entries per order on average (purchase, capture, completion, some cancellations and refunds). */
const ENTRIES_PER_ORDER = 3.2;

export class DemoRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoRefusedError';
  }
}

/**
 * Loads the demo ledger: skips when the same seed and size are already loaded, replaces an earlier
 * demo otherwise, and refuses to touch a ledger that holds anything but demo data.
 */
export async function loadLedgerDemo(pool: Pool, opts: LedgerDemoOptions): Promise<LedgerDemoResult> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const wanted = Math.max(100, Math.round(opts.entries ?? DEFAULT_DEMO_ENTRIES));
  if (!Number.isSafeInteger(seed)) throw new RangeError(`demo seed must be an integer, got ${seed}`);
  return withTransaction(pool, async (tx) => {
    await lockLedgerForReload(tx);
    const { loaded, hasEntries } = await currentDemoLoad(tx);
    if (loaded && loaded.seed === String(seed) && loaded.entries === String(wanted)) {
      const { rows } = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ledger.journal_entries`);
      return { entries: Number(rows[0]?.n ?? 0), lines: Number(loaded.lines), action: 'skipped' as const };
    }
    if (hasEntries && !loaded)
      throw new DemoRefusedError('the ledger holds entries that are not demo data; refusing to replace them');
    if (hasEntries) await truncateLedger(tx);
    const start = `${addMonths(monthOf(opts.today), -(MONTHS - 1))}-01`;
    const orders = Math.max(30, Math.round(wanted / ENTRIES_PER_ORDER));
    const made = await generateDemo(tx, { seed, orders, start, today: opts.today });
    await recordDemoLoad(tx, { seed, entries: wanted, today: opts.today, lines: made.lines });
    return { ...made, action: hasEntries ? ('reloaded' as const) : ('loaded' as const) };
  });
}

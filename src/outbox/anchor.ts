// Anchors: outbox writes made inside a unit of work that may run again (a scheduled job's firing,
// re-run after a crash, a lost lease or a retry) get idempotency keys derived from that unit, so a
// re-run enqueues nothing twice. The scheduler runs every job inside withAnchor(`job:<firing key>`);
// every row written through outboxRow() (enqueue(), reply rows) while it runs is keyed
//   <anchor>:<the item's own idempotencyKey>   when the item names one (order-independent), or
//   <anchor>:#<n>                               the n-th unnamed write of this run (1, 2, ...)
// so a job whose writes happen in the same order on every run needs to do nothing; one whose order
// can vary (writes started in parallel) names each write.
//
// The anchor travels by AsyncLocalStorage. While one is in use Node 20 runs a hook on every promise
// of the process, so the storage is switched off whenever no anchored work is under way (as
// integrations/slack/client.ts does for its deadlines).
import { AsyncLocalStorage } from 'node:async_hooks';

interface Anchor {
  key: string;
  /** Unnamed writes so far in this run. */
  unnamed: number;
}

const storage = new AsyncLocalStorage<Anchor>();
let active = 0;

/**
 * Runs `fn` with `key` as the anchor of every outbox row it writes (see the module comment). A
 * fresh count of unnamed writes starts with each call, so each attempt of a firing derives the same
 * keys. Anchors do not nest: an inner call's key replaces the outer one for its duration.
 */
export async function withAnchor<T>(key: string, fn: () => Promise<T>): Promise<T> {
  active++;
  try {
    return await storage.run({ key, unnamed: 0 }, fn);
  } finally {
    if (--active === 0) storage.disable();
  }
}

/**
 * The idempotency key a row gets: `own` unchanged outside an anchor; inside one, derived from the
 * anchor (and `own`, or the write's position in the run when `own` is absent).
 */
export function anchoredKey(own: string | null | undefined): string | null {
  const anchor = storage.getStore();
  if (!anchor) return own ?? null;
  return `${anchor.key}:${own ?? `#${++anchor.unnamed}`}`;
}

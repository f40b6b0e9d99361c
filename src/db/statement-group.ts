// Statements that arrive while earlier ones are still under way go together, as one statement, when
// a slot frees: group commit done by the client. An idle group runs each item at once, alone, so
// grouping adds no wait; under load one round trip and one commit serve many items. (Each round trip
// is a write to the database's socket and a wake-up of its server process: on toban's 2-core machine
// those, not the SQL, were most of the time an acknowledgement took.)
//
// One statement is one transaction: the items of a group are written together or not at all. A
// group that fails with an error from the server (nothing was written) is tried again item by item,
// so one bad item fails alone; a group whose outcome is unknown (the connection was lost) fails
// every item, since trying again could write an item twice.
import pg from 'pg';

export interface StatementGroupOptions<I, O> {
  /** Runs one statement for `items` (in arrival order), resolving with one result per item, in order. */
  run: (items: I[]) => Promise<O[]>;
  /** Statements under way at once. Default 2. */
  concurrency?: number;
  /** Most items in one statement. Default 100. */
  maxItems?: number;
}

interface Waiting<I, O> {
  item: I;
  signal?: AbortSignal;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

/** True for an error the server answered with: the statement failed, so nothing was written. */
export function statementFailed(err: unknown): boolean {
  return err instanceof pg.DatabaseError;
}

export class StatementGroup<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private running = 0;
  private readonly concurrency: number;
  private readonly maxItems: number;

  constructor(private readonly opts: StatementGroupOptions<I, O>) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxItems = opts.maxItems ?? 100;
  }

  /** Items waiting for a slot (for tests and metrics). */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with this item's result once the statement that carried it has committed. An item whose
   * `signal` fires while it waits for a slot is dropped, never written, and rejects with the reason.
   */
  submit(item: I, signal?: AbortSignal): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.waiting.push({ item, signal, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const group: Waiting<I, O>[] = [];
      while (group.length < this.maxItems && this.waiting.length > 0) {
        const w = this.waiting.shift()!;
        if (w.signal?.aborted) w.reject(w.signal.reason);
        else group.push(w);
      }
      if (group.length === 0) return;
      this.running++;
      void this.runGroup(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async runGroup(group: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.opts.run(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(out[i] as O));
    } catch (err) {
      if (group.length === 1 || !statementFailed(err)) {
        for (const w of group) w.reject(err);
        return;
      }
      await Promise.all(
        group.map(async (w) => {
          try {
            w.resolve((await this.opts.run([w.item]))[0] as O);
          } catch (alone) {
            w.reject(alone);
          }
        }),
      );
    }
  }
}

// Work that continues after a request was acknowledged. Shutdown waits for it, up to the drain grace
// (TOBAN_DRAIN_SECONDS); what is still running then is reported by label (stored Slack request ids),
// so their leases can be released for another replica or the next start to answer them.
export class InFlight {
  private readonly pending = new Map<Promise<unknown>, string | undefined>();

  track(work: Promise<unknown>, label?: string): void {
    const p: Promise<unknown> = work.catch(() => {}).finally(() => this.pending.delete(p));
    this.pending.set(p, label);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Labels of the work still running. */
  labels(): string[] {
    return [...this.pending.values()].filter((l): l is string => l !== undefined);
  }

  /** Resolves true once nothing is running, false if something still is after `limitMs`. */
  async drain(limitMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), limitMs)));
    const done = (async () => {
      while (this.pending.size) await Promise.all([...this.pending.keys()]);
      return true as const;
    })();
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }
}

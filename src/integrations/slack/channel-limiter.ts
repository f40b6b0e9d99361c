// Slack accepts about one chat.postMessage per second per channel (short bursts tolerated). This is
// a token bucket per channel, in process memory: it keeps one replica polite. Across replicas
// nothing shares the bucket; there the 429 + Retry-After handling (pause()) is the backstop.
export interface ChannelLimiterOptions {
  /** Sustained posts per second per channel. Default 1. */
  perSecond?: number;
  /** Posts allowed back to back before the pace applies. Default 1. */
  burst?: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
  pausedUntil: number;
}

const PRUNE_ABOVE = 1_000;

export class ChannelLimiter {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: ChannelLimiterOptions = {}) {
    this.perMs = (opts.perSecond ?? 1) / 1000;
    this.burst = opts.burst ?? 1;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Takes a slot for one post to `channel` and says how many milliseconds to wait before sending.
   * Slots are reserved in call order, so concurrent callers queue up instead of all waiting 1 s.
   */
  reserve(channel: string): number {
    const b = this.bucket(channel);
    b.tokens -= 1;
    const pace = b.tokens >= 0 ? 0 : Math.ceil(-b.tokens / this.perMs);
    return Math.max(pace, b.pausedUntil - b.at);
  }

  /** Slack said 429: nothing goes to this channel for `ms`. */
  pause(channel: string, ms: number): void {
    const b = this.bucket(channel);
    b.pausedUntil = Math.max(b.pausedUntil, b.at + ms);
  }

  /** Milliseconds left on a pause (0 when none). */
  pausedFor(channel: string): number {
    const b = this.buckets.get(channel);
    return b ? Math.max(0, b.pausedUntil - this.now()) : 0;
  }

  private bucket(channel: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(channel);
    if (!b) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(t);
      b = { tokens: this.burst, at: t, pausedUntil: 0 };
      this.buckets.set(channel, b);
      return b;
    }
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    return b;
  }

  /** Forgets channels whose bucket has refilled and that are not paused: they behave as new ones. */
  private prune(t: number): void {
    for (const [channel, b] of this.buckets) {
      if (b.pausedUntil <= t && b.tokens + (t - b.at) * this.perMs >= this.burst)
        this.buckets.delete(channel);
    }
  }
}

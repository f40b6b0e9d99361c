// Slack accepts about one chat.postMessage per second per channel, short bursts tolerated (see
// rate-scope.ts). This is a token bucket per channel, in process memory: it keeps one replica
// polite. Across replicas the shared Retry-After pauses (outbox/rate-pauses.ts) are the backstop.
//
// A row that must wait is not slept on (that would hold a worker slot): take() reserves the next
// slot for the row and says how long until it; the outbox reschedules the row to then, and when
// the row comes back it presents the same key and goes through on its reservation.
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
}

const PRUNE_ABOVE = 1_000;
/** A reservation not taken up this long after its slot is forgotten (its row went elsewhere). */
const RESERVATION_TTL_MS = 120_000;

export class ChannelLimiter {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly reservations = new Map<string, { channel: string; at: number }>();

  constructor(opts: ChannelLimiterOptions = {}) {
    this.perMs = (opts.perSecond ?? 1) / 1000;
    this.burst = opts.burst ?? 1;
    this.now = opts.now ?? Date.now;
  }

  /**
   * A post to `channel` by `key` (an outbox row id): 0 means go now; otherwise the milliseconds
   * until the slot reserved for `key`, which a later call with the same key and channel takes up.
   * Slots are handed out in call order.
   */
  take(channel: string, key: string): number {
    const t = this.now();
    const held = this.reservations.get(key);
    if (held && held.channel === channel) {
      if (held.at <= t) {
        this.reservations.delete(key);
        return 0;
      }
      return held.at - t;
    }
    const b = this.bucket(channel, t);
    b.tokens -= 1;
    if (b.tokens >= 0) return 0;
    const wait = Math.ceil(-b.tokens / this.perMs);
    if (this.reservations.size >= PRUNE_ABOVE) this.pruneReservations(t);
    this.reservations.set(key, { channel, at: t + wait });
    return wait;
  }

  /**
   * Takes a slot for one post to `channel` and says how many milliseconds to wait before sending
   * (slots queue up in call order). For callers that may wait in place; the outbox uses take().
   */
  reserve(channel: string): number {
    const b = this.bucket(channel, this.now());
    b.tokens -= 1;
    return b.tokens >= 0 ? 0 : Math.ceil(-b.tokens / this.perMs);
  }

  private bucket(channel: string, t: number): Bucket {
    let b = this.buckets.get(channel);
    if (!b) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(t);
      b = { tokens: this.burst, at: t };
      this.buckets.set(channel, b);
      return b;
    }
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    return b;
  }

  /** Forgets channels whose bucket has refilled: they behave as new ones. */
  private prune(t: number): void {
    for (const [channel, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.burst) this.buckets.delete(channel);
    }
  }

  private pruneReservations(t: number): void {
    for (const [key, r] of this.reservations)
      if (r.at + RESERVATION_TTL_MS < t) this.reservations.delete(key);
  }
}

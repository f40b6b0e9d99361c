import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../src/integrations/slack/channel-limiter.ts';

function limiterAt(start = 0): { limiter: ChannelLimiter; advance(ms: number): void } {
  let t = start;
  return { limiter: new ChannelLimiter({ now: () => t }), advance: (ms) => (t += ms) };
}

describe('per-channel post limiter', () => {
  it('lets the first post through and spaces the next ones one second apart', () => {
    const { limiter } = limiterAt();
    expect(limiter.reserve('C1')).toBe(0);
    expect(limiter.reserve('C1')).toBe(1000);
    expect(limiter.reserve('C1')).toBe(2000);
  });

  it('keeps channels independent', () => {
    const { limiter } = limiterAt();
    expect(limiter.reserve('C1')).toBe(0);
    expect(limiter.reserve('C2')).toBe(0);
  });

  it('refills with time, but never beyond the burst', () => {
    const { limiter, advance } = limiterAt();
    limiter.reserve('C1');
    advance(10_000);
    expect(limiter.reserve('C1')).toBe(0);
    expect(limiter.reserve('C1')).toBe(1000);
  });

  it('reserves the next slot for a row that must wait, and lets it through on its reservation', () => {
    const { limiter, advance } = limiterAt();
    expect(limiter.take('C1', 'row-1')).toBe(0);
    expect(limiter.take('C1', 'row-2')).toBe(1000);
    expect(limiter.take('C1', 'row-3')).toBe(2000);
    // Asking again early says how long is left, without taking another slot.
    advance(400);
    expect(limiter.take('C1', 'row-2')).toBe(600);
    advance(600);
    expect(limiter.take('C1', 'row-2')).toBe(0);
    // A newcomer queues behind row-3's reservation.
    expect(limiter.take('C1', 'row-4')).toBe(2000);
    advance(1000);
    expect(limiter.take('C1', 'row-3')).toBe(0);
  });

  it('keeps reservations per channel', () => {
    const { limiter } = limiterAt();
    expect(limiter.take('C1', 'a')).toBe(0);
    expect(limiter.take('C1', 'b')).toBe(1000);
    expect(limiter.take('C2', 'b')).toBe(0);
  });
});

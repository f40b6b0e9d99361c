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

  it('holds a paused channel until the pause ends', () => {
    const { limiter, advance } = limiterAt();
    limiter.pause('C1', 3000);
    expect(limiter.pausedFor('C1')).toBe(3000);
    expect(limiter.pausedFor('C2')).toBe(0);
    advance(1000);
    expect(limiter.pausedFor('C1')).toBe(2000);
    expect(limiter.reserve('C1')).toBe(2000);
    advance(2000);
    expect(limiter.pausedFor('C1')).toBe(0);
  });
});

// The outbox's kinds and the configuration that depends on them (issue 6, fault 2; issue 8, item 2).
import { describe, expect, it } from 'vitest';
import { OUTBOX_CALLS_PER_ROW, readEnv } from '../../src/config/env.ts';
import { KINDS, MAX_CALLS_PER_ROW } from '../../src/outbox/kinds/index.ts';

describe('the kind registry', () => {
  it('states a guarantee and a duplicate rule for every kind, and exactly once for what a channel shows', () => {
    const guarantees = Object.fromEntries(KINDS.map((k) => [k.kind, k.guarantee]));
    expect(guarantees).toEqual({
      'slack.post': 'exactly-once',
      'slack.dm': 'exactly-once',
      'slack.file': 'exactly-once',
      'slack.update': 'idempotent',
      'slack.usergroup': 'idempotent',
      'slack.respond': 'at-least-once',
      'slack.ephemeral': 'at-least-once',
      'slack.publish': 'idempotent',
      'slack.view-update': 'idempotent',
    });
    for (const k of KINDS) expect(k.duplicateRule.length, k.kind).toBeGreaterThan(10);
  });

  it('keeps the configuration check in step with the most calls a kind makes', () => {
    expect(OUTBOX_CALLS_PER_ROW).toBe(MAX_CALLS_PER_ROW);
  });
});

describe('TOBAN_OUTBOX_LEASE_SECONDS', () => {
  const env = (extra: Record<string, string>) => readEnv(extra, '/tmp');

  it('refuses a lease shorter than the longest delivery (3 calls × the Slack timeout + 5 s)', () => {
    expect(() => env({ TOBAN_OUTBOX_LEASE_SECONDS: '30' })).toThrow(
      /TOBAN_OUTBOX_LEASE_SECONDS: 30 is shorter than the longest outbox delivery: 3 Slack calls × 10 s \(TOBAN_SLACK_TIMEOUT_SECONDS\) \+ 5 s margin = 35 s/,
    );
    expect(env({ TOBAN_OUTBOX_LEASE_SECONDS: '35' }).outboxLeaseMs).toBe(35_000);
  });

  it('lets a shorter Slack timeout allow a shorter lease', () => {
    const s = env({ TOBAN_OUTBOX_LEASE_SECONDS: '8', TOBAN_SLACK_TIMEOUT_SECONDS: '1' });
    expect(s).toMatchObject({ outboxLeaseMs: 8_000, slackTimeoutMs: 1_000 });
    expect(() => env({ TOBAN_SLACK_TIMEOUT_SECONDS: 'soon' })).toThrow(
      /TOBAN_SLACK_TIMEOUT_SECONDS: expected seconds/,
    );
  });
});

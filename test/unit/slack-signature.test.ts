// Verifying Slack's v0 signature: Slack's published example, one byte changed, and the five-minute
// window in both directions (a request signed an hour or a year ahead is refused).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../src/transport/slack-signature.ts';
import { signSlackRequest } from '../helpers/slack-sign.ts';

const vector = JSON.parse(
  readFileSync(new URL('../fixtures/slack-signing-vector.json', import.meta.url), 'utf8'),
) as { signing_secret: string; timestamp: string; body: string; signature: string };

function check(body: string, timestamp: string, signature: string, nowSec: number) {
  return verifySlackSignature({
    secret: vector.signing_secret,
    rawBody: Buffer.from(body),
    timestamp,
    signature,
    nowSec,
  });
}

describe('verifying a Slack signature', () => {
  const ts = Number(vector.timestamp);

  it("accepts Slack's published example and returns the digest as the replay key", () => {
    expect(check(vector.body, vector.timestamp, vector.signature, ts)).toEqual({
      ok: true,
      signature: vector.signature.slice(3),
    });
  });

  it('refuses a body with one byte changed, and missing or malformed headers', () => {
    expect(check(vector.body.replace('foobar', 'foobaz'), vector.timestamp, vector.signature, ts)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifySlackSignature({
        secret: 's',
        rawBody: Buffer.from(''),
        timestamp: undefined,
        signature: 'v0=00',
        nowSec: ts,
      }),
    ).toMatchObject({ ok: false, reason: 'missing' });
    expect(check(vector.body, vector.timestamp, 'v1=abc', ts)).toMatchObject({ reason: 'malformed' });
    expect(check(vector.body, '12e3', vector.signature, ts)).toMatchObject({ reason: 'malformed' });
  });

  it('accepts five minutes either way and refuses anything further, past or future', () => {
    for (const offset of [-300, -1, 0, 1, 300]) {
      const t = String(ts + offset);
      const sig = signSlackRequest(vector.signing_secret, vector.body, t)['x-slack-signature'];
      expect(check(vector.body, t, sig, ts).ok, `offset ${offset}`).toBe(true);
    }
    for (const offset of [-301, 301, 3600, 365 * 86_400]) {
      const t = String(ts + offset);
      const sig = signSlackRequest(vector.signing_secret, vector.body, t)['x-slack-signature'];
      expect(check(vector.body, t, sig, ts), `offset ${offset}`).toEqual({ ok: false, reason: 'stale' });
    }
  });
});

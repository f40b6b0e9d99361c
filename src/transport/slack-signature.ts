// Slack's request signing, v0 (https://api.slack.com/authentication/verifying-requests-from-slack):
// signature = 'v0=' + hex(HMAC-SHA256(signing secret, 'v0:' + X-Slack-Request-Timestamp + ':' + raw body)).
// Slack's own check rejects a timestamp more than five minutes old; we reject five minutes either
// way, so a request signed "in the future" cannot be replayed for an hour or a year.

import crypto from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way: Slack's five minutes. */
export const SIGNATURE_TOLERANCE_SEC = 5 * 60;

export type SignatureCheck =
  { ok: true; signature: string } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a request's v0 signature against the raw body bytes, in constant time.
 * `nowSec` is the current Unix time in seconds (UTC). The returned signature is the lower-case
 * hex digest, the request's replay key.
 */
export function verifySlackSignature(opts: {
  secret: string;
  rawBody: Buffer;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  nowSec: number;
  toleranceSec?: number;
}): SignatureCheck {
  const { timestamp, signature } = opts;
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const m = /^v0=([0-9a-fA-F]{64})$/.exec(signature);
  if (!m?.[1]) return { ok: false, reason: 'malformed' };
  const tolerance = opts.toleranceSec ?? SIGNATURE_TOLERANCE_SEC;
  if (Math.abs(opts.nowSec - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale' };
  const expected = crypto
    .createHmac('sha256', opts.secret)
    .update(`v0:${timestamp}:`)
    .update(opts.rawBody)
    .digest();
  const given = Buffer.from(m[1], 'hex');
  if (!crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  return { ok: true, signature: m[1].toLowerCase() };
}

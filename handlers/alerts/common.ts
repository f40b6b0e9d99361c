// Pieces the alert source modules share: schema parts for the shapes several sources send, and the
// hex HMAC-SHA256 check Grafana and Sentry both use.
import crypto from 'node:crypto';
import { z } from 'zod';

/** A label or annotation set: string to string (Prometheus' data model). null or absent reads as {}. */
export const stringMap = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

/**
 * A time as RFC 3339 text, the way Go's encoding/json writes a time.Time: `2026-11-20T22:54:07Z`,
 * `2021-10-12T09:51:03.157076+02:00`, nanoseconds, or Go's zero time `0001-01-01T00:00:00Z`.
 */
export const timeText = z
  .string()
  .refine((s) => /^\d{4}-\d\d-\d\dT/.test(s) && Number.isFinite(Date.parse(s)), {
    message: 'expected an RFC 3339 time',
  });

/** At most this many alerts in one request: a bound on the work one request makes (1 MiB is the other). */
export const MAX_ALERTS_PER_REQUEST = 1_000;

export type HmacCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

/**
 * Whether `header` is the lower-case (or upper-case) hex HMAC-SHA256 of `signed` under `secret`,
 * compared in constant time. A header sent twice (an array) is refused as malformed.
 */
export function verifyHexHmacSha256(
  secret: string,
  signed: readonly (string | Buffer)[],
  header: string | string[] | undefined,
): HmacCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header.trim()))
    return { ok: false, reason: 'malformed' };
  const mac = crypto.createHmac('sha256', secret);
  for (const part of signed) mac.update(part);
  const given = Buffer.from(header.trim(), 'hex');
  return crypto.timingSafeEqual(mac.digest(), given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** A short stable id of a JSON value: SHA-256 of its JSON text, 16 hex digits. */
export function shortDigest(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Labels as [name, value] pairs sorted by name: the same set of labels gives the same list. */
export function sortedPairs(labels: Record<string, string>): [string, string][] {
  return Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k] ?? '']);
}

/** A short stable id for a set of labels, whatever the order they came in. */
export function labelsFingerprint(labels: Record<string, string>): string {
  return shortDigest(sortedPairs(labels));
}

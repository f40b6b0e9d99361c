// Console mode's `fire <source> [fixture]`: sends an alert fixture (test/fixtures/alerts) through
// the real HTTP intake, POST /hooks/alerts/<source> with the console's token, as a monitoring
// system would. The answer is printed; the Slack message appears when the outbox delivers it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ALERT_SOURCES, type AlertSource } from '../../domain/alert.ts';
import { snsStringToSign, type SnsEnvelope } from '../../../handlers/alerts/sns.ts';

/**
 * test/fixtures/alerts of the package, found upwards from this module: it runs from src/ (tsx) and
 * from dist/src/ (the built package), which sit at different depths.
 */
export const ALERT_FIXTURES_DIR: URL = (() => {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 6; i++) {
    const candidate = new URL('test/fixtures/alerts/', dir);
    if (fs.existsSync(candidate)) return candidate;
    dir = new URL('../', dir);
  }
  return new URL('../../../test/fixtures/alerts/', import.meta.url);
})();

/**
 * Where console mode's demo SNS certificate "is": the SigningCertURL of the cloudwatch fixtures
 * `fire` sends. A console-mode toban knows this URL's certificate without fetching it (main.ts,
 * consoleSnsCertificates); any other toban would fetch it from AWS, where it does not exist.
 */
export const CONSOLE_SNS_CERT_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-toban-console-demo.pem';

/**
 * The certificates a console-mode toban trusts without fetching: the test-only one shipped beside
 * the fixtures (sns-test-signing.pem; its key is public, so this is for console mode only).
 */
export function consoleSnsCertificates(): ReadonlyMap<string, string> {
  const file = new URL('sns-test-signing.pem', ALERT_FIXTURES_DIR);
  // Without the fixtures (a package built without them) `fire` has nothing to send either.
  if (!fs.existsSync(file)) return new Map();
  return new Map([[CONSOLE_SNS_CERT_URL, fs.readFileSync(file, 'utf8')]]);
}

/**
 * A captured SNS delivery, signed again by console mode's demo key for CONSOLE_SNS_CERT_URL (the
 * captures were anonymized after AWS signed them, and AWS's certificates cannot be used here).
 * Anything that is not an SNS message (no Type, MessageId, …) is sent unchanged.
 */
function signedForConsole(raw: Buffer): Buffer {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return raw;
  }
  if (typeof message.Type !== 'string' || typeof message.MessageId !== 'string') return raw;
  const key = fs.readFileSync(new URL('sns-test-signing.key', ALERT_FIXTURES_DIR), 'utf8');
  const envelope = { ...message, SignatureVersion: '2', SigningCertURL: CONSOLE_SNS_CERT_URL };
  const signature = crypto
    .sign('RSA-SHA256', Buffer.from(snsStringToSign(envelope as SnsEnvelope), 'utf8'), key)
    .toString('base64');
  return Buffer.from(JSON.stringify({ ...envelope, Signature: signature }));
}

/** The fixture `fire <source>` sends when none is named: the source's firing example. */
export const DEFAULT_FIXTURES: Readonly<Record<AlertSource, string>> = {
  alertmanager: 'alertmanager-firing',
  grafana: 'grafana-firing',
  datadog: 'datadog-template-triggered',
  cloudwatch: 'cloudwatch-sns-alarm',
  sentry: 'sentry-event-alert',
  generic: 'generic-batch',
};

export type FireOutcome =
  | { ok: true; status: number; body: string; fixture: string }
  | { ok: false; problem: 'unknown_source' | 'unknown_fixture' | 'no_server'; detail: string };

/**
 * Sends `fixture` (a file name in ALERT_FIXTURES_DIR, `.json` optional; default DEFAULT_FIXTURES)
 * to `baseUrl`/hooks/alerts/`source` with `Authorization: Bearer token`.
 */
export async function fireFixture(opts: {
  baseUrl: string | undefined;
  token: string;
  source: string;
  fixture?: string;
}): Promise<FireOutcome> {
  if (!(ALERT_SOURCES as readonly string[]).includes(opts.source))
    return { ok: false, problem: 'unknown_source', detail: ALERT_SOURCES.join(', ') };
  const name = (opts.fixture ?? DEFAULT_FIXTURES[opts.source as AlertSource]).replace(/\.json$/, '');
  const file = new URL(`${name}.json`, ALERT_FIXTURES_DIR);
  if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file))
    return {
      ok: false,
      problem: 'unknown_fixture',
      detail: fs
        .readdirSync(ALERT_FIXTURES_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.replace(/\.json$/, ''))
        .join(', '),
    };
  if (!opts.baseUrl) return { ok: false, problem: 'no_server', detail: '' };
  const res = await fetch(`${opts.baseUrl}/hooks/alerts/${opts.source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
    body: opts.source === 'cloudwatch' ? signedForConsole(fs.readFileSync(file)) : fs.readFileSync(file),
  });
  return { ok: true, status: res.status, body: (await res.text()).trim(), fixture: name };
}

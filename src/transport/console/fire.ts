// Console mode's `fire <source> [fixture]`: sends an alert fixture (test/fixtures/alerts) through
// the real HTTP intake, POST /hooks/alerts/<source> with the console's token, as a monitoring
// system would. The answer is printed; the Slack message appears when the outbox delivers it.
import fs from 'node:fs';
import { ALERT_SOURCES, type AlertSource } from '../../domain/alert.ts';

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
    body: fs.readFileSync(file),
  });
  return { ok: true, status: res.status, body: (await res.text()).trim(), fixture: name };
}

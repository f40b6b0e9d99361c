// Delivers the Alertmanager kinds (kinds/index.ts, ALERTMANAGER_KINDS) of a transport's rows to
// the Alertmanager API, by way of the routed deliverer (routed-deliverer.ts) main.ts puts in front
// of the Slack or console deliverer when ALERTMANAGER_URL is set. Alertmanager's failures are
// translated for the worker: retryable ones (timeout, network, 429, 5xx) are transient, other 4xx
// permanent.
import {
  AlertmanagerApiError,
  DEFAULT_ALERTMANAGER_TIMEOUT_MS,
  type AlertmanagerClient,
} from '../integrations/alertmanager/client.ts';
import type { Deliverer } from './deliverer.ts';
import { ALERTMANAGER_KINDS, alertmanagerKindOf } from './kinds/index.ts';
import { translateClientError, withRoute } from './routed-deliverer.ts';

export interface AlertmanagerDelivererOptions {
  client: AlertmanagerClient;
  /** The client's per-request timeout (ms), for the deadline. Default: the client's default, 5 s. */
  callTimeoutMs?: number;
}

/** The most Alertmanager calls one delivery makes. */
const MAX_ALERTMANAGER_CALLS = Math.max(...ALERTMANAGER_KINDS.map((k) => k.calls));

/** An Alertmanager failure as the worker's error: transient when retrying may help, else permanent. */
export function translateAlertmanager(err: unknown): Error {
  return translateClientError(err, AlertmanagerApiError, 'alertmanager');
}

/**
 * `inner`, with the rows of Alertmanager kinds delivered to `opts.client` instead. Its deadline is
 * the longer of the two, so the worker's lease check covers both.
 */
export function withAlertmanager(inner: Deliverer, opts: AlertmanagerDelivererOptions): Deliverer {
  return withRoute(inner, {
    deadlineMs: (opts.callTimeoutMs ?? DEFAULT_ALERTMANAGER_TIMEOUT_MS) * MAX_ALERTMANAGER_CALLS,
    translate: translateAlertmanager,
    kindOf(name) {
      const kind = alertmanagerKindOf(name);
      return (
        kind && {
          payload: kind.payload,
          deliver: (row, payload, ctx) =>
            kind.alertmanager(row, payload, { client: opts.client, signal: ctx.signal }, ctx),
        }
      );
    },
  });
}

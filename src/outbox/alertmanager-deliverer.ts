// Delivers the Alertmanager kinds (kinds/index.ts, ALERTMANAGER_KINDS) of a transport's rows: the
// seam main.ts puts in front of the Slack or console deliverer when ALERTMANAGER_URL is set. Rows
// of the other kinds go to that deliverer unchanged. Alertmanager's failures are translated for
// the worker: retryable ones (timeout, network, 429, 5xx) are transient, other 4xx permanent.
import { z } from 'zod';
import {
  AlertmanagerApiError,
  DEFAULT_ALERTMANAGER_TIMEOUT_MS,
  type AlertmanagerClient,
} from '../integrations/alertmanager/client.ts';
import {
  PermanentError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type OutboxRow,
} from './deliverer.ts';
import { ALERTMANAGER_KINDS, alertmanagerKindOf } from './kinds/index.ts';

export interface AlertmanagerDelivererOptions {
  client: AlertmanagerClient;
  /** The client's per-request timeout (ms), for the deadline. Default: the client's default, 5 s. */
  callTimeoutMs?: number;
}

/** The most Alertmanager calls one delivery makes. */
const MAX_ALERTMANAGER_CALLS = Math.max(...ALERTMANAGER_KINDS.map((k) => k.calls));

/** An Alertmanager failure as the worker's error: transient when retrying may help, else permanent. */
export function translateAlertmanager(err: unknown): Error {
  if (err instanceof AlertmanagerApiError)
    return err.retryable
      ? new TransientError(err.message, err.reason)
      : new PermanentError(err.message, `alertmanager_${err.status ?? err.reason}`);
  return err instanceof Error ? err : new TransientError(String(err));
}

/**
 * `inner`, with the rows of Alertmanager kinds delivered to `opts.client` instead. Its deadline is
 * the longer of the two, so the worker's lease check covers both.
 */
export function withAlertmanager(inner: Deliverer, opts: AlertmanagerDelivererOptions): Deliverer {
  const amDeadlineMs = (opts.callTimeoutMs ?? DEFAULT_ALERTMANAGER_TIMEOUT_MS) * MAX_ALERTMANAGER_CALLS;
  const routed: Deliverer = {
    transport: inner.transport,
    deadlineMs: Math.max(inner.deadlineMs, amDeadlineMs),
    async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
      const kind = alertmanagerKindOf(row.kind);
      if (!kind) return inner.deliver(row, ctx);
      const parsed = kind.payload.safeParse(row.payload);
      if (!parsed.success)
        throw new PermanentError(`${row.kind}: bad payload: ${z.prettifyError(parsed.error)}`);
      try {
        return await kind.alertmanager(row, parsed.data, { client: opts.client, signal: ctx.signal }, ctx);
      } catch (err) {
        throw translateAlertmanager(err);
      }
    },
  };
  if (inner.probe) routed.probe = (signal) => inner.probe!(signal);
  return routed;
}

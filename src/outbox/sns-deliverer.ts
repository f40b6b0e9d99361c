// Delivers the SNS kinds (kinds/index.ts, SNS_KINDS) of a transport's rows: the seam main.ts puts
// in front of the Slack or console deliverer (as alertmanager-deliverer.ts does for Alertmanager).
// Rows of other kinds go to that deliverer unchanged. SNS's failures are translated for the
// worker: retryable ones (timeout, network, 429, 5xx) are transient, the others permanent.
import { z } from 'zod';
import { DEFAULT_SNS_TIMEOUT_MS, SnsRequestError, type SnsClient } from '../integrations/sns/client.ts';
import {
  PermanentError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type OutboxRow,
} from './deliverer.ts';
import { SNS_KINDS, snsKindOf } from './kinds/index.ts';

export interface SnsDelivererOptions {
  client: SnsClient;
  /** The client's per-request timeout (ms), for the deadline. Default: the client's default, 3 s. */
  callTimeoutMs?: number;
}

const MAX_SNS_CALLS = Math.max(...SNS_KINDS.map((k) => k.calls));

/** An SNS failure as the worker's error: transient when retrying may help, else permanent. */
export function translateSns(err: unknown): Error {
  if (err instanceof SnsRequestError)
    return err.retryable
      ? new TransientError(err.message, err.reason)
      : new PermanentError(err.message, `sns_${err.status ?? err.reason}`);
  return err instanceof Error ? err : new TransientError(String(err));
}

/** `inner`, with the rows of SNS kinds delivered through `opts.client`; the longer deadline of the two. */
export function withSns(inner: Deliverer, opts: SnsDelivererOptions): Deliverer {
  const snsDeadlineMs = (opts.callTimeoutMs ?? DEFAULT_SNS_TIMEOUT_MS) * MAX_SNS_CALLS;
  const routed: Deliverer = {
    transport: inner.transport,
    deadlineMs: Math.max(inner.deadlineMs, snsDeadlineMs),
    async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
      const kind = snsKindOf(row.kind);
      if (!kind) return inner.deliver(row, ctx);
      const parsed = kind.payload.safeParse(row.payload);
      if (!parsed.success)
        throw new PermanentError(`${row.kind}: bad payload: ${z.prettifyError(parsed.error)}`);
      try {
        return await kind.sns(row, parsed.data, { client: opts.client, signal: ctx.signal }, ctx);
      } catch (err) {
        throw translateSns(err);
      }
    },
  };
  if (inner.probe) routed.probe = (signal) => inner.probe!(signal);
  return routed;
}

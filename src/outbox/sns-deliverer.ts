// Delivers the SNS kinds (kinds/index.ts, SNS_KINDS) of a transport's rows through the SNS client,
// by way of the routed deliverer (routed-deliverer.ts) main.ts puts in front of the Slack or
// console deliverer. SNS's failures are translated for the worker: retryable ones (timeout,
// network, 429, 5xx) are transient, the others permanent.
import { DEFAULT_SNS_TIMEOUT_MS, SnsRequestError, type SnsClient } from '../integrations/sns/client.ts';
import type { Deliverer } from './deliverer.ts';
import { SNS_KINDS, snsKindOf } from './kinds/index.ts';
import { translateClientError, withRoute } from './routed-deliverer.ts';

export interface SnsDelivererOptions {
  client: SnsClient;
  /** The client's per-request timeout (ms), for the deadline. Default: the client's default, 3 s. */
  callTimeoutMs?: number;
}

const MAX_SNS_CALLS = Math.max(...SNS_KINDS.map((k) => k.calls));

/** An SNS failure as the worker's error: transient when retrying may help, else permanent. */
export function translateSns(err: unknown): Error {
  return translateClientError(err, SnsRequestError, 'sns');
}

/** `inner`, with the rows of SNS kinds delivered through `opts.client`; the longer deadline of the two. */
export function withSns(inner: Deliverer, opts: SnsDelivererOptions): Deliverer {
  return withRoute(inner, {
    deadlineMs: (opts.callTimeoutMs ?? DEFAULT_SNS_TIMEOUT_MS) * MAX_SNS_CALLS,
    translate: translateSns,
    kindOf(name) {
      const kind = snsKindOf(name);
      return (
        kind && {
          payload: kind.payload,
          deliver: (row, payload, ctx) =>
            kind.sns(row, payload, { client: opts.client, signal: ctx.signal }, ctx),
        }
      );
    },
  });
}

// Routes some kinds of a transport's rows to another service's client: the seam main.ts puts in
// front of the Slack or console deliverer for Alertmanager (alertmanager-deliverer.ts) and Amazon
// SNS (sns-deliverer.ts). Rows of the other kinds go to that deliverer unchanged. The client's
// failures are translated for the worker: retryable ones are transient, the others permanent.
import { z } from 'zod';
import {
  PermanentError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type OutboxRow,
} from './deliverer.ts';

/** A routed kind as the wrapper sees it: its payload schema and its call, bound to the client. */
export interface RoutedKind<P = unknown> {
  payload: z.ZodType<P>;
  deliver(row: OutboxRow, payload: P, ctx: DeliveryContext): Promise<Delivered>;
}

export interface Route {
  /** The routed kind named `name`, or undefined to hand the row to the inner deliverer. */
  kindOf(name: string): RoutedKind | undefined;
  /** The longest one routed delivery may take (ms): the client's timeout times its most calls. */
  deadlineMs: number;
  /** The client's failure as the worker's error (see translateClientError). */
  translate(err: unknown): Error;
}

/** A client's failure: whether retrying may help, and why it failed (for the dead row's reason). */
export interface ClientFailure extends Error {
  readonly retryable: boolean;
  readonly reason: string;
  readonly status?: number;
}

/**
 * `err` as the worker's error: an instance of `failureClass` becomes a TransientError when
 * retryable, else a PermanentError with the reason `${prefix}_${status ?? reason}` (e.g.
 * "sns_403", "alertmanager_invalid"); another Error is returned as is, anything else is transient.
 */
export function translateClientError(
  err: unknown,
  failureClass: abstract new (...args: never[]) => ClientFailure,
  prefix: string,
): Error {
  if (err instanceof failureClass)
    return err.retryable
      ? new TransientError(err.message, err.reason)
      : new PermanentError(err.message, `${prefix}_${err.status ?? err.reason}`);
  return err instanceof Error ? err : new TransientError(String(err));
}

/**
 * `inner`, with the rows of the kinds `route.kindOf` knows delivered through the route instead. A
 * payload its kind's schema rejects is a PermanentError. The deadline is the longer of the two, so
 * the worker's lease check covers both; `inner`'s probe, if any, is kept.
 */
export function withRoute(inner: Deliverer, route: Route): Deliverer {
  const routed: Deliverer = {
    transport: inner.transport,
    deadlineMs: Math.max(inner.deadlineMs, route.deadlineMs),
    async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
      const kind = route.kindOf(row.kind);
      if (!kind) return inner.deliver(row, ctx);
      const parsed = kind.payload.safeParse(row.payload);
      if (!parsed.success)
        throw new PermanentError(`${row.kind}: bad payload: ${z.prettifyError(parsed.error)}`);
      try {
        return await kind.deliver(row, parsed.data, ctx);
      } catch (err) {
        throw route.translate(err);
      }
    },
  };
  if (inner.probe) routed.probe = (signal) => inner.probe!(signal);
  return routed;
}

// What one outbox kind is: its payload (a zod schema, checked when the row is written and again
// when it is delivered), its guarantee, its duplicate rule, and how it is delivered by each
// transport. A new kind (views.publish, reactions.add, a GitHub issue) is one file like the ones
// beside this one, added to the list in index.ts.
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import type { Message } from '../../core/command.ts';
import type { Locale } from '../../i18n/index.ts';
import type { AlertmanagerClient } from '../../integrations/alertmanager/client.ts';
import type { SnsClient } from '../../integrations/sns/client.ts';
import type { Delivered, DeliveryContext, MessageLocation, OutboxRow } from '../deliverer.ts';

/**
 * What a repeated delivery can do, stated per kind (README: "Delivery guarantees").
 * - exactly-once: seen once in Slack. A try after an unknown outcome first looks for the earlier
 *   one's effect (the post's metadata in the channel, the file's shares) and records it instead.
 * - at-least-once: Slack offers nothing to look for (response_url, ephemeral messages); a
 *   duplicate is possible only after an unknown outcome (a timeout, a crash mid-call).
 * - idempotent: repeating it leaves the same state (an update to the same text, a member list).
 */
export type Guarantee = 'exactly-once' | 'at-least-once' | 'idempotent';

/** The Slack calls a kind may make, each under the delivery's deadline and Slack's rate limits. */
/** The share of the workspace's chat.update budget an update is paced in (slack-deliverer.ts). */
export type UpdateLane = 'summary';

export interface SlackCalls {
  client: WebClient;
  /**
   * Runs one Web API call: refuses it while Slack's pause for its scope is in force (DeferredError),
   * records a 429's Retry-After for every replica, and translates failures into the outbox's errors.
   * `channel` scopes chat.postMessage's per-channel limit. `lane` 'summary' paces a chat.update in
   * its own share of the workspace's budget (a storm summary must not wait behind group updates).
   */
  call<T>(
    method: string,
    channel: string | undefined,
    fn: () => Promise<T>,
    opts?: { lane?: UpdateLane },
  ): Promise<T>;
  /** Waits for `channel`'s turn (about one message a second) by rescheduling the row, never by sleeping. */
  pace(row: OutboxRow, channel: string): Promise<void>;
  /** chat.postMessage, at most once per row: after an unknown outcome it looks for the earlier post first. */
  postOnce(
    row: OutboxRow,
    channel: string,
    message: Message & { threadTs?: string },
  ): Promise<MessageLocation>;
  /** The IM channel with a user (conversations.open, remembered). */
  imChannel(user: string): Promise<string>;
  /** POSTs to a URL Slack handed out (response_url, an upload URL) under the deadline. */
  postTo(
    url: string,
    body: { json: unknown } | { bytes: Buffer },
    what: string,
  ): Promise<{ status: number; text: string }>;
}

/** What console mode gives a kind: the shell to print into. */
export interface ConsoleCalls {
  locale: Locale;
  /** Prints a message under a heading line (e.g. "[posted to C0ALERTS]"); '' for none. */
  show(message: Message, heading: string): void;
  /** Saves a file under the data directory and says where. */
  saveFile(name: string, content: string, encoding: 'utf8' | 'base64'): string;
  /** A Slack-like ts for a message shown in the terminal. */
  ts(row: OutboxRow): string;
}

/** What every kind declares, whoever delivers it. */
export interface KindBase<K extends string = string, P = unknown> {
  kind: K;
  guarantee: Guarantee;
  /** One sentence: what keeps a repeat from being seen twice (or why none is needed). */
  duplicateRule: string;
  /** The most calls one delivery makes on its usual path (for the lease check). */
  calls: number;
  payload: z.ZodType<P>;
  /** The message ref the row records (provides) and the one it needs posted first (needs). */
  refs(payload: P): { provides?: string; needs?: string };
}

/** What a deliverer of another service gives a kind: its client, and the delivery's deadline for every call. */
export interface ClientCalls<C> {
  client: C;
  signal: AbortSignal;
}

export interface OutboxKind<K extends string = string, P = unknown> extends KindBase<K, P> {
  slack(row: OutboxRow, payload: P, slack: SlackCalls, ctx: DeliveryContext): Promise<Delivered>;
  console(row: OutboxRow, payload: P, out: ConsoleCalls, ctx: DeliveryContext): Promise<Delivered>;
}

export function defineKind<K extends string, P>(def: OutboxKind<K, P>): OutboxKind<K, P> {
  return def;
}

/**
 * What the Alertmanager deliverer (alertmanager-deliverer.ts) gives a kind. Failures are translated
 * by the deliverer: retryable ones (timeout, 5xx, 429) become TransientError, the others PermanentError.
 */
export type AlertmanagerCalls = ClientCalls<AlertmanagerClient>;

/**
 * A kind delivered to Alertmanager rather than to Slack. Its rows are written for the writer's
 * transport like any other and delivered by that transport's worker, whose deliverer hands them to
 * the Alertmanager deliverer when ALERTMANAGER_URL is set (main.ts); without it they go dead with
 * the reason, and services do not write them (they keep a local mute instead).
 */
export interface AlertmanagerKind<K extends string = string, P = unknown> extends KindBase<K, P> {
  alertmanager(row: OutboxRow, payload: P, am: AlertmanagerCalls, ctx: DeliveryContext): Promise<Delivered>;
}

export function defineAlertmanagerKind<K extends string, P>(
  def: AlertmanagerKind<K, P>,
): AlertmanagerKind<K, P> {
  return def;
}

/**
 * What the SNS deliverer (sns-deliverer.ts) gives a kind. Failures are translated by the deliverer:
 * retryable ones (timeout, network, 429, 5xx) become TransientError, the others PermanentError.
 */
export type SnsCalls = ClientCalls<SnsClient>;

/** A kind delivered to Amazon SNS over HTTPS (a subscription's confirmation), not to Slack. */
export interface SnsKind<K extends string = string, P = unknown> extends KindBase<K, P> {
  sns(row: OutboxRow, payload: P, sns: SnsCalls, ctx: DeliveryContext): Promise<Delivered>;
}

export function defineSnsKind<K extends string, P>(def: SnsKind<K, P>): SnsKind<K, P> {
  return def;
}

// The registry of outbox kinds: every side effect toban performs, one file per kind. Payloads are
// plain JSON, checked against the kind's schema when written (enqueue) and when delivered.
import { alertmanagerSilenceCreate } from './alertmanager-silence-create.ts';
import { alertmanagerSilenceExpire } from './alertmanager-silence-expire.ts';
import type { AlertmanagerKind, OutboxKind, SnsKind } from './kind.ts';
import { slackDm } from './slack-dm.ts';
import { slackEphemeral } from './slack-ephemeral.ts';
import { slackFile } from './slack-file.ts';
import { slackPost } from './slack-post.ts';
import { slackPublish } from './slack-publish.ts';
import { slackRespond } from './slack-respond.ts';
import { slackUpdate } from './slack-update.ts';
import { slackUsergroup } from './slack-usergroup.ts';
import { slackViewUpdate } from './slack-view-update.ts';
import { snsSubscriptionConfirm } from './sns-subscription-confirm.ts';

export const KINDS = [
  slackPost,
  slackUpdate,
  slackEphemeral,
  slackRespond,
  slackDm,
  slackUsergroup,
  slackFile,
  slackPublish,
  slackViewUpdate,
] as const;

/** The kinds delivered to Alertmanager (alertmanager-deliverer.ts), not to Slack or the console. */
export const ALERTMANAGER_KINDS = [alertmanagerSilenceCreate, alertmanagerSilenceExpire] as const;

/** The kinds delivered to Amazon SNS (sns-deliverer.ts), whatever the transport. */
export const SNS_KINDS = [snsSubscriptionConfirm] as const;

type KindDef = (typeof KINDS)[number] | (typeof ALERTMANAGER_KINDS)[number] | (typeof SNS_KINDS)[number];
type PayloadOf<D> =
  D extends OutboxKind<string, infer P>
    ? P
    : D extends AlertmanagerKind<string, infer P>
      ? P
      : D extends SnsKind<string, infer P>
        ? P
        : never;

/** A side effect to write: its kind's payload, and how it is ordered and deduplicated. */
export type OutboxItem = {
  [D in KindDef as D['kind']]: {
    kind: D['kind'];
    payload: PayloadOf<D>;
    /** Rows with the same key are delivered one at a time, in the order written. */
    orderingKey: string;
    /** A second row with the same key is not written (enqueue returns undefined). */
    idempotencyKey?: string;
  };
}[KindDef['kind']];

export type OutboxKindName = OutboxItem['kind'];

export type SlackPost = PayloadOf<typeof slackPost>;
export type SlackUpdate = PayloadOf<typeof slackUpdate>;
export type SlackEphemeral = PayloadOf<typeof slackEphemeral>;
export type SlackRespond = PayloadOf<typeof slackRespond>;
export type SlackDm = PayloadOf<typeof slackDm>;
export type SlackUsergroupUsers = PayloadOf<typeof slackUsergroup>;
export type SlackFile = PayloadOf<typeof slackFile>;
export type SlackPublish = PayloadOf<typeof slackPublish>;
export type SlackViewUpdate = PayloadOf<typeof slackViewUpdate>;
export type AlertmanagerSilenceCreate = PayloadOf<typeof alertmanagerSilenceCreate>;
export type AlertmanagerSilenceExpire = PayloadOf<typeof alertmanagerSilenceExpire>;
export type SnsSubscriptionConfirm = PayloadOf<typeof snsSubscriptionConfirm>;

const byName = new Map<string, OutboxKind>(KINDS.map((k) => [k.kind, k as unknown as OutboxKind]));
const alertmanagerByName = new Map<string, AlertmanagerKind>(
  ALERTMANAGER_KINDS.map((k) => [k.kind, k as unknown as AlertmanagerKind]),
);

const snsByName = new Map<string, SnsKind>(SNS_KINDS.map((k) => [k.kind, k as unknown as SnsKind]));

/** The kind named `name` (Slack, Alertmanager or SNS), or undefined for a kind this version does not know. */
export function kindOf(name: string): OutboxKind | AlertmanagerKind | SnsKind | undefined {
  return byName.get(name) ?? alertmanagerByName.get(name) ?? snsByName.get(name);
}

/** The SNS kind named `name`, or undefined. */
export function snsKindOf(name: string): SnsKind | undefined {
  return snsByName.get(name);
}

/** The Slack (and console) kind named `name`; undefined for an unknown or an Alertmanager kind. */
export function slackKindOf(name: string): OutboxKind | undefined {
  return byName.get(name);
}

/** The Alertmanager kind named `name`, or undefined. */
export function alertmanagerKindOf(name: string): AlertmanagerKind | undefined {
  return alertmanagerByName.get(name);
}

/** The most Slack calls any kind makes in one delivery (the lease must outlast that many timeouts). */
export const MAX_CALLS_PER_ROW = Math.max(...KINDS.map((k) => k.calls));

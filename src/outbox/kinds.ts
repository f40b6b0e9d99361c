// The side effects toban performs, one kind per external write. Payloads are plain JSON.
import type { KnownBlock } from '@slack/types';

/** A message may be addressed by channel, or by `ref` to a message posted earlier by the outbox. */
export interface SlackPost {
  channel: string;
  text: string;
  blocks?: KnownBlock[];
  threadRef?: string;
  /** Stable name for this message, e.g. "alert-group:42", so later rows can update or thread on it. */
  ref?: string;
}

export interface SlackUpdate {
  ref: string;
  text: string;
  blocks?: KnownBlock[];
}

export interface SlackEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: KnownBlock[];
}

/** Answer to a slash command or button through its response_url. */
export interface SlackRespond {
  responseUrl: string;
  responseType: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: KnownBlock[];
  replaceOriginal?: boolean;
}

export interface SlackDm {
  user: string;
  text: string;
  blocks?: KnownBlock[];
}

export interface SlackUsergroupUsers {
  usergroup: string;
  users: string[];
}

export interface SlackFile {
  channel: string;
  user?: string;
  filename: string;
  title: string;
  content: string;
  encoding?: 'utf8' | 'base64';
  initialComment?: string;
}

export type OutboxItem =
  | { kind: 'slack.post'; payload: SlackPost; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.update'; payload: SlackUpdate; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.ephemeral'; payload: SlackEphemeral; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.respond'; payload: SlackRespond; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.dm'; payload: SlackDm; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.usergroup'; payload: SlackUsergroupUsers; orderingKey: string; idempotencyKey?: string }
  | { kind: 'slack.file'; payload: SlackFile; orderingKey: string; idempotencyKey?: string };

export type OutboxKind = OutboxItem['kind'];

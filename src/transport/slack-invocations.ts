// Slack's payloads, once checked (slack-bodies.ts), turned into the contract's typed invocations
// (src/core/handlers.ts): what handlers see, with none of Slack's field names.
import type {
  ActionInvocation,
  EventInvocation,
  MessageRef,
  OpenView,
  ShortcutInvocation,
  SlackEvent,
  ViewSubmission,
} from '../core/handlers.ts';
import type { Locale } from '../i18n/index.ts';
import { readViewState, type ElementState } from '../views/modal.ts';
import { unescapeMrkdwn } from '../views/render-text.ts';
import type { EventCallbackBody, InteractionBody } from './slack-bodies.ts';

type Of<T extends InteractionBody['type']> = Extract<InteractionBody, { type: T }>;
type ViewBody = Extract<InteractionBody, { type: 'view_submission' | 'view_closed' }>;
type BlockActions = Of<'block_actions'>;
type Shortcut = Of<'shortcut'>;
type MessageAction = Of<'message_action'>;

/** Who asked and under which stored key, learned by the answerer. */
export interface Asked {
  locale: Locale;
  key?: string;
}

type SlackView = NonNullable<BlockActions['view']>;

function openView(v: SlackView): OpenView {
  return {
    id: v.id,
    callbackId: v.callback_id ?? '',
    privateMetadata: v.private_metadata || undefined,
    values: readViewState(v.state?.values as Record<string, Record<string, ElementState>> | undefined),
  };
}

/**
 * A message's link, as chat.getPermalink gives it, from the workspace's domain
 * (https://<domain>.slack.com/archives/<channel>/p<ts without its dot>, and the thread for a reply).
 * Undefined when the payload does not say the domain.
 */
export function permalink(
  domain: string | undefined,
  channelId: string,
  ts: string,
  threadTs?: string,
): string | undefined {
  if (!domain || !/^[a-z0-9-]+$/i.test(domain)) return undefined;
  const base = `https://${domain}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channelId}` : base;
}

function messageRef(m: NonNullable<BlockActions['message']>, channelId: string, domain?: string): MessageRef {
  return {
    channelId,
    ts: m.ts,
    // Slack sends a message's text mrkdwn-escaped; a handler gets it as typed (a plain_text field
    // pre-filled with it would show the escapes, and a view escaping it again would show them too).
    text: unescapeMrkdwn(m.text ?? ''),
    authorId: m.user,
    threadTs: m.thread_ts,
    permalink: permalink(domain, channelId, m.ts, m.thread_ts),
  };
}

/** The first action of a block_actions payload (Slack sends one per press). */
export function actionInvocation(body: BlockActions, asked: Asked): ActionInvocation | undefined {
  const a = body.actions[0];
  if (!a) return undefined;
  const channelId = body.channel?.id ?? body.container?.channel_id;
  const c = body.container;
  const containerType =
    c?.type === 'message' || c?.type === 'view' || c?.type === 'ephemeral' ? c.type : undefined;
  return {
    actionId: a.action_id,
    value: a.value ?? a.selected_option?.value ?? a.selected_user ?? a.selected_date ?? undefined,
    userId: body.user.id,
    channelId,
    locale: asked.locale,
    key: asked.key,
    triggerId: body.trigger_id,
    ...(containerType
      ? { container: { type: containerType, messageTs: c?.message_ts, viewId: c?.view_id } }
      : {}),
    messageTs: body.message?.ts,
    ...(body.message && channelId ? { message: messageRef(body.message, channelId, body.team?.domain) } : {}),
    ...(body.view ? { view: openView(body.view) } : {}),
  };
}

/** A global shortcut or a message shortcut (with the message it was used on). */
export function shortcutInvocation(body: Shortcut | MessageAction, asked: Asked): ShortcutInvocation {
  const common = {
    callbackId: body.callback_id,
    userId: body.user.id,
    locale: asked.locale,
    key: asked.key,
    triggerId: body.trigger_id,
  };
  if (body.type === 'shortcut') return { ...common, type: 'global' };
  return {
    ...common,
    type: 'message',
    channelId: body.channel.id,
    message: messageRef(body.message, body.channel.id, body.team?.domain),
  };
}

/** A view_submission or view_closed, its state read into field values. */
export function viewSubmission(body: ViewBody, asked: Asked): ViewSubmission {
  const v = openView(body.view);
  return {
    callbackId: v.callbackId,
    viewId: v.id,
    privateMetadata: v.privateMetadata,
    values: v.values,
    userId: body.user.id,
    locale: asked.locale,
    key: asked.key,
  };
}

/** The user an event is about (whose language its replies use), if it names one. */
export function eventUser(body: EventCallbackBody): string | undefined {
  const u = (body.event as { user?: unknown }).user;
  return typeof u === 'string' ? u : undefined;
}

/**
 * The event as the contract types it, or undefined for one toban does not handle: another type,
 * a reaction on a file rather than a message, a home opened without a user.
 */
export function eventInvocation(body: EventCallbackBody, asked: Asked): EventInvocation | undefined {
  const e = body.event as Record<string, unknown> & { type: string };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let event: SlackEvent | undefined;
  switch (e.type) {
    case 'reaction_added':
    case 'reaction_removed': {
      const item = e.item as { type?: string; channel?: string; ts?: string };
      if (item.type !== 'message' || !item.channel || !item.ts) return undefined;
      event = {
        type: e.type,
        userId: String(e.user),
        reaction: String(e.reaction),
        item: { channelId: item.channel, ts: item.ts },
        itemUserId: str(e.item_user),
      };
      break;
    }
    case 'app_mention':
      event = {
        type: 'app_mention',
        userId: String(e.user),
        channelId: String(e.channel),
        text: str(e.text) ?? '',
        ts: String(e.ts),
        threadTs: str(e.thread_ts),
      };
      break;
    case 'member_joined_channel':
      event = {
        type: 'member_joined_channel',
        userId: String(e.user),
        channelId: String(e.channel),
        inviterId: str(e.inviter),
      };
      break;
    case 'app_home_opened':
      event = {
        type: 'app_home_opened',
        userId: String(e.user),
        tab: e.tab === 'home' ? 'home' : 'messages',
      };
      break;
    default:
      return undefined;
  }
  if (!event) return undefined;
  // The event's own ts; for an event without one, the envelope's event_time (whole seconds).
  const eventTs =
    str(e.event_ts) ?? (body.event_time === undefined ? undefined : `${body.event_time}.000000`);
  return {
    event,
    eventId: body.event_id,
    locale: asked.locale,
    key: asked.key,
    ...(eventTs ? { eventTs } : {}),
  };
}

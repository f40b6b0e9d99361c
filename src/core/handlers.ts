// The handler kinds: what toban does when a person acts in Slack (or in the console), other than a
// slash command (command.ts). Each kind is declared like a command: one file per handler under
// handlers/, registered in one list per kind (handlers/index.ts), and served by the one Dispatcher
// (app/dispatch.ts) for every transport: HTTP, Socket Mode, the console and `toban run`.
//
// Kinds keep Slack's own words: a block action (a button or menu pressed), a shortcut (global, or on
// a message), a view submission and view_closed (a modal), an event (Events API), the App Home.
// Handlers get typed, validated input (transports parse Slack's payloads with zod at the boundary,
// transport/slack-bodies.ts) and return a HandlerResult; they never call Slack. State changes and
// their Slack writes commit together through the outbox, keyed by the invocation's `key`, so a
// request answered twice (after a crash, by another replica) changes nothing twice.
import type { KnownBlock } from '@slack/types';
import type { Locale } from '../i18n/index.ts';
import type { Invocation, Message, Reply } from './command.ts';
import type { AppContext } from './context.ts';
import type { FieldErrors, FieldValues, Modal } from './modal.ts';

/**
 * A modal to show. `open` and `push` need the interaction's trigger_id and must reach Slack within
 * its 3 seconds (https://api.slack.com/interactivity/handling#modal_responses): they are the one
 * Slack call made directly, not through the outbox, right after the request's state is committed.
 * `update` replaces a modal already open (the one the action came from unless `viewId` says which)
 * and goes through the outbox like every other write.
 */
export type ViewChange =
  | { action: 'open'; modal: Modal }
  | { action: 'push'; modal: Modal }
  | { action: 'update'; modal: Modal; viewId?: string };

/** What a handler asks for: a reply to the person who acted, a modal, or both. */
export interface HandlerResult {
  /**
   * To the person who acted: at the payload's response_url where it has one (block actions on a
   * message, message shortcuts, slash commands), else as a DM.
   */
  reply?: Reply;
  view?: ViewChange;
}

/** Who acted, where and when: common to every kind. */
export interface Actor {
  userId: string;
  locale: Locale;
  channelId?: string;
  /**
   * A stable key for this request (the stored Slack request's key): the same when it is handled
   * again after a crash, so a state change or an outbox row made under it happens once. Absent in
   * the console and `toban run`, where nothing is retried.
   */
  key?: string;
}

/** A message a person acted on (a block action's message, a message shortcut's target). */
export interface MessageRef {
  channelId: string;
  ts: string;
  /**
   * Plain text of the message: Slack's `text` with its &amp; &lt; &gt; escapes undone, as the
   * person typed it (mentions and links stay in Slack's <…> form).
   */
  text: string;
  /** Who wrote it: a user id, or undefined for a bot message without one. */
  authorId?: string;
  threadTs?: string;
  /** A link to the message (chat.getPermalink form), built from the workspace's domain when known. */
  permalink?: string;
}

/** A modal open in front of the person, as an action inside it or its submission sees it. */
export interface OpenView {
  id: string;
  callbackId: string;
  privateMetadata?: string;
  /** The values entered so far (Slack's view.state, read into field values). */
  values: FieldValues;
}

// ── Block actions ─────────────────────────────────────────────────────────────────────────────────

/** A Block Kit button or menu pressed, in a message or in a modal (in Slack or in the console). */
export interface ActionInvocation extends Actor {
  actionId: string;
  /** The button's value, or a menu's selected option value. */
  value?: string;
  /** Valid for 3 s after the press: lets the handler open or push a modal. */
  triggerId?: string;
  /** Where the pressed element lives (Slack's `container`). */
  container?: { type: 'message' | 'view' | 'ephemeral'; messageTs?: string; viewId?: string };
  /** The message holding the button, when it is on a message. */
  messageTs?: string;
  message?: MessageRef;
  /** The modal holding the element, when it is in a modal. */
  view?: OpenView;
}

export interface ActionHandler {
  actionId: string;
  /** A reply to the presser, a modal, or undefined when the handler only changes state (the outbox updates the message). */
  run(action: ActionInvocation, ctx: AppContext): Promise<HandlerResult | undefined>;
}

// ── Shortcuts ─────────────────────────────────────────────────────────────────────────────────────

export interface ShortcutInvocation extends Actor {
  callbackId: string;
  type: 'global' | 'message';
  /** Valid for 3 s: a shortcut usually opens a modal. */
  triggerId?: string;
  /** The message a message shortcut was used on. */
  message?: MessageRef;
}

export interface ShortcutHandler {
  callbackId: string;
  type: 'global' | 'message';
  /** Names it in the manifest (≤ 24 characters) and the console's `help`. */
  name: string;
  /** The manifest's description (≤ 150 characters). */
  description: string;
  run(shortcut: ShortcutInvocation, ctx: AppContext): Promise<HandlerResult>;
}

// ── Modals ────────────────────────────────────────────────────────────────────────────────────────

/** A modal submitted (view_submission) or closed (view_closed). */
export interface ViewSubmission extends Actor {
  callbackId: string;
  viewId?: string;
  privateMetadata?: string;
  values: FieldValues;
}

export interface ViewSubmissionHandler {
  callbackId: string;
  /**
   * Checked before Slack is acknowledged: field errors keep the modal open with each message under
   * its field (`response_action: "errors"`) and nothing is stored. Read-only and quick (well under
   * Slack's 3 s: it runs before the acknowledgement).
   */
  validate(submission: ViewSubmission, ctx: AppContext): Promise<FieldErrors | undefined>;
  /**
   * After the acknowledgement, once per submission (`key`): store, and post through the outbox.
   * Validates again (a race since validate() is refused as a reply). A `view` of action `update`
   * replaces the modal the acknowledgement left open (see `pending`).
   */
  submit(submission: ViewSubmission, ctx: AppContext): Promise<HandlerResult | undefined>;
  /**
   * Shown in place of the form by the acknowledgement while submit() runs (`response_action:
   * "update"`), so submit() can show its result there (`view: { action: 'update' }`). Absent: the
   * acknowledgement closes the modal and submit()'s reply goes to the person as a DM.
   */
  pending?(submission: ViewSubmission, ctx: AppContext): Modal;
  /** view_closed: the person closed a modal that asked for it (Modal.notifyOnClose). */
  closed?(submission: ViewSubmission, ctx: AppContext): Promise<void>;
}

// ── Events ────────────────────────────────────────────────────────────────────────────────────────

/** The Events API events toban subscribes to, read from Slack's payloads (https://api.slack.com/events). */
export type SlackEvent =
  | ReactionEvent<'reaction_added'>
  | ReactionEvent<'reaction_removed'>
  | { type: 'app_mention'; userId: string; channelId: string; text: string; ts: string; threadTs?: string }
  | { type: 'member_joined_channel'; userId: string; channelId: string; inviterId?: string }
  | { type: 'app_home_opened'; userId: string; tab: 'home' | 'messages' };

export type SlackEventType = SlackEvent['type'];

/**
 * A reaction added or removed. One member per type (not one with a union `type`), so that
 * EventInvocation<'reaction_added'> finds its event.
 */
export interface ReactionEvent<T extends 'reaction_added' | 'reaction_removed'> {
  type: T;
  userId: string;
  /** The emoji's name without colons ("eyes", "white_check_mark"). */
  reaction: string;
  /** The message reacted to (reactions on files are not delivered to handlers). */
  item: { channelId: string; ts: string };
  itemUserId?: string;
}

export interface EventInvocation<T extends SlackEventType = SlackEventType> {
  event: Extract<SlackEvent, { type: T }>;
  /** Slack's event_id; the Events API retries and Socket Mode redeliveries share it. */
  eventId: string;
  /** The locale of the person the event is about. */
  locale: Locale;
  /** As Actor.key: the stored request's key (event:<event_id>). */
  key?: string;
  /**
   * When Slack says the event happened: its event_ts ("1712710800.000200", seconds and microseconds;
   * else event_time as "<seconds>.000000"). Events may arrive out of order (a retry after a later
   * event): handlers that must apply them in order compare this. Absent when the payload has neither.
   */
  eventTs?: string;
}

/**
 * Where an event's reply goes: `in_channel` posts in the event's channel (in the thread of the
 * message mentioned or reacted to), `ephemeral` shows it to the event's user in that channel.
 */
export interface EventHandler<T extends SlackEventType = SlackEventType> {
  event: T;
  /** Names the handler in logs and tests ("reaction.eyes-take"). */
  name: string;
  run(inv: EventInvocation<T>, ctx: AppContext): Promise<Reply | undefined>;
}

// ── App Home ──────────────────────────────────────────────────────────────────────────────────────

/** The App Home tab: built for one person and published (views.publish) when they open it. */
export interface HomeHandler {
  build(
    person: { userId: string; locale: Locale },
    ctx: AppContext,
  ): Promise<{ blocks: KnownBlock[]; text: string }>;
}

// ── The Dispatcher, as transports see it ──────────────────────────────────────────────────────────

export interface Outcome {
  /**
   * The answer. With `view`, only the fallback of a caller that cannot show a modal: transports
   * show the modal instead (Slack opens it and posts nothing else; a failed open tells the person to
   * try again).
   */
  reply: Reply;
  /** A modal the command asks for (see CommandModal): opened with the invocation's trigger_id. */
  view?: ViewChange;
  /** 'user' for a usage or permission error (exit 1), 'system' for a failure (exit 2). */
  error?: 'user' | 'system';
}

/** A handler's outcome: a reply and/or a modal change, each fitted to Slack's limits. */
export interface HandlerOutcome {
  reply?: Reply;
  view?: ViewChange;
  error?: 'user' | 'system';
}

/** The acknowledgement a view submission gets (Slack's response_action), decided before the ack. */
export type ViewAck =
  | { action: 'errors'; errors: FieldErrors }
  | { action: 'update'; modal: Modal }
  | { action: 'clear' }
  /** No response_action: the modal closes. */
  | { action: 'close' };

/**
 * Every kind, in one place, for every transport (implemented by app/dispatch.ts). No method throws:
 * a handler's error comes back as a reply in the person's language (a UserError's message, or an
 * internal error with a reference code that the log line carries).
 */
export interface Dispatch {
  commandNames(): string[];
  run(inv: Invocation): Promise<Outcome>;
  /** undefined: no handler has this action_id (Slack is acknowledged and nothing happens). */
  press(action: ActionInvocation): Promise<HandlerOutcome | undefined>;
  shortcut(shortcut: ShortcutInvocation): Promise<HandlerOutcome>;
  /** Before the ack: the response_action for this submission. */
  acknowledgeView(submission: ViewSubmission): Promise<ViewAck>;
  /** After the ack: the submission's handler stores and posts. */
  submitView(submission: ViewSubmission): Promise<HandlerOutcome | undefined>;
  closeView(submission: ViewSubmission): Promise<void>;
  /** Every handler of the event's type, in registration order; app_home_opened gives `home`. */
  event(inv: EventInvocation): Promise<{ replies: Reply[]; home?: Message }>;
  home(person: { userId: string; locale: Locale }): Promise<Message>;
  /** What is registered, for the manifest check and the console's `help`. */
  registered(): {
    commands: string[];
    actions: string[];
    shortcuts: { callbackId: string; type: 'global' | 'message'; name: string }[];
    views: string[];
    events: SlackEventType[];
  };
}

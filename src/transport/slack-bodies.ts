// The shapes of what Slack sends to /slack/events, checked with zod before anything uses them:
// - a slash command: form fields (command, text, user_id, response_url, ...);
// - an interaction (button, modal, shortcut): a form with one field `payload` holding JSON;
// - an Events API request: JSON, either url_verification (answer the challenge) or event_callback.
// Slack's fields we do not name are kept (Bolt and later handlers read them). Every string is cleaned
// first (cleanStrings: NUL, control characters, lone surrogates; the body is stored as jsonb), so the
// checks see what will be used.
// Shapes: https://api.slack.com/interactivity/slash-commands, .../reference/interaction-payloads,
// https://api.slack.com/apis/events-api#callback-field.
import { z } from 'zod';
import { cleanStrings } from '../core/input.ts';
import type { BodyType } from '../http/body.ts';

/** Deeper JSON than this is refused: no Slack payload comes close, and walking it could exhaust the stack. */
export const MAX_JSON_DEPTH = 32;

const id = z.string().min(1).max(255);
const responseUrl = z.url({ protocol: /^https?$/ }).max(2_000);

export const slashCommandSchema = z.looseObject({
  command: z.string().regex(/^\/\S{1,64}$/),
  text: z.string().max(10_000).default(''),
  user_id: id,
  channel_id: id.optional(),
  team_id: id.optional(),
  response_url: responseUrl,
  trigger_id: z.string().max(255).optional(),
});
export type SlashCommandBody = z.infer<typeof slashCommandSchema>;

const user = z.looseObject({ id });
const ts = z.string().max(64);
const triggerId = z.string().max(255).optional();
const team = z.looseObject({ id: id.optional(), domain: z.string().max(255).optional() }).optional();
const privateMetadata = z.string().max(3_000).optional();

/** One element's state in view.state.values[block_id][action_id] (views/modal.ts reads it). */
const elementState = z.looseObject({
  type: z.string().max(64).optional(),
  value: z.string().max(10_000).nullish(),
  selected_option: z.looseObject({ value: z.string().max(2_000).optional() }).nullish(),
  selected_date: z.string().max(10).nullish(),
  selected_user: z.string().max(255).nullish(),
});
const viewState = z.looseObject({
  values: z.record(z.string().max(255), z.record(z.string().max(255), elementState)).optional(),
});
/** The view of a view_submission / view_closed, or the modal holding a block action. */
const view = z.looseObject({
  id,
  callback_id: z.string().max(255).optional(),
  private_metadata: privateMetadata,
  state: viewState.optional(),
});
/** A message a person acted on: its text and author as Slack sent them. */
const message = z.looseObject({
  ts,
  text: z.string().max(40_000).optional(),
  user: z.string().max(255).optional(),
  thread_ts: ts.optional(),
});

const blockAction = z.looseObject({
  action_id: z.string().min(1).max(255),
  type: z.string().max(64).optional(),
  value: z.string().max(2_000).optional(),
  selected_option: z.looseObject({ value: z.string().max(2_000) }).nullish(),
  selected_user: z.string().max(255).nullish(),
  selected_date: z.string().max(10).nullish(),
});

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  actions: z.array(blockAction).min(1).max(25),
  response_url: responseUrl.optional(),
  trigger_id: triggerId,
  channel: z.looseObject({ id }).optional(),
  container: z
    .looseObject({
      type: z.string().max(64),
      message_ts: ts.optional(),
      view_id: z.string().max(255).optional(),
      channel_id: z.string().max(255).optional(),
    })
    .optional(),
  message: message.optional(),
  view: view.optional(),
  team,
});

const viewFields = { user, view, trigger_id: triggerId, team };
const viewSubmission = z.looseObject({ type: z.literal('view_submission'), ...viewFields });
const viewClosed = z.looseObject({ type: z.literal('view_closed'), ...viewFields });

const shortcut = z.looseObject({
  type: z.literal('shortcut'),
  user,
  callback_id: z.string().max(255),
  trigger_id: triggerId,
  team,
});

const messageAction = z.looseObject({
  type: z.literal('message_action'),
  user,
  callback_id: z.string().max(255),
  trigger_id: triggerId,
  channel: z.looseObject({ id }),
  message,
  response_url: responseUrl.optional(),
  team,
});

export const interactionSchema = z.discriminatedUnion('type', [
  blockActions,
  z.looseObject({ type: z.literal('block_suggestion'), user, action_id: z.string().max(255) }),
  viewSubmission,
  viewClosed,
  shortcut,
  messageAction,
]);
export type InteractionBody = z.infer<typeof interactionSchema>;

// Fields Slack documents for every Events API body are checked by type (a wrong type is a 400
// naming the field); the event's own fields differ per event type (`user` is an id in most, an
// object in user_change) and are left to each event's handler.
export const eventsApiSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('url_verification'),
    challenge: z.string().min(1).max(255),
    token: z.string().max(255).optional(),
  }),
  z.looseObject({
    type: z.literal('event_callback'),
    event_id: z.string().regex(/^[\w.-]{1,64}$/),
    team_id: id.optional(),
    api_app_id: id.optional(),
    event_time: z.int().nonnegative().optional(),
    token: z.string().max(255).optional(),
    event: z.looseObject({
      type: z.string().min(1).max(255),
      subtype: z.string().max(255).optional(),
      event_ts: z.string().max(64).optional(),
    }),
  }),
  z.looseObject({ type: z.literal('app_rate_limited') }),
]);
export type EventCallbackBody = Extract<z.infer<typeof eventsApiSchema>, { type: 'event_callback' }>;

/**
 * The fields of each event type toban handles, checked by type like the envelope's (a wrong type is
 * a 400 naming the field). Other event types are stored and acknowledged as they come and run nothing.
 * Shapes: https://api.slack.com/events/reaction_added, .../app_mention, .../member_joined_channel,
 * .../app_home_opened.
 */
const reactionEvent = z.looseObject({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: id,
  reaction: z.string().min(1).max(255),
  item: z.looseObject({ type: z.string().max(64), channel: id.optional(), ts: ts.optional() }),
  item_user: id.optional(),
});
const appMentionEvent = z.looseObject({
  type: z.literal('app_mention'),
  user: id,
  channel: id,
  text: z.string().max(40_000).default(''),
  ts,
  thread_ts: ts.optional(),
});
const memberJoinedEvent = z.looseObject({
  type: z.literal('member_joined_channel'),
  user: id,
  channel: id,
  inviter: id.optional(),
});
const appHomeOpenedEvent = z.looseObject({
  type: z.literal('app_home_opened'),
  user: id,
  tab: z.string().max(64),
});
const EVENT_SCHEMAS: Record<string, z.ZodType> = {
  reaction_added: reactionEvent,
  reaction_removed: reactionEvent,
  app_mention: appMentionEvent,
  member_joined_channel: memberJoinedEvent,
  app_home_opened: appHomeOpenedEvent,
};

/** An event_callback body whose event, of a type toban handles, has the fields that type needs. */
function checkEvent(body: EventCallbackBody): ParsedBody {
  const schema = EVENT_SCHEMAS[body.event.type];
  if (!schema) return { kind: 'event', body };
  const parsed = schema.safeParse(body.event);
  if (!parsed.success) return { kind: 'invalid', error: describe(parsed.error, 'event') };
  return { kind: 'event', body: { ...body, event: parsed.data as EventCallbackBody['event'] } };
}

export type SlackBody =
  | { kind: 'command'; body: SlashCommandBody }
  | { kind: 'interaction'; body: InteractionBody }
  | { kind: 'event'; body: EventCallbackBody }
  | { kind: 'url_verification'; challenge: string }
  /** Nothing to do but answer 200: Slack's ssl_check, app_rate_limited notices. */
  | { kind: 'ignore' };

export type ParsedBody = SlackBody | { kind: 'invalid'; error: string };

/** Depth of nested arrays and objects, walked without recursion; stops counting past `limit`. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const value: unknown = JSON.parse(text);
    return depthExceeds(value, MAX_JSON_DEPTH) ? { ok: false } : { ok: true, value: cleanStrings(value) };
  } catch {
    return { ok: false };
  }
}

/** "payload.user.id: Invalid input: expected string" — the field and the problem, never the value. */
function describe(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${path || 'body'}: ${issue.message}`.slice(0, 300);
}

/**
 * Reads a verified body: which kind of Slack request it is, validated and cleaned. Never throws;
 * a body of no known shape comes back as `invalid` with a short reason naming the field.
 */
export function parseSlackBody(type: BodyType, text: string): ParsedBody {
  if (type === 'json') {
    const json = parseJson(text);
    if (!json.ok) return { kind: 'invalid', error: 'body: not JSON (or nested too deeply)' };
    const parsed = eventsApiSchema.safeParse(json.value);
    if (!parsed.success) return { kind: 'invalid', error: describe(parsed.error, '') };
    const body = parsed.data;
    if (body.type === 'url_verification') return { kind: 'url_verification', challenge: body.challenge };
    if (body.type === 'event_callback') return checkEvent(body);
    return { kind: 'ignore' };
  }
  const form = cleanStrings(Object.fromEntries(new URLSearchParams(text)));
  if (form.ssl_check !== undefined && form.command === undefined) return { kind: 'ignore' };
  if (form.payload !== undefined) {
    const json = parseJson(form.payload);
    if (!json.ok) return { kind: 'invalid', error: 'payload: not JSON (or nested too deeply)' };
    const parsed = interactionSchema.safeParse(json.value);
    if (!parsed.success) return { kind: 'invalid', error: describe(parsed.error, 'payload') };
    return { kind: 'interaction', body: parsed.data };
  }
  const parsed = slashCommandSchema.safeParse(form);
  if (!parsed.success) return { kind: 'invalid', error: describe(parsed.error, '') };
  return { kind: 'command', body: parsed.data };
}

/**
 * The same checks for a Socket Mode envelope's payload, which arrives already parsed: a slash
 * command's fields, an interaction payload, or an Events API body.
 */
export function parseSocketBody(value: unknown): ParsedBody {
  if (value === null || typeof value !== 'object' || depthExceeds(value, MAX_JSON_DEPTH))
    return { kind: 'invalid', error: 'payload: not an object (or nested too deeply)' };
  const body = cleanStrings(value) as Record<string, unknown>;
  if (typeof body.command === 'string') {
    const parsed = slashCommandSchema.safeParse(body);
    return parsed.success
      ? { kind: 'command', body: parsed.data }
      : { kind: 'invalid', error: describe(parsed.error, '') };
  }
  if (
    body.type === 'event_callback' ||
    body.type === 'url_verification' ||
    body.type === 'app_rate_limited'
  ) {
    const parsed = eventsApiSchema.safeParse(body);
    if (!parsed.success) return { kind: 'invalid', error: describe(parsed.error, '') };
    return parsed.data.type === 'event_callback' ? checkEvent(parsed.data) : { kind: 'ignore' };
  }
  const parsed = interactionSchema.safeParse(body);
  return parsed.success
    ? { kind: 'interaction', body: parsed.data }
    : { kind: 'invalid', error: describe(parsed.error, 'payload') };
}

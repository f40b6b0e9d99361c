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
const blockAction = z.looseObject({
  action_id: z.string().min(1).max(255),
  value: z.string().max(2_000).optional(),
});

export const interactionSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('block_actions'),
    user,
    actions: z.array(blockAction).min(1).max(25),
    response_url: responseUrl.optional(),
    trigger_id: z.string().max(255).optional(),
    channel: z.looseObject({ id }).optional(),
    message: z.looseObject({ ts: z.string().max(64) }).optional(),
  }),
  z.looseObject({ type: z.literal('block_suggestion'), user, action_id: z.string().max(255) }),
  z.looseObject({
    type: z.enum(['view_submission', 'view_closed']),
    user,
    view: z.looseObject({ id, callback_id: z.string().max(255).optional() }),
  }),
  z.looseObject({ type: z.literal('shortcut'), user, callback_id: z.string().max(255) }),
  z.looseObject({
    type: z.literal('message_action'),
    user,
    callback_id: z.string().max(255),
    channel: z.looseObject({ id }),
    message: z.looseObject({}),
    response_url: responseUrl.optional(),
  }),
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
    if (body.type === 'event_callback') return { kind: 'event', body };
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
    return parsed.data.type === 'event_callback' ? { kind: 'event', body: parsed.data } : { kind: 'ignore' };
  }
  const parsed = interactionSchema.safeParse(body);
  return parsed.success
    ? { kind: 'interaction', body: parsed.data }
    : { kind: 'invalid', error: describe(parsed.error, 'payload') };
}

// What a Slack rate limit applies to, so a 429 pauses exactly that and nothing else.
//
// Slack (docs.slack.dev/apis/web-api/rate-limits): Web API limits are applied "per API method per
// workspace per app", each method in a tier (Tier 1: 1+ per minute, Tier 2: 20+, Tier 3: 50+,
// Tier 4: 100+). chat.postMessage is in the special tier: "generally allows posting one message
// per second per channel, while also maintaining a workspace-wide limit". A 429 answers with
// Retry-After in seconds. So a 429 on conversations.history pauses conversations.history for the
// workspace, never chat.postMessage; a 429 on chat.postMessage pauses posting to that channel.
// (Since 2025, commercially distributed apps outside the Marketplace get far lower limits on
// conversations.history and .replies; internal apps such as toban keep Tier 3.)

/** The tier of each method the outbox calls, as Slack's method reference lists it. */
export const METHOD_TIERS: Record<string, 1 | 2 | 3 | 4 | 'special'> = {
  'chat.postMessage': 'special',
  'chat.postEphemeral': 'special',
  'chat.update': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.join': 3,
  'conversations.open': 3,
  'usergroups.users.update': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'files.info': 4,
  'auth.test': 'special',
  'views.publish': 4,
  'views.update': 4,
  // Direct calls inside the trigger window (transport/slack-views.ts), not through the outbox.
  'views.open': 4,
  'views.push': 4,
};

/** Methods whose limit is counted per channel (the special tier's posting rule). */
const PER_CHANNEL = new Set(['chat.postMessage']);

/**
 * The scope a 429 on `method` pauses: "chat.postMessage:C0123" for a post to channel C0123, the
 * method name otherwise ("conversations.history").
 */
export function rateScope(method: string, channel: string | undefined): string {
  return PER_CHANNEL.has(method) && channel ? `${method}:${channel}` : method;
}

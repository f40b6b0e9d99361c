// Sends requests the way Slack does: form-encoded, signed with the v0 scheme
// ('v0=' + hex HMAC-SHA256(signing secret, 'v0:' + timestamp + ':' + raw body)).
import crypto from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(
  secret: string,
  body: string,
  timestampSec: number | string,
): SlackSignatureHeaders {
  const ts = String(timestampSec);
  const hmac = crypto.createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hmac}`, 'x-slack-request-timestamp': ts };
}

export interface PostSignedOptions {
  /** Default: now. A timestamp more than 5 minutes away makes the request stale. */
  timestampSec?: number;
  /** Default: form-encoded (slash commands, interactivity payloads). Use application/json for events. */
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * POSTs a signed request. `body` is sent as is when a string, form-encoded when an object (a slash
 * command: `{ command: '/oncall', text: '', user_id, channel_id, response_url, ... }`).
 */
export async function postSigned(
  url: string,
  secret: string,
  body: string | Record<string, string>,
  opts: PostSignedOptions = {},
): Promise<Response> {
  const raw = typeof body === 'string' ? body : new URLSearchParams(body).toString();
  const timestampSec = opts.timestampSec ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
      ...signSlackRequest(secret, raw, timestampSec),
      ...opts.headers,
    },
    body: raw,
  });
}

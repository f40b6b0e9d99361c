// slack.respond: the answer to a slash command or a button, through its response_url.
// At least once: a response_url answers nothing we could look for afterwards, so a try after an
// unknown outcome may answer twice; never otherwise. Slack refuses a URL after 30 minutes or 5
// uses (404 expired_url / used_url), which ends the row as dead.
import { z } from 'zod';
import { PermanentError, RetryAfterError, TransientError } from '../deliverer.ts';
import { blocks } from './common.ts';
import { defineKind } from './kind.ts';

export const slackRespond = defineKind({
  kind: 'slack.respond',
  guarantee: 'at-least-once',
  duplicateRule: 'none possible: a response_url keeps no record to look for',
  calls: 1,
  payload: z.object({
    responseUrl: z.string(),
    responseType: z.enum(['ephemeral', 'in_channel']),
    text: z.string(),
    blocks,
    replaceOriginal: z.boolean().optional(),
  }),
  refs: () => ({}),
  async slack(_row, p, slack) {
    // The URL itself is a credential of sorts: errors name only its host.
    let host: string;
    try {
      host = new URL(p.responseUrl).host;
    } catch {
      throw new PermanentError('response_url is not a URL');
    }
    const what = `response_url (${host})`;
    const res = await slack.postTo(
      p.responseUrl,
      {
        json: {
          response_type: p.responseType,
          text: p.text,
          ...(p.blocks ? { blocks: p.blocks } : {}),
          ...(p.replaceOriginal !== undefined ? { replace_original: p.replaceOriginal } : {}),
        },
      },
      what,
    );
    if (res.status === 429) throw new RetryAfterError(1, `${what}: HTTP 429`);
    if (res.status >= 500 || res.status === 408)
      throw new TransientError(`${what}: HTTP ${res.status} ${res.text}`);
    if (res.status !== 200) throw new PermanentError(`${what}: HTTP ${res.status} ${res.text}`);
    if (res.text.startsWith('{')) {
      const parsed = JSON.parse(res.text) as { ok?: boolean; error?: string };
      if (parsed.ok === false) throw new PermanentError(`${what}: ${parsed.error ?? 'error'}`, parsed.error);
    }
    return { result: { status: res.status } };
  },
  async console(_row, p, out) {
    out.show(p, '');
    return { result: {} };
  },
});

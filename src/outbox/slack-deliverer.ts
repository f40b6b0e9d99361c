// Delivers the slack.* outbox kinds through a WebClient (and response_url through fetch), and turns
// Slack's answers into the outbox's vocabulary: RetryAfterError, PermanentError, TransientError,
// NotReadyError.
//
// Posts and the outbox's at-least-once delivery: Slack has no idempotency key, so a post whose
// outcome was not recorded (a timeout after Slack accepted it, a crash before COMMIT) could appear
// twice. Every post carries message metadata naming its outbox row; when a post is tried again
// (row.attempts > 1) we first look for that metadata in the channel (or thread) and, if found, record
// the message we find instead of posting again. The look-up is best effort: if it fails for any
// reason other than a rate limit, we post. Files, updates and user groups are naturally repeatable
// or rare enough not to need it.
import type { KnownBlock, MessageMetadata } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from '../app/log.ts';
import { ChannelLimiter } from '../integrations/slack/channel-limiter.ts';
import {
  NotReadyError,
  PermanentError,
  RetryAfterError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type OutboxRow,
} from './deliverer.ts';
import type {
  SlackDm,
  SlackEphemeral,
  SlackFile,
  SlackPost,
  SlackRespond,
  SlackUpdate,
  SlackUsergroupUsers,
} from './kinds.ts';

export interface SlackDelivererOptions {
  client: WebClient;
  /** Per-channel pace for chat.postMessage. Default: 1 per second per channel. */
  limiter?: ChannelLimiter;
  /** For response_url. Default: global fetch. */
  fetch?: typeof fetch;
  /** Timeout of a response_url request. Default 10 s. */
  respondTimeoutMs?: number;
  log?: Logger;
}

export const OUTBOX_METADATA_EVENT = 'toban_outbox';

// Slack error codes that no retry will fix. Anything else (internal_error, fatal_error,
// service_unavailable, request_timeout, unknown codes) is retried with backoff.
const PERMANENT_CODES = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_channel',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'users_not_found',
  'user_not_in_channel',
  'user_disabled',
  'cannot_dm_bot',
  'no_such_subteam',
  'subteam_not_found',
  'invalid_users',
  'permission_denied',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_charset',
  'invalid_form_data',
  'method_deprecated',
  'deprecated_endpoint',
  'file_not_found',
  'unknown_method',
]);

export function createSlackDeliverer(opts: SlackDelivererOptions): Deliverer {
  const { client } = opts;
  const limiter = opts.limiter ?? new ChannelLimiter();
  const fetchFn = opts.fetch ?? fetch;
  const respondTimeoutMs = opts.respondTimeoutMs ?? 10_000;
  const imChannels = new Map<string, string>();

  /** Runs one Web API call, translating its failure; a 429 also pauses `channel` for every row. */
  async function call<T>(method: string, channel: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw translate(method, err, (ms) => channel && limiter.pause(channel, ms));
    }
  }

  /** Waits for this channel's turn (≈1 post/s); a paused channel sends the row back to wait instead. */
  async function pace(channel: string): Promise<void> {
    const paused = limiter.pausedFor(channel);
    if (paused > 0)
      throw new RetryAfterError(
        paused / 1000,
        `channel ${channel} is rate limited for ${Math.ceil(paused / 1000)} s`,
      );
    const wait = limiter.reserve(channel);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  async function post(
    row: OutboxRow,
    channel: string,
    p: { text: string; blocks?: KnownBlock[]; threadTs?: string },
  ): Promise<{ channel: string; ts: string }> {
    if (row.attempts > 1) {
      const earlier = await findEarlierPost(row, channel, p.threadTs);
      if (earlier) return earlier;
    }
    await pace(channel);
    const metadata: MessageMetadata = {
      event_type: OUTBOX_METADATA_EVENT,
      event_payload: { outbox_id: row.id },
    };
    const res = await call('chat.postMessage', channel, () =>
      client.chat.postMessage({
        channel,
        text: p.text,
        ...(p.blocks ? { blocks: p.blocks } : {}),
        ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
        metadata,
      }),
    );
    if (!res.ts) throw new TransientError('slack chat.postMessage: answer without ts');
    return { channel: res.channel ?? channel, ts: res.ts };
  }

  /** The message an earlier, unrecorded attempt of this row posted, if Slack has it. */
  async function findEarlierPost(
    row: OutboxRow,
    channel: string,
    threadTs: string | undefined,
  ): Promise<{ channel: string; ts: string } | undefined> {
    const oldest = String(Math.floor(row.createdAt.getTime() / 1000) - 60);
    try {
      const page = await call('conversations.history', channel, () =>
        threadTs
          ? client.conversations.replies({
              channel,
              ts: threadTs,
              oldest,
              include_all_metadata: true,
              limit: 200,
            })
          : client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }),
      );
      const found = (page.messages ?? []).find((m) => {
        const meta = m.metadata as
          { event_type?: string; event_payload?: { outbox_id?: unknown } } | undefined;
        return meta?.event_type === OUTBOX_METADATA_EVENT && String(meta.event_payload?.outbox_id) === row.id;
      });
      if (found?.ts) {
        opts.log?.info(
          { outboxId: row.id, channel, ts: found.ts },
          'outbox: an earlier attempt had posted this message; not posting again',
        );
        return { channel, ts: found.ts };
      }
    } catch (err) {
      if (err instanceof RetryAfterError) throw err;
      opts.log?.warn({ outboxId: row.id, err }, 'outbox: could not check for an earlier post; posting');
    }
    return undefined;
  }

  async function imChannel(user: string): Promise<string> {
    const known = imChannels.get(user);
    if (known) return known;
    const res = await call('conversations.open', undefined, () => client.conversations.open({ users: user }));
    const id = res.channel?.id;
    if (!id) throw new TransientError('slack conversations.open: answer without a channel');
    imChannels.set(user, id);
    return id;
  }

  async function respond(p: SlackRespond): Promise<Delivered> {
    const body = {
      response_type: p.responseType,
      text: p.text,
      ...(p.blocks ? { blocks: p.blocks } : {}),
      ...(p.replaceOriginal !== undefined ? { replace_original: p.replaceOriginal } : {}),
    };
    // The URL itself is a credential of sorts: errors name only its host.
    let host = 'response_url';
    try {
      host = new URL(p.responseUrl).host;
    } catch {
      throw new PermanentError('response_url is not a URL');
    }
    let res: Response;
    try {
      res = await fetchFn(p.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(respondTimeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new TransientError(`response_url (${host}): ${(err as Error).message}`);
    }
    const text = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status === 429) throw new RetryAfterError(retryAfterSeconds(res.headers.get('retry-after')));
    if (res.status >= 500 || res.status === 408)
      throw new TransientError(`response_url (${host}): HTTP ${res.status} ${text}`);
    // Slack answers 404 expired_url / used_url once the URL is past its 30 minutes or 5 uses.
    if (res.status !== 200) throw new PermanentError(`response_url (${host}): HTTP ${res.status} ${text}`);
    if (text.startsWith('{')) {
      const parsed = JSON.parse(text) as { ok?: boolean; error?: string };
      if (parsed.ok === false)
        throw new PermanentError(`response_url (${host}): ${parsed.error ?? 'error'}`, parsed.error);
    }
    return { result: { status: res.status } };
  }

  async function deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
    switch (row.kind) {
      case 'slack.post': {
        const p = row.payload as SlackPost;
        let channel = p.channel;
        let threadTs: string | undefined;
        if (p.threadRef) {
          const parent = await ctx.lookupRef(p.threadRef);
          if (!parent) throw new NotReadyError(`thread ${p.threadRef} has not been posted yet`);
          // A reply lives where its parent is.
          channel = parent.channel;
          threadTs = parent.ts;
        }
        const at = await post(row, channel, { text: p.text, blocks: p.blocks, threadTs });
        return { result: at, ...(p.ref ? { message: { ref: p.ref, ...at } } : {}) };
      }
      case 'slack.update': {
        const p = row.payload as SlackUpdate;
        const at = await ctx.lookupRef(p.ref);
        if (!at) throw new NotReadyError(`message ${p.ref} has not been posted yet`);
        await call('chat.update', at.channel, () =>
          client.chat.update({
            channel: at.channel,
            ts: at.ts,
            text: p.text,
            ...(p.blocks ? { blocks: p.blocks } : {}),
          }),
        );
        return { result: { channel: at.channel, ts: at.ts } };
      }
      case 'slack.ephemeral': {
        const p = row.payload as SlackEphemeral;
        const res = await call('chat.postEphemeral', p.channel, () =>
          client.chat.postEphemeral({
            channel: p.channel,
            user: p.user,
            text: p.text,
            ...(p.blocks ? { blocks: p.blocks } : {}),
          }),
        );
        return { result: { channel: p.channel, message_ts: res.message_ts ?? null } };
      }
      case 'slack.respond':
        return respond(row.payload as SlackRespond);
      case 'slack.dm': {
        const p = row.payload as SlackDm;
        const channel = await imChannel(p.user);
        return { result: await post(row, channel, { text: p.text, blocks: p.blocks }) };
      }
      case 'slack.usergroup': {
        const p = row.payload as SlackUsergroupUsers;
        await call('usergroups.users.update', undefined, () =>
          client.usergroups.users.update({ usergroup: p.usergroup, users: p.users.join(',') }),
        );
        return { result: { usergroup: p.usergroup, users: p.users.length } };
      }
      case 'slack.file': {
        // A file addressed to a user (a U… id as the channel) goes to that user's DM: ledger and
        // sales exports are confidential and must not land in the channel the command came from.
        const p = row.payload as SlackFile;
        const channel = /^[UW]/.test(p.channel) ? await imChannel(p.channel) : p.channel;
        await pace(channel);
        const data =
          p.encoding === 'base64' ? { file: Buffer.from(p.content, 'base64') } : { content: p.content };
        const res = await call('files.uploadV2', channel, () =>
          client.filesUploadV2({
            channel_id: channel,
            filename: p.filename,
            title: p.title,
            ...(p.initialComment ? { initial_comment: p.initialComment } : {}),
            ...data,
          }),
        );
        const files = (res.files as { files?: { id?: string }[] }[] | undefined) ?? [];
        return {
          result: { channel, files: files.flatMap((c) => (c.files ?? []).map((f) => f.id)) },
        };
      }
      default:
        throw new PermanentError(`no Slack delivery for kind ${row.kind}`);
    }
  }

  return { deliver };
}

/** Maps a WebClient failure to what the outbox should do. Checks codes, not classes, so a second copy of the SDK still matches. */
export function translate(method: string, err: unknown, onRateLimited: (ms: number) => void): Error {
  const e = err as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    statusCode?: number;
    original?: Error;
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = e.retryAfter ?? 1;
      onRateLimited(seconds * 1000);
      return new RetryAfterError(seconds, `slack ${method}: rate limited, retry after ${seconds} s`);
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') {
        onRateLimited(1000);
        return new RetryAfterError(1, `slack ${method}: ratelimited`);
      }
      return PERMANENT_CODES.has(code)
        ? new PermanentError(`slack ${method}: ${code}`, code)
        : new TransientError(`slack ${method}: ${code}`, code);
    }
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      const message = `slack ${method}: HTTP ${status}`;
      return status >= 500 || status === 408
        ? new TransientError(message, `http_${status}`)
        : new PermanentError(message, `http_${status}`);
    }
    case ErrorCode.RequestError:
      return new TransientError(
        `slack ${method}: ${e.original?.message ?? e.message ?? 'request failed'}`,
        'request_error',
      );
    case ErrorCode.FileUploadInvalidArgumentsError:
    case ErrorCode.FileUploadReadFileDataError:
      return new PermanentError(`slack ${method}: ${e.message ?? 'invalid file'}`);
    default:
      if (
        err instanceof RetryAfterError ||
        err instanceof PermanentError ||
        err instanceof TransientError ||
        err instanceof NotReadyError
      )
        return err;
      return new TransientError(`slack ${method}: ${e.message ?? String(err)}`);
  }
}

function retryAfterSeconds(header: string | null): number {
  const n = Number(header);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

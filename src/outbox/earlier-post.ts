// "Was it already posted?" — the check a post makes before trying again after an unknown outcome
// (a timeout after Slack accepted it, a crash before the outcome was recorded). Every post carries
// message metadata naming its outbox row; this reads the channel (or the thread) for it.
//
// The read is bounded by time, not by a page count: from the row's first attempt minus a margin
// (clock skew between the database and Slack), following the cursor to the end, so any number of
// messages arriving meanwhile cannot hide the earlier post. If the read cannot answer for now (429,
// 5xx, a timeout), the row is not posted blind: it waits and looks again later. A bot that posts to
// public channels it is not in (chat:write.public) cannot read them: it joins first. If Slack
// refuses the read for good (missing_scope, channel_not_found, a refused join, not_in_channel after
// joining), waiting cannot answer it: the row goes dead at once with the cause (PermanentError),
// and the worker fails the rows that need its message with it, so its ordering key moves on.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/log.ts';
import {
  DeferredError,
  PermanentError,
  QueuePausedError,
  RetryAfterError,
  type MessageLocation,
  type OutboxRow,
} from './deliverer.ts';

export const OUTBOX_METADATA_EVENT = 'toban_outbox';

/** How far before the first attempt the look-up starts reading. */
export const LOOKUP_MARGIN_MS = 120_000;
/** When a look-up could not answer, it is tried again after this (a 429 waits as long as Slack asks). */
export const LOOKUP_RETRY_MS = 30_000;
const PAGE = 200;

type Call = <T>(method: string, channel: string | undefined, fn: () => Promise<T>) => Promise<T>;

interface HistoryPage {
  messages?: { ts?: string; metadata?: unknown }[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

function carriesRow(m: { metadata?: unknown }, rowId: string): boolean {
  const meta = m.metadata as { event_type?: string; event_payload?: { outbox_id?: unknown } } | undefined;
  return meta?.event_type === OUTBOX_METADATA_EVENT && String(meta.event_payload?.outbox_id) === rowId;
}

/**
 * The message an earlier, unrecorded attempt of `row` posted in `channel` (or the thread at
 * `threadTs`), or undefined when Slack certainly has none.
 * @throws DeferredError (reason 'lookup') when the channel could not be read to the end this time:
 *   the row must not be posted now. PermanentError when Slack refuses the read for good (the row
 *   cannot be posted without risking a duplicate, nor answered by waiting). RetryAfterError,
 *   DeferredError ('paused') and QueuePausedError (the token) pass through.
 */
export async function findEarlierPost(
  deps: { client: WebClient; call: Call; log?: Logger },
  row: OutboxRow,
  channel: string,
  threadTs: string | undefined,
): Promise<MessageLocation | undefined> {
  const oldest = ((row.firstAttemptAt.getTime() - LOOKUP_MARGIN_MS) / 1000).toFixed(6);
  const method = threadTs ? 'conversations.replies' : 'conversations.history';
  let joined = false;
  let cursor: string | undefined;
  for (;;) {
    let page: HistoryPage;
    try {
      page = await deps.call(method, channel, () =>
        threadTs
          ? deps.client.conversations.replies({
              channel,
              ts: threadTs,
              oldest,
              include_all_metadata: true,
              limit: PAGE,
              ...(cursor ? { cursor } : {}),
            })
          : deps.client.conversations.history({
              channel,
              oldest,
              include_all_metadata: true,
              limit: PAGE,
              ...(cursor ? { cursor } : {}),
            }),
      );
    } catch (err) {
      if (err instanceof PermanentError && err.code === 'not_in_channel' && !joined) {
        joined = await join(deps, channel, row);
        if (joined) continue;
      }
      if (err instanceof RetryAfterError || err instanceof DeferredError || err instanceof QueuePausedError)
        throw err;
      if (err instanceof PermanentError)
        throw new PermanentError(
          `cannot check whether an earlier attempt had posted, and Slack will not let it (${err.message}${joined ? ', after joining' : ''}); not posting blind`,
          err.code,
        );
      const why = err instanceof Error ? err.message : String(err);
      deps.log?.warn(
        { outboxId: row.id, channel, error: why },
        'outbox: could not check for an earlier post; not posting, will look again',
      );
      throw new DeferredError(
        LOOKUP_RETRY_MS,
        'lookup',
        `could not check whether an earlier attempt had posted (${why}); will look again before posting`,
      );
    }
    const found = (page.messages ?? []).find((m) => carriesRow(m, row.id));
    if (found?.ts) {
      deps.log?.info(
        { outboxId: row.id, channel, ts: found.ts },
        'outbox: an earlier attempt had posted this message; not posting again',
      );
      return { channel, ts: found.ts };
    }
    cursor = page.response_metadata?.next_cursor || undefined;
    if (!page.has_more || !cursor) return undefined;
  }
}

/**
 * conversations.join, so a channel posted to through chat:write.public can be read. True once
 * joined; false when the join failed for now (the look-up is tried again later).
 * @throws PermanentError when Slack refuses the join for good (a private channel, archived, no
 *   scope); RetryAfterError, DeferredError and QueuePausedError pass through.
 */
async function join(
  deps: { client: WebClient; call: Call; log?: Logger },
  channel: string,
  row: OutboxRow,
): Promise<boolean> {
  try {
    await deps.call('conversations.join', channel, () => deps.client.conversations.join({ channel }));
    deps.log?.info({ outboxId: row.id, channel }, 'outbox: joined the channel to read its history');
    return true;
  } catch (err) {
    if (err instanceof RetryAfterError || err instanceof DeferredError || err instanceof QueuePausedError)
      throw err;
    if (err instanceof PermanentError) throw err;
    return false;
  }
}

// Delivers outbox rows to Slack: looks the row's kind up in the registry (kinds/index.ts) and runs
// its Slack call with the SlackCalls built here, which every kind shares:
// - every HTTP request of a delivery is aborted at the delivery's deadline, so no call outlives the
//   row's lease: a response_url or upload POST is given the deadline's signal; a Web API call runs
//   inside withDeadline (AsyncLocalStorage), which the WebClient's fetch reads. Only Web API calls
//   enter it: in Node 20 an AsyncLocalStorage in use hooks every promise of the process, which
//   doubled the cost of promise-heavy code measured alone, and a command's answer needs none;
// - Slack's 429 Retry-After pauses the scope Slack limits (rate-scope.ts) for every replica
//   (rate-pauses.ts), and a call into a paused scope reschedules its row instead of going out;
// - posts to one channel are paced at about one a second by rescheduling, never by sleeping;
// - chat.update is paced for the whole workspace below Slack's Tier 3 (50 a minute) the same way:
//   nothing else keeps alert and storm-summary updates under it, and `npm run bench -- storm` with
//   six channels storming at once drew 14 × 429 without this pace (README, "Development");
// - both paces are kept in the database when there is one, shared by every replica (slack-pace.ts):
//   kept per process, two replicas posted to one channel at twice Slack's pace and drew 429s;
// - a post tried again after an unknown outcome looks for its earlier self first (earlier-post.ts).
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../core/log.ts';
import type { Queryable } from '../db/pool.ts';
import { ChannelLimiter } from '../integrations/slack/channel-limiter.ts';
import { withDeadline } from '../integrations/slack/client.ts';
import { rateScope } from '../integrations/slack/rate-scope.ts';
import { createUrlPoster, type UrlPoster } from '../integrations/slack/url-poster.ts';
import {
  DeferredError,
  PermanentError,
  RetryAfterError,
  TransientError,
  type Delivered,
  type Deliverer,
  type DeliveryContext,
  type OutboxRow,
} from './deliverer.ts';
import { findEarlierPost, OUTBOX_METADATA_EVENT } from './earlier-post.ts';
import type { SlackCalls, UpdateLane } from './kinds/kind.ts';
import { slackKindOf, MAX_CALLS_PER_ROW } from './kinds/index.ts';
import { databaseRatePauses, type RatePauses } from './rate-pauses.ts';
import { databasePace, memoryPace, type PaceRate, type SlackPace } from './slack-pace.ts';
import { translate } from './slack-errors.ts';

export { OUTBOX_METADATA_EVENT } from './earlier-post.ts';
export { translate } from './slack-errors.ts';

export interface SlackDelivererOptions {
  client: WebClient;
  /** The bot's database, where Retry-After pauses are shared with the other replicas. */
  pool?: Queryable;
  /** Or the pauses themselves (tests). One of pool or pauses is required. */
  pauses?: RatePauses;
  /**
   * Per-channel pace for posts, in this process's memory (tests driving a clock). Default: POST_PACE,
   * in the database with `pool` (shared by every replica), else in memory.
   */
  limiter?: ChannelLimiter;
  /**
   * Workspace-wide pace for the methods in WORKSPACE_PACED, in memory. Default: UPDATE_PACE, in the
   * database with `pool`, else in memory.
   */
  updateLimiter?: ChannelLimiter;
  /** The pace of lane 'summary' updates, in memory. Default: SUMMARY_UPDATE_PACE, as above. */
  summaryUpdateLimiter?: ChannelLimiter;
  /** For response_url and file uploads. Default: createUrlPoster(). */
  post?: UrlPoster;
  /** The Slack client's per-request timeout (ms), used for response_url and uploads too. Default 10 s. */
  callTimeoutMs?: number;
  /** Clock of the shared pauses; default the database's (see store.ts, "Time"). */
  now?: () => Date;
  log?: Logger;
}

/**
 * Slack's Tier 3 allows 50 chat.update calls a minute per workspace
 * (https://api.slack.com/apis/rate-limits, https://api.slack.com/methods/chat.update). A burst of
 * 5 plus 40 a minute stays under 50 in any minute with room for timing jitter. The 40 are shared
 * out: 12 (burst 2) for summaries (lane 'summary': a storm's summary, which stands for hundreds of
 * groups, must not queue behind their escalation updates) and 28 (burst 3) for the rest. Shared by
 * every replica through the database, like the post pace; the shared Retry-After pauses are the
 * backstop should Slack count differently.
 */
export const UPDATES_PER_MINUTE = 28;
export const UPDATE_BURST = 3;
export const SUMMARY_UPDATES_PER_MINUTE = 12;
export const SUMMARY_UPDATE_BURST = 2;
/** chat.postMessage: "generally one message per second per channel" (rate-scope.ts). */
export const POST_PACE: PaceRate = { perSecond: 1, burst: 1 };
export const UPDATE_PACE: PaceRate = { perSecond: UPDATES_PER_MINUTE / 60, burst: UPDATE_BURST };
export const SUMMARY_UPDATE_PACE: PaceRate = {
  perSecond: SUMMARY_UPDATES_PER_MINUTE / 60,
  burst: SUMMARY_UPDATE_BURST,
};
/** Methods paced for the whole workspace (their tier counts every channel together). */
const WORKSPACE_PACED = new Set(['chat.update']);

/**
 * A Deliverer for the rows written for Slack.
 * deadlineMs = callTimeoutMs × the most calls any kind makes per row (MAX_CALLS_PER_ROW).
 */
export function createSlackDeliverer(opts: SlackDelivererOptions): Deliverer {
  const { client, log } = opts;
  const paceOf = (given: ChannelLimiter | undefined, rate: PaceRate): SlackPace =>
    given
      ? memoryPace(given)
      : opts.pool
        ? databasePace(opts.pool, rate, () => opts.now?.() ?? null)
        : memoryPace(new ChannelLimiter(rate));
  const postPace = paceOf(opts.limiter, POST_PACE);
  const updatePace = paceOf(opts.updateLimiter, UPDATE_PACE);
  const summaryUpdatePace = paceOf(opts.summaryUpdateLimiter, SUMMARY_UPDATE_PACE);
  const post = opts.post ?? createUrlPoster();
  const callTimeoutMs = opts.callTimeoutMs ?? 10_000;
  const pauses =
    opts.pauses ?? (opts.pool ? databaseRatePauses(opts.pool, () => opts.now?.() ?? null) : undefined);
  if (!pauses) throw new Error('createSlackDeliverer: pass pool (or pauses) to share rate-limit pauses');
  const imChannels = new Map<string, string>();

  /** The Slack calls of delivering `row`, each under `deadline` (the delivery's signal). */
  function callsFor(row: OutboxRow, deadline: AbortSignal): SlackCalls {
    async function call<T>(
      method: string,
      channel: string | undefined,
      fn: () => Promise<T>,
      opts: { lane?: UpdateLane } = {},
    ): Promise<T> {
      const scope = rateScope(method, channel);
      const paused = await pauses!.remaining(scope);
      if (paused > 0)
        throw new DeferredError(
          paused,
          'paused',
          `slack ${method}: Slack asked to wait (${scope}); ${Math.ceil(paused / 1000)} s left`,
        );
      // The row keeps its reserved slot across the reschedule (slack-pace.ts).
      const summary = opts.lane === 'summary';
      const wait = WORKSPACE_PACED.has(method)
        ? await (summary ? summaryUpdatePace : updatePace).take(
            summary ? `${method}:summary` : method,
            row.id,
          )
        : 0;
      if (wait > 0)
        throw new DeferredError(wait, 'paced', `slack ${method}: next workspace slot in ${wait} ms`);
      try {
        return await withDeadline(deadline, fn);
      } catch (err) {
        const e = translate(method, err);
        if (e instanceof RetryAfterError) {
          await pauses!
            .pause(scope, e.seconds * 1000, `429 on ${method}`)
            .catch((dbErr: unknown) =>
              log?.warn({ err: dbErr, scope }, 'outbox: could not record a rate-limit pause'),
            );
        }
        throw e;
      }
    }

    async function pace(row: OutboxRow, channel: string): Promise<void> {
      const wait = await postPace.take(rateScope('chat.postMessage', channel), row.id);
      if (wait > 0)
        throw new DeferredError(wait, 'paced', `channel ${channel}: next post slot in ${wait} ms`);
    }

    async function postOnce(
      row: OutboxRow,
      channel: string,
      m: { text: string; blocks?: unknown[]; threadTs?: string },
    ): Promise<{ channel: string; ts: string }> {
      await pace(row, channel);
      if (row.attempts > 1) {
        const earlier = await findEarlierPost({ client, call, log }, row, channel, m.threadTs);
        if (earlier) return earlier;
      }
      const res = await call('chat.postMessage', channel, () =>
        client.chat.postMessage({
          channel,
          text: m.text,
          ...(m.blocks ? { blocks: m.blocks as never } : {}),
          ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
          metadata: { event_type: OUTBOX_METADATA_EVENT, event_payload: { outbox_id: row.id } },
        }),
      );
      if (!res.ts) throw new TransientError('slack chat.postMessage: answer without ts');
      return { channel: res.channel ?? channel, ts: res.ts };
    }

    async function imChannel(user: string): Promise<string> {
      const known = imChannels.get(user);
      if (known) return known;
      const res = await call('conversations.open', undefined, () =>
        client.conversations.open({ users: user }),
      );
      const id = res.channel?.id;
      if (!id) throw new TransientError('slack conversations.open: answer without a channel');
      imChannels.set(user, id);
      return id;
    }

    async function postTo(
      url: string,
      body: { json: unknown } | { bytes: Buffer },
      what: string,
    ): Promise<{ status: number; text: string }> {
      const signal = AbortSignal.any([AbortSignal.timeout(callTimeoutMs), deadline]);
      try {
        return await post(url, body, signal);
      } catch (err) {
        throw new TransientError(`${what}: ${(err as Error).message}`);
      }
    }

    return {
      client,
      call,
      pace,
      postOnce: postOnce as SlackCalls['postOnce'],
      imChannel,
      postTo,
    };
  }

  return {
    transport: 'slack',
    deadlineMs: callTimeoutMs * MAX_CALLS_PER_ROW,
    async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
      const kind = slackKindOf(row.kind);
      if (!kind) throw new PermanentError(`no Slack delivery for kind ${row.kind}`);
      const parsed = kind.payload.safeParse(row.payload);
      if (!parsed.success)
        throw new PermanentError(`${row.kind}: bad payload: ${z.prettifyError(parsed.error)}`);
      return kind.slack(row, parsed.data, callsFor(row, ctx.signal), ctx);
    },
    async probe(signal: AbortSignal): Promise<void> {
      await withDeadline(signal, async () => {
        try {
          await client.auth.test();
        } catch (err) {
          throw translate('auth.test', err);
        }
      });
    },
  };
}

// Storm control (issue 9 item 8): a channel that gets more new alert groups than Slack can show at
// about one post per second gets ONE summary message instead (views/alert-storm.ts), and the new
// groups are folded into it until the storm is over (the rule and its numbers: domain/alert-storm.ts).
//
// Two halves:
// - foldNewGroups, inside the intake's transaction: decides per channel which new groups are posted
//   and which are folded; a new storm writes its summary's slack.post (ref alert-storm:<id>) in the
//   same transaction. Folding writes no Slack row, so a burst of 500 groups costs one post.
// - refreshStormSummaries, from the storm job (every STORM_REFRESH_MS): one slack.update per storm
//   whose summary is behind, keyed alert-storm:<id>:v<version>, and only once the storm's previous
//   message has left the outbox: updates coalesce however fast groups come, and a crash between the
//   write and its delivery writes nothing twice (the key). Nothing is dropped: every folded group is
//   stored, counted and listed by id in the summary.
import type { AppContext } from '../../core/context.ts';
import {
  channelState,
  createStorm,
  foldGroups,
  lockChannels,
  markShown,
  stormContents,
  stormsToRefresh,
  type StormRow,
} from '../../db/alert-storms.ts';
import type { GroupRow } from '../../db/alerts.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import { groupsToPost, STORM_REFRESH_MS, STORM_WINDOW_MS, stormOver } from '../../domain/alert-storm.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import type { OutboxItem } from '../../outbox/kinds/index.ts';
import { alertStormMessage, alertStormRef, STORM_TOP_GROUPS } from '../../views/alert-storm.ts';

type Ctx = Pick<AppContext, 'config' | 'pool' | 'clock' | 'log' | 'outboxTransport'>;

export interface Folded {
  /** Ids of the groups folded into a storm: they get no message of their own. */
  folded: Set<string>;
  /** The summary posts of storms this request started. */
  items: OutboxItem[];
}

/**
 * The summary's message as it is now (read inside `db`'s transaction): a slack.post of a new storm,
 * or a slack.update keyed by `version` (and `:over` once the storm is over, see stormOver).
 */
export async function summaryItem(
  db: Queryable,
  ctx: Pick<AppContext, 'config'>,
  storm: Pick<StormRow, 'id' | 'channel' | 'started_at' | 'last_group_at' | 'group_count'>,
  version: number,
  now: Date,
  kind: 'post' | 'update',
): Promise<{ item: OutboxItem; over: boolean }> {
  const contents = await stormContents(db, storm.id, STORM_TOP_GROUPS);
  const over = kind === 'update' && stormOver(storm.last_group_at, now);
  const message = alertStormMessage(
    {
      ...contents,
      id: storm.id,
      startedAt: storm.started_at,
      lastGroupAt: storm.last_group_at,
      groupCount: contents.ids.length,
      over,
    },
    ctx.config.locale,
    ctx.config.timezone,
    now,
  );
  const ref = alertStormRef(storm.id);
  const item: OutboxItem =
    kind === 'post'
      ? {
          kind: 'slack.post',
          orderingKey: ref,
          idempotencyKey: `${ref}:post`,
          payload: { channel: storm.channel, ref, ...message },
        }
      : {
          kind: 'slack.update',
          orderingKey: ref,
          idempotencyKey: `${ref}:v${version}${over ? ':over' : ''}`,
          // Paced in the summaries' share of chat.update (outbox/slack-deliverer.ts).
          payload: { ref, ...message, lane: 'summary' },
        };
  return { item, over };
}

/**
 * Inside the intake's transaction: folds the request's new groups (`created`: those that would get
 * a message of their own) into their channel's storm where the channel is over its pace. Locks each
 * channel it reads until COMMIT (db/alert-storms.ts lockChannels).
 */
export async function foldNewGroups(
  tx: Queryable,
  ctx: Ctx,
  created: readonly GroupRow[],
  now: Date,
): Promise<Folded> {
  const out: Folded = { folded: new Set(), items: [] };
  if (created.length === 0) return out;
  const byChannel = new Map<string, GroupRow[]>();
  for (const g of [...created].sort((a, b) => Number(a.id) - Number(b.id)))
    byChannel.set(g.channel, [...(byChannel.get(g.channel) ?? []), g]);
  const channels = [...byChannel.keys()].sort();
  await lockChannels(tx, channels);
  const since = new Date(now.getTime() - STORM_WINDOW_MS);
  for (const channel of channels) {
    const groups = byChannel.get(channel)!;
    const ids = groups.map((g) => g.id);
    const state = await channelState(tx, channel, since, ids);
    const post = groupsToPost({
      recent: state.recent,
      stormActive: state.stormId !== null,
      incoming: ids.length,
    });
    const fold = ids.slice(post);
    if (fold.length === 0) continue;
    const started = state.stormId === null;
    const stormId = state.stormId ?? (await createStorm(tx, channel, now));
    const version = await foldGroups(tx, stormId, fold, now);
    for (const id of fold) out.folded.add(id);
    if (started) {
      const storm = { id: stormId, channel, started_at: now, last_group_at: now, group_count: fold.length };
      const { item } = await summaryItem(tx, ctx, storm, version, now, 'post');
      out.items.push(item);
      await markShown(tx, stormId, version, now, false);
      ctx.log.warn(
        { channel, storm: stormId, folded: fold.length },
        'alerts: storm started; new groups are folded',
      );
    }
  }
  return out;
}

/**
 * Writes one slack.update per storm whose summary is behind and free to move (see stormsToRefresh),
 * and the last one saying the storm is over. Run by the storm job; safe on every replica at once.
 * @returns the ids of the storms updated.
 */
export async function refreshStormSummaries(ctx: Ctx, now: Date): Promise<string[]> {
  return withTransaction(ctx.pool, async (tx) => {
    const storms = await stormsToRefresh(
      tx,
      new Date(now.getTime() - STORM_REFRESH_MS),
      new Date(now.getTime() - STORM_WINDOW_MS),
      ctx.outboxTransport,
    );
    for (const s of storms) {
      const { item, over } = await summaryItem(tx, ctx, s, s.version, now, 'update');
      await enqueue(tx, item, ctx.outboxTransport);
      await markShown(tx, s.id, s.version, now, over);
      if (over)
        ctx.log.info({ channel: s.channel, storm: s.id, groups: s.group_count }, 'alerts: storm over');
    }
    return storms.map((s) => s.id);
  });
}

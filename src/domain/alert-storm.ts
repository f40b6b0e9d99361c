// Alert storms: when a channel gets more new alert groups than Slack can show, the new groups are
// folded into one storm summary per channel instead of being posted one by one (issue 9 item 8).
//
// Why these numbers: Slack takes about one chat.postMessage per second per channel
// (https://api.slack.com/methods/chat.postMessage, "Rate limits": "1 per second" with short bursts),
// and the outbox paces each channel to that (integrations/slack/channel-limiter.ts). A group's post
// is followed by its updates and thread lines, which share the pace. STORM_THRESHOLD new groups in
// STORM_WINDOW_MS (10 in 30 s: a third of the channel's posts) still leave room for those; one more
// means the channel would fall behind, so from the 11th group on they are folded.

/** More new groups than this in one channel within STORM_WINDOW_MS starts a storm. */
export const STORM_THRESHOLD = 10;
/** The window new groups are counted in; a storm is over when no group joined it for this long. */
export const STORM_WINDOW_MS = 30_000;
/** The summary is updated at most this often (plus the time the previous update takes to deliver). */
export const STORM_REFRESH_MS = 5_000;

/** What a channel looks like when a request opens `incoming` new groups in it. */
export interface ChannelLoad {
  /** Groups shown in the channel (posted or folded) opened within STORM_WINDOW_MS before now. */
  recent: number;
  /** Whether a storm of this channel took a group within STORM_WINDOW_MS before now. */
  stormActive: boolean;
  /** New groups this request opens in the channel, in id order. */
  incoming: number;
}

/**
 * How many of the incoming groups are posted on their own (the first ones); the rest are folded into
 * the channel's storm (the active one, else a new one). During a storm every new group is folded, so
 * a channel never shows a group's own post between the summary and the storm's end.
 */
export function groupsToPost(load: ChannelLoad): number {
  if (load.stormActive) return 0;
  return Math.max(0, Math.min(load.incoming, STORM_THRESHOLD - load.recent));
}

/** Whether the storm whose last group came at `lastGroupAt` is over at `now`. */
export function stormOver(lastGroupAt: Date, now: Date): boolean {
  return now.getTime() - lastGroupAt.getTime() >= STORM_WINDOW_MS;
}

/**
 * Sorted ids (decimal strings) written as ranges: `12–15, 18, 20–21`, so the summary can list every
 * folded group of a storm of hundreds in a few lines.
 */
export function idRanges(ids: readonly string[]): string[] {
  const nums = [...new Set(ids.map(BigInt))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  let i = 0;
  while (i < nums.length) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1n) j++;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}–${nums[j]}`);
    i = j + 1;
  }
  return out;
}

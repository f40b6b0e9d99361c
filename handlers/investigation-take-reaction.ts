// :eyes: on an investigation's post takes it (reaction_added); removing it hands it back to the
// person on duty when the remover holds it (reaction_removed). Every other reaction does nothing.
// Slack's event_ts goes along, so an event delivered after a later one is ignored (services/investigations/take.ts).
import type { EventHandler } from '../src/core/handlers.ts';
import { releaseByReaction, TAKE_REACTION, takeByReaction } from '../src/services/investigations/take.ts';

export const investigationTakeReaction: EventHandler<'reaction_added'> = {
  event: 'reaction_added',
  name: 'investigation.eyes-take',
  async run({ event, key, eventTs }, ctx) {
    // toban's own reactions (and a reaction it might add later) never take or hand back a request.
    if (event.reaction !== TAKE_REACTION || event.userId === ctx.botUserId) return undefined;
    const { userId, item } = event;
    await takeByReaction(ctx, { userId, channelId: item.channelId, ts: item.ts, key, eventTs });
    // The post itself shows who has it now (updated through the outbox): no reply.
    return undefined;
  },
};

export const investigationReleaseReaction: EventHandler<'reaction_removed'> = {
  event: 'reaction_removed',
  name: 'investigation.eyes-release',
  async run({ event, key, eventTs }, ctx) {
    // toban's own reactions (and a reaction it might add later) never take or hand back a request.
    if (event.reaction !== TAKE_REACTION || event.userId === ctx.botUserId) return undefined;
    const { userId, item } = event;
    await releaseByReaction(ctx, { userId, channelId: item.channelId, ts: item.ts, key, eventTs });
    return undefined;
  },
};

// :eyes: on an investigation's post takes it (reaction_added); removing it hands it back to the
// person on duty when the remover holds it (reaction_removed). Every other reaction does nothing.
//
// Typed as EventHandler (all events) and narrowed by `event.type`: the contract's
// EventHandler<'reaction_added'> is `never` today, since SlackEvent declares both reaction events in
// one member whose `type` is a union, which Extract<SlackEvent, { type: 'reaction_added' }> drops.
import type { EventHandler } from '../src/core/handlers.ts';
import { releaseByReaction, TAKE_REACTION, takeByReaction } from '../src/services/investigations/take.ts';

export const investigationTakeReaction: EventHandler = {
  event: 'reaction_added',
  name: 'investigation.eyes-take',
  async run({ event, key }, ctx) {
    if (event.type !== 'reaction_added' || event.reaction !== TAKE_REACTION) return undefined;
    const { userId, item } = event;
    await takeByReaction(ctx, { userId, channelId: item.channelId, ts: item.ts, key });
    // The post itself shows who has it now (updated through the outbox): no reply.
    return undefined;
  },
};

export const investigationReleaseReaction: EventHandler = {
  event: 'reaction_removed',
  name: 'investigation.eyes-release',
  async run({ event, key }, ctx) {
    if (event.type !== 'reaction_removed' || event.reaction !== TAKE_REACTION) return undefined;
    const { userId, item } = event;
    await releaseByReaction(ctx, { userId, channelId: item.channelId, ts: item.ts, key });
    return undefined;
  },
};

// The Accept button on a cover request's post: the presser takes the period (the first one to press).
// The post is updated and the requester told through the outbox; the presser gets a reply.
import type { ActionHandler } from '../src/core/handlers.ts';
import { acceptCover } from '../src/services/rotations/cover.ts';
import { COVER_ACCEPT_ACTION, coverAcceptedView } from '../src/views/rotations.ts';

export const oncallCoverAccept: ActionHandler = {
  actionId: COVER_ACCEPT_ACTION,
  async run(action, ctx) {
    const { request } = await acceptCover(ctx, {
      requestId: action.value ?? '',
      userId: action.userId,
      ...(action.key ? { key: action.key } : {}),
    });
    return { reply: coverAcceptedView(request, action.locale, ctx.config.timezone, ctx.clock.now()) };
  },
};

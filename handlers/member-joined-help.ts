// Someone joins one of toban's channels (config.channels): an ephemeral note, only to them, on what
// toban does there and which commands help. Other channels, and the bot's own joining, get nothing.
import type { EventHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { textReply } from '../src/views/common.ts';

type ChannelRole = 'alerts' | 'investigations' | 'incidents' | 'finance';
const ROLES: readonly ChannelRole[] = ['alerts', 'investigations', 'incidents', 'finance'];

export const memberJoinedHelp: EventHandler<'member_joined_channel'> = {
  event: 'member_joined_channel',
  name: 'member-joined.help',
  async run(inv, ctx) {
    const { userId, channelId } = inv.event;
    // The bot joining a channel (conversations.join before a post) is delivered too.
    if (ctx.botUserId !== undefined && userId === ctx.botUserId) return undefined;
    const role = ROLES.find((r) => ctx.config.channels[r] === channelId);
    if (!role) return undefined;
    return textReply(t(inv.locale, `joined.${role}`, { user: userId }));
  },
};

// Rotation messages: an override set, a cover request's post (with its Accept button) and what it
// becomes once accepted, the DM to the requester. Pure: (model, locale, zone) -> message.
import type { FeedLink } from '../services/rotations/calendar.ts';
import type { KnownBlock } from '@slack/types';
import type { Message, Reply } from '../core/command.ts';
import type { Override } from '../domain/override.ts';
import { t, type Locale } from '../i18n/index.ts';
import { section } from './common.ts';
import { formatInstant } from './time.ts';

/** The action_id of a cover request's Accept button (handlers/oncall-cover-accept.ts). */
export const COVER_ACCEPT_ACTION = 'oncall.cover_accept';

export interface CoverModel {
  id: string;
  rotationName: string;
  requester: string;
  start: Date;
  end: Date;
  acceptedBy?: string | null;
}

/** A period's two ends; `now` (the clock's) decides whether they show their year. */
const period = (p: { start: Date; end: Date }, zone: string, locale: Locale, now: Date) => ({
  from: formatInstant(p.start, zone, locale, now),
  to: formatInstant(p.end, zone, locale, now),
});

export function overrideSetView(
  o: Override,
  rotationName: string,
  created: boolean,
  locale: Locale,
  zone: string,
  now: Date,
): Reply {
  const text = t(locale, created ? 'rotations.override_set' : 'rotations.override_set_before', {
    user: o.userId,
    rotation: rotationName,
    ...period(o, zone, locale, now),
  });
  return {
    visibility: 'ephemeral',
    message: { text, blocks: [section(text)] },
    model: {
      override: {
        id: o.id,
        rotation: o.rotationId,
        user: o.userId,
        from: o.start.toISOString(),
        to: o.end.toISOString(),
        created,
      },
    },
  };
}

/** The cover request's post in the rotation's channel: open with an Accept button, or accepted. */
export function coverPost(c: CoverModel, locale: Locale, zone: string, now: Date): Required<Message> {
  const params = { rotation: c.rotationName, requester: c.requester, ...period(c, zone, locale, now) };
  if (c.acceptedBy) {
    const text = t(locale, 'rotations.cover_accepted_post', { ...params, user: c.acceptedBy });
    return { text, blocks: [section(text)] };
  }
  const text = t(locale, 'rotations.cover_post', params);
  const blocks: KnownBlock[] = [
    section(text),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: COVER_ACCEPT_ACTION,
          value: c.id,
          style: 'primary',
          text: { type: 'plain_text', text: t(locale, 'rotations.cover_accept_button') },
        },
      ],
    },
  ];
  return { text, blocks };
}

/** To the requester: who accepted their cover request. */
export function coverAcceptedDm(
  c: CoverModel & { acceptedBy: string },
  locale: Locale,
  zone: string,
  now: Date,
): Message {
  const text = t(locale, 'rotations.cover_accepted_dm', {
    user: c.acceptedBy,
    rotation: c.rotationName,
    ...period(c, zone, locale, now),
  });
  return { text, blocks: [section(text)] };
}

export function coverPostedView(
  c: CoverModel,
  channel: string,
  locale: Locale,
  zone: string,
  now: Date,
): Reply {
  const text = t(locale, 'rotations.cover_posted', {
    channel,
    rotation: c.rotationName,
    ...period(c, zone, locale, now),
  });
  return {
    visibility: 'ephemeral',
    message: { text, blocks: [section(text)] },
    model: { cover: { id: c.id, channel, from: c.start.toISOString(), to: c.end.toISOString() } },
  };
}

export function coverAcceptedView(c: CoverModel, locale: Locale, zone: string, now: Date): Reply {
  const text = t(locale, 'rotations.cover_accepted_reply', {
    rotation: c.rotationName,
    ...period(c, zone, locale, now),
  });
  return {
    visibility: 'ephemeral',
    message: { text, blocks: [section(text)] },
    model: { cover: { id: c.id } },
  };
}

/** `/oncall calendar`: the person's new feed URL (or only its path, without TOBAN_PUBLIC_URL). */
export function feedLinkView(link: FeedLink, rotationName: string | undefined, locale: Locale): Reply {
  const lines = [
    rotationName
      ? t(locale, 'rotations.feed_link', { rotation: rotationName })
      : t(locale, 'rotations.feed_link_mine'),
    `\`${link.url ?? link.path}\``,
    ...(link.url ? [] : [t(locale, 'rotations.feed_no_public_url')]),
    t(locale, 'rotations.feed_secret'),
  ];
  const text = lines.join('\n');
  return {
    visibility: 'ephemeral',
    message: { text, blocks: [section(text)] },
    model: { feed: link.url ?? link.path },
  };
}

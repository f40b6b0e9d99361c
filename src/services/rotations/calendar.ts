// Calendar feeds (iCal, RFC 5545): a rotation's shifts, or one person's over every rotation, for a
// calendar app to subscribe to. `/oncall calendar [rotation]` issues the person a secret URL (a
// random token, stored only as its SHA-256, one per person and feed: asking again replaces it); the
// HTTP route (src/http/calendar.ts) serves the feed to whoever holds the token. The shifts are the
// resolver's (dutyBetween): the shift history for the past, the schedule from now, overrides in.
import crypto from 'node:crypto';
import icalGenerator from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import type { AppContext } from '../../core/context.ts';
import { feedOfToken, saveFeedToken } from '../../db/calendar-feeds.ts';
import type { DutyShift } from '../../domain/override.ts';
import type { Rotation } from '../../domain/rotation.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { within } from '../budget.ts';
import { dutyBetween } from './resolver.ts';

type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool' | 'directory'>;

/** The feed of a person's own shifts: its path segment, and the `feed` its tokens are stored under. */
export const MY_FEED = 'me';
/** How far back and ahead a feed lists shifts, in days. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 90;
/** How long the names in a feed may hold it up before user ids stand in. */
const NAME_WAIT_MS = 300;
/** 32 random bytes in base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): Buffer => crypto.createHash('sha256').update(token, 'utf8').digest();

/** The path (and, with TOBAN_PUBLIC_URL, the URL) of a feed for its token. */
export interface FeedLink {
  path: string;
  url?: string;
}

/**
 * Issues `userId` a new token for a rotation's feed (or, without one, their own shifts), replacing
 * the one they had, and answers where the feed is.
 */
export async function issueFeedLink(ctx: Ctx, userId: string, rotation?: Rotation): Promise<FeedLink> {
  const token = crypto.randomBytes(32).toString('base64url');
  const feed = rotation ? rotation.id : '';
  await saveFeedToken(ctx.pool, { userId, feed, tokenHash: hashOf(token), at: ctx.clock.now() });
  const path = `/oncall/${rotation ? rotation.id : MY_FEED}.ics?token=${token}`;
  const base = ctx.config.env.publicUrl;
  return base ? { path, url: base + path } : { path };
}

/**
 * The iCalendar text of a feed (`rotationId`: a rotation's, undefined: the token holder's own), or
 * undefined when the token does not open that feed (missing, wrong, another feed's, or a rotation no
 * longer in toban.yml): the caller answers 404 alike, so nobody learns which rotations exist.
 */
export async function calendarFeed(
  ctx: Ctx,
  req: { rotationId?: string; token?: string },
): Promise<string | undefined> {
  if (!req.token || !TOKEN_PATTERN.test(req.token)) return undefined;
  const holder = await feedOfToken(ctx.pool, hashOf(req.token));
  if (!holder || holder.feed !== (req.rotationId ?? '')) return undefined;
  const rotations = req.rotationId
    ? ctx.config.rotations.filter((r) => r.id === req.rotationId)
    : ctx.config.rotations;
  if (req.rotationId && rotations.length === 0) return undefined;
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - FEED_DAYS_BACK * 86_400_000);
  const to = new Date(now.getTime() + FEED_DAYS_AHEAD * 86_400_000);
  const each = await Promise.all(
    rotations.map(async (rot) => ({
      rot,
      shifts: (await dutyBetween(ctx, rot, from, to)).filter(
        (s) =>
          s.end.getTime() > from.getTime() &&
          s.start.getTime() >= firstHandoff(rot).getTime() &&
          (req.rotationId || s.userId === holder.userId),
      ),
    })),
  );
  const locale = (await within(ctx.directory.userLocale(holder.userId), NAME_WAIT_MS)) ?? ctx.config.locale;
  const people = [...new Set(each.flatMap((e) => e.shifts.map((s) => s.userId)))];
  const names = new Map(
    await Promise.all(
      people.map(async (u) => [u, (await within(ctx.directory.userName(u), NAME_WAIT_MS)) ?? u] as const),
    ),
  );
  const name = req.rotationId
    ? t(locale, 'rotations.feed_name', { rotation: rotations[0]!.name })
    : t(locale, 'rotations.feed_name_mine');
  return feedText(each, { name, locale, now, names });
}

/**
 * The rotation's first handoff (its `start` day at its handoff time, on its clock). The time before it
 * is no shift of anyone's: it is left out of the feed, whose window would otherwise cut it at a
 * different instant on every fetch (and give its event a new UID each time).
 */
function firstHandoff(rot: Rotation): Date {
  return DateTime.fromISO(rot.start, { zone: rot.timeZone })
    .set({ hour: rot.handoff.hour, minute: rot.handoff.minute })
    .toJSDate();
}

/** Stable across fetches: the rotation, the shift's start and its person name one event. */
export const eventUid = (s: Pick<DutyShift, 'rotationId' | 'start' | 'userId'>): string =>
  `${s.rotationId}-${s.start.toISOString().replace(/[-:]|\.\d+/g, '')}-${s.userId}@toban`;

function feedText(
  each: { rot: Rotation; shifts: DutyShift[] }[],
  o: { name: string; locale: Locale; now: Date; names: Map<string, string> },
): string {
  const cal = icalGenerator({
    prodId: { company: 'toban', product: 'oncall', language: o.locale.toUpperCase() },
    name: o.name,
    // A VTIMEZONE for each zone the events name (RFC 5545 3.2.19: a TZID must have one). No
    // calendar-wide zone: ical-generator would then write DTSTAMP on that zone's clock, which RFC 5545
    // 3.8.7.2 requires in UTC.
    timezone: { name: null, generator: (tz) => getVtimezoneComponent(tz) },
  });
  for (const { rot, shifts } of each)
    for (const s of shifts) {
      const person = o.names.get(s.userId) ?? s.userId;
      const held = s.override
        ? t(o.locale, s.override.kind === 'cover' ? 'rotations.feed_cover' : 'rotations.feed_override', {
            user: o.names.get(s.scheduledUserId) ?? s.scheduledUserId,
          })
        : '';
      cal.createEvent({
        id: eventUid(s),
        // Luxon DateTimes: ical-generator writes them on the zone's wall clock (a Date would be
        // written on the process's own).
        start: DateTime.fromJSDate(s.start, { zone: rot.timeZone }),
        end: DateTime.fromJSDate(s.end, { zone: rot.timeZone }),
        timezone: rot.timeZone,
        stamp: DateTime.fromJSDate(o.now, { zone: 'utc' }),
        summary: t(o.locale, 'rotations.feed_summary', { rotation: rot.name, user: person }) + held,
      });
    }
  return cal.toString();
}

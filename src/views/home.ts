// The App Home tab: what the person holds now, their next shifts, their overrides, then who is on
// duty now in each rotation. `now` (the clock's, passed in) decides which dates show their year.
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';
import type { Override } from '../domain/override.ts';
import type { Shift } from '../domain/rotation.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Held } from '../services/held.ts';
import type { RotationNow } from '../services/rotations/resolver.ts';
import { dutyLine } from './oncall.ts';
import { divider, header, section, sections } from './common.ts';
import { formatInstant } from './time.ts';

export interface HomeModel {
  /** The person's own shifts, soonest first. */
  mine: (Shift & { rotationName: string })[];
  /** Overrides the person holds or set that have not ended, soonest first. */
  overrides?: (Override & { rotationName: string })[];
  rotations: RotationNow[];
  /** What the person holds now (services/held.ts), soonest deadline first. */
  holding?: Held[];
}

/** mrkdwn's three control characters, escaped so a customer's name shows as typed. */
const escaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One held thing as the home tab lists it. */
function heldLine(h: Held, locale: Locale, tz: string, now: Date): string {
  if (h.kind === 'alert')
    return t(locale, 'home.holding_alert', {
      id: h.id,
      title: escaped(h.title.length > 150 ? `${h.title.slice(0, 149)}…` : h.title),
      at: formatInstant(h.acknowledgedAt, tz, locale, now),
    });
  // Waiting for the customer: the deadline is paused, so the line says since when instead.
  if (h.status === 'waiting')
    return t(locale, 'home.holding_investigation_waiting', {
      id: h.ref,
      since: h.waitingSince ? formatInstant(h.waitingSince, tz, locale, now) : '-',
      customer: escaped(h.customer),
    });
  return t(locale, 'home.holding_investigation', {
    id: h.ref,
    status: t(locale, `home.holding_status.${h.status}`),
    deadline: formatInstant(h.deadline, tz, locale, now),
    customer: escaped(h.customer),
  });
}

/** Who is on duty in each rotation now, one line each (also the app_mention reply). */
export function onDutyLines(rotations: RotationNow[], locale: Locale, tz: string, now: Date): string[] {
  return rotations.map((r) =>
    r.current
      ? t(locale, 'home.rotation_now', {
          rotation: r.name,
          user: r.current.userId,
          until: formatInstant(r.current.end, tz, locale, now),
        }) + dutyLine(r.current, locale)
      : r.offHours
        ? t(locale, 'rotations.off_hours', {
            rotation: r.name,
            at: r.offHours.resumesAt ? formatInstant(r.offHours.resumesAt, tz, locale, now) : '-',
          })
        : t(locale, 'home.rotation_nobody', { rotation: r.name }),
  );
}

/** One override as the home tab lists it: who holds which rotation when (and for whom). */
function overrideLine(o: Override & { rotationName: string }, locale: Locale, tz: string, now: Date): string {
  return t(locale, 'rotations.home_override', {
    from: formatInstant(o.start, tz, locale, now),
    to: formatInstant(o.end, tz, locale, now),
    rotation: o.rotationName,
    user: o.userId,
  });
}

export function homeView(
  model: HomeModel,
  locale: Locale,
  tz: string,
  now: Date,
): Required<Pick<Message, 'blocks' | 'text'>> {
  const mine = model.mine.map((s) =>
    t(locale, 'home.shift', {
      from: formatInstant(s.start, tz, locale, now),
      to: formatInstant(s.end, tz, locale, now),
      rotation: s.rotationName,
    }),
  );
  const onDuty =
    model.rotations.length > 0
      ? onDutyLines(model.rotations, locale, tz, now)
      : [t(locale, 'home.no_rotations')];
  const mineText = mine.length > 0 ? mine : [t(locale, 'home.no_shifts')];
  const overrides = (model.overrides ?? []).map((o) => overrideLine(o, locale, tz, now));
  const overridesText = overrides.length > 0 ? overrides : [t(locale, 'rotations.home_no_overrides')];
  const holding = (model.holding ?? []).map((h) => heldLine(h, locale, tz, now));
  const holdingText = holding.length > 0 ? holding : [t(locale, 'home.holding_nothing')];
  const blocks: KnownBlock[] = [
    header(t(locale, 'home.title')),
    section(t(locale, 'home.holding_title')),
    ...sections(holdingText),
    section(t(locale, 'home.your_shifts')),
    ...sections(mineText),
    section(t(locale, 'rotations.home_your_overrides')),
    ...sections(overridesText),
    divider,
    section(t(locale, 'home.on_duty_now')),
    ...sections(onDuty),
  ];
  const text = [
    t(locale, 'home.title'),
    t(locale, 'home.holding_title'),
    ...holdingText,
    t(locale, 'home.your_shifts'),
    ...mineText,
    t(locale, 'rotations.home_your_overrides'),
    ...overridesText,
    t(locale, 'home.on_duty_now'),
    ...onDuty,
  ].join('\n');
  return { text, blocks };
}

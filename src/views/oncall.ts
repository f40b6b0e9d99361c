// /oncall replies: now per rotation with the next handoff; one rotation's next shifts.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../core/command.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { RotationNow, ShownShift } from '../services/rotations/resolver.ts';
import { context, header, section, sections } from './common.ts';
import { SLACK_LIMITS } from './limits.ts';
import { formatInstant } from './time.ts';

/** What follows a shift's person when an override holds it: " (cover for @them)", else ''. */
export function dutyLine(s: ShownShift, locale: Locale): string {
  if (!s.override || !s.scheduledUserId) return '';
  return t(locale, s.override.kind === 'cover' ? 'rotations.cover_mark' : 'rotations.override_mark', {
    user: s.scheduledUserId,
  });
}

/** A rotation's "now" line and its "next handoff" line ('' when there is none). */
function rotationLines(r: RotationNow, locale: Locale, tz: string, clockNow: Date): [string, string] {
  const when = (at: Date) => formatInstant(at, tz, locale, clockNow);
  const now = r.current
    ? t(locale, 'oncall.now', {
        rotation: r.name,
        user: r.current.userId,
        until: when(r.current.end),
      }) + dutyLine(r.current, locale)
    : r.offHours
      ? t(locale, 'rotations.off_hours', {
          rotation: r.name,
          at: r.offHours.resumesAt ? when(r.offHours.resumesAt) : '-',
        })
      : `*${r.name}*: -`;
  const next = r.next
    ? t(locale, 'oncall.next', { at: when(r.next.start), user: r.next.userId }) + dutyLine(r.next, locale)
    : '';
  return [now, next];
}

/** `now`: the clock's, so that a handoff in another year shows its year (omitted: never shown). */
export function oncallNowView(rotations: RotationNow[], locale: Locale, tz: string, now: Date): Reply {
  if (rotations.length === 0) {
    const text = t(locale, 'oncall.none');
    return { visibility: 'ephemeral', message: { text, blocks: [section(text)] }, model: { rotations: [] } };
  }
  const title = t(locale, 'oncall.title');
  const texts = rotations.map((r) => rotationLines(r, locale, tz, now));
  // A rotation takes two blocks (its section with a button, the next handoff in grey), one when
  // that many would not fit in a message (50 blocks); beyond that, the last rotations are listed
  // as plain lines, without a button.
  const compact = 1 + 2 * rotations.length > SLACK_LIMITS.blocksPerMessage;
  let withButton = rotations.length;
  let rest: KnownBlock[] = [];
  if (compact) {
    withButton = Math.min(rotations.length, SLACK_LIMITS.blocksPerMessage - 1);
    for (;;) {
      rest = sections(texts.slice(withButton).map(([now, next]) => (next ? `${now}\n${next}` : now)));
      if (withButton === 0 || 1 + withButton + rest.length <= SLACK_LIMITS.blocksPerMessage) break;
      withButton--;
    }
  }
  const blocks: KnownBlock[] = [header(title)];
  rotations.slice(0, withButton).forEach((r, i) => {
    const [now, next] = texts[i]!;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: compact && next ? `${now}\n${next}` : now },
      accessory: {
        type: 'button',
        action_id: 'oncall.details',
        value: r.id,
        text: { type: 'plain_text', text: t(locale, 'oncall.details_button') },
      },
    });
    if (next && !compact) blocks.push(context(next));
  });
  blocks.push(...rest);
  const lines = [title, ...texts.flat()];
  return {
    visibility: 'ephemeral',
    message: { text: lines.filter(Boolean).join('\n'), blocks },
    model: {
      rotations: rotations.map((r) => ({
        id: r.id,
        name: r.name,
        onDuty: r.current?.userId ?? null,
        ...(r.current?.override ? { override: r.current.override } : {}),
        ...(r.offHours ? { offHours: true } : {}),
        until: r.current?.end.toISOString() ?? null,
        next: r.next ? { user: r.next.userId, at: r.next.start.toISOString() } : null,
      })),
    },
  };
}

/** One rotation's next shifts; `now` as oncallNowView's. */
export function oncallUpcomingView(
  rot: {
    id: string;
    name: string;
    shifts: ShownShift[];
    businessHours?: { from: { hour: number; minute: number }; to: { hour: number; minute: number } };
  },
  locale: Locale,
  tz: string,
  /** The present, so a date in another year shows its year. */
  now: Date,
): Reply {
  const when = (at: Date) => formatInstant(at, tz, locale, now);
  const title = t(locale, 'oncall.upcoming_title', { rotation: rot.name });
  const rows = rot.shifts.map(
    (s) =>
      t(locale, 'oncall.shift', {
        from: when(s.start),
        to: when(s.end),
        user: s.userId,
      }) + dutyLine(s, locale),
  );
  const hm = (w: { hour: number; minute: number }) =>
    `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  const hours = rot.businessHours
    ? t(locale, 'rotations.business_hours', {
        from: hm(rot.businessHours.from),
        to: hm(rot.businessHours.to),
      })
    : '';
  const blocks: KnownBlock[] = [section(title), section(rows.join('\n'))];
  if (hours) blocks.push(context(hours));
  return {
    visibility: 'ephemeral',
    message: { text: [title, ...rows, hours].filter(Boolean).join('\n'), blocks },
    model: {
      rotation: rot.id,
      shifts: rot.shifts.map((s) => ({
        user: s.userId,
        from: s.start.toISOString(),
        to: s.end.toISOString(),
        ...(s.override ? { override: s.override, scheduled: s.scheduledUserId } : {}),
      })),
    },
  };
}

// /oncall replies: now per rotation with the next handoff; one rotation's next shifts.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../core/command.ts';
import type { Shift } from '../domain/rotation.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { RotationNow } from '../services/oncall.ts';
import { context, header, section, sections } from './common.ts';
import { SLACK_LIMITS } from './limits.ts';
import { formatInstant } from './time.ts';

/** A rotation's "now" line and its "next handoff" line ('' when there is none). */
function rotationLines(r: RotationNow, locale: Locale, tz: string, clockNow?: Date): [string, string] {
  // Without the clock's now (a caller not yet passing it), no year is shown, as before.
  const when = (at: Date) => formatInstant(at, tz, locale, clockNow ?? at);
  const now = r.current
    ? t(locale, 'oncall.now', {
        rotation: r.name,
        user: r.current.userId,
        until: when(r.current.end),
      })
    : `*${r.name}*: -`;
  const next = r.next ? t(locale, 'oncall.next', { at: when(r.next.start), user: r.next.userId }) : '';
  return [now, next];
}

/** `now`: the clock's, so that a handoff in another year shows its year (omitted: never shown). */
export function oncallNowView(rotations: RotationNow[], locale: Locale, tz: string, now?: Date): Reply {
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
        until: r.current?.end.toISOString() ?? null,
        next: r.next ? { user: r.next.userId, at: r.next.start.toISOString() } : null,
      })),
    },
  };
}

/** One rotation's next shifts; `now` as oncallNowView's. */
export function oncallUpcomingView(
  rot: { id: string; name: string; shifts: Shift[] },
  locale: Locale,
  tz: string,
  now?: Date,
): Reply {
  const when = (at: Date) => formatInstant(at, tz, locale, now ?? at);
  const title = t(locale, 'oncall.upcoming_title', { rotation: rot.name });
  const rows = rot.shifts.map((s) =>
    t(locale, 'oncall.shift', {
      from: when(s.start),
      to: when(s.end),
      user: s.userId,
    }),
  );
  return {
    visibility: 'ephemeral',
    message: { text: [title, ...rows].join('\n'), blocks: [section(title), section(rows.join('\n'))] },
    model: {
      rotation: rot.id,
      shifts: rot.shifts.map((s) => ({
        user: s.userId,
        from: s.start.toISOString(),
        to: s.end.toISOString(),
      })),
    },
  };
}

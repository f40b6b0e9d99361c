// /oncall replies: now per rotation with the next handoff; one rotation's next shifts.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../app/command.ts';
import type { Shift } from '../domain/rotation.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { RotationNow } from '../services/oncall.ts';
import { context, header, section } from './common.ts';
import { formatInstant } from './time.ts';

export function oncallNowView(rotations: RotationNow[], locale: Locale, tz: string): Reply {
  if (rotations.length === 0) {
    const text = t(locale, 'oncall.none');
    return { visibility: 'ephemeral', message: { text, blocks: [section(text)] }, model: { rotations: [] } };
  }
  const blocks: KnownBlock[] = [header(t(locale, 'oncall.title'))];
  const lines: string[] = [t(locale, 'oncall.title')];
  for (const r of rotations) {
    const now = r.current
      ? t(locale, 'oncall.now', {
          rotation: r.name,
          user: r.current.userId,
          until: formatInstant(r.current.end, tz, locale),
        })
      : `*${r.name}*: -`;
    const next = r.next
      ? t(locale, 'oncall.next', { at: formatInstant(r.next.start, tz, locale), user: r.next.userId })
      : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: now },
      accessory: {
        type: 'button',
        action_id: 'oncall.details',
        value: r.id,
        text: { type: 'plain_text', text: t(locale, 'oncall.details_button') },
      },
    });
    if (next) blocks.push(context(next));
    lines.push(now, next);
  }
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

export function oncallUpcomingView(
  rot: { id: string; name: string; shifts: Shift[] },
  locale: Locale,
  tz: string,
): Reply {
  const title = t(locale, 'oncall.upcoming_title', { rotation: rot.name });
  const rows = rot.shifts.map((s) =>
    t(locale, 'oncall.shift', {
      from: formatInstant(s.start, tz, locale),
      to: formatInstant(s.end, tz, locale),
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

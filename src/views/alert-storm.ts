// A channel's storm summary: one message standing for every alert group folded into the storm,
// updated in place (services/alerts/storm.ts). Counts by service and severity, the worst groups, and
// every group's id so none is out of reach (`/alerts show <id>`), who acknowledged all and the
// escalation step reached, and the **Acknowledge all** button while an open group waits for it
// (services/alerts/storm-escalation.ts). Pure: (model, locale, tz, now) -> Message.
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';
import { idRanges } from '../domain/alert-storm.ts';
import type { StormContents } from '../db/alert-storms.ts';
import { t, type Locale } from '../i18n/index.ts';
import { RESOLVED_EMOJI, SEVERITY_EMOJI } from './alert-group.ts';
import { context, header, section, sections } from './common.ts';
import { escaped } from './investigation.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/** How many groups the summary names with their title. */
export const STORM_TOP_GROUPS = 10;
/** How many service × severity lines it shows (the largest first). */
const COUNT_LINES = 15;

/** The action id of the summary's Acknowledge all button (block_actions); its value is the storm's id. */
export const STORM_ACTIONS = { acknowledgeAll: 'alert.storm_acknowledge_all' } as const;

/** The outbox ref of a storm's summary. */
export function alertStormRef(id: string): string {
  return `alert-storm:${id}`;
}

type StormState = 'unacknowledged' | 'acknowledgedBy' | 'acknowledgedAt' | 'escalationStep';

export interface StormSummary
  extends Omit<StormContents, StormState>, Partial<Pick<StormContents, StormState>> {
  /** The storm's id (the button's value); without it the summary has no button. */
  id?: string;
  startedAt: Date;
  lastGroupAt: Date;
  groupCount: number;
  /** The storm is over: the summary says so and takes no more groups. */
  over: boolean;
}

export function alertStormMessage(s: StormSummary, locale: Locale, tz: string, now: Date): Message {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const text = t(locale, 'alert.storm.fallback', { groups: s.groupCount, since: at(s.startedAt) });
  const blocks: KnownBlock[] = [
    header(t(locale, 'alert.storm.header', { groups: s.groupCount })),
    context(
      s.over
        ? t(locale, 'alert.storm.over', { last: at(s.lastGroupAt) })
        : t(locale, 'alert.storm.intro', { since: at(s.startedAt), last: at(s.lastGroupAt) }),
    ),
  ];
  const counts = s.counts.slice(0, COUNT_LINES).map((c) =>
    t(locale, 'alert.storm.count_line', {
      emoji: SEVERITY_EMOJI[c.severity],
      service: c.service ? escaped(truncate(c.service, 60)) : t(locale, 'alert.storm.no_service'),
      severity: t(locale, `alert.severity.${c.severity}`),
      groups: c.groups,
      open: c.open,
    }),
  );
  const rest = s.counts.slice(COUNT_LINES);
  // The lines left out, summed, so the counts still add up to every group.
  if (rest.length)
    counts.push(
      t(locale, 'alert.storm.count_more', {
        lines: rest.length,
        groups: rest.reduce((n, c) => n + c.groups, 0),
        open: rest.reduce((n, c) => n + c.open, 0),
      }),
    );
  if (counts.length) blocks.push(section([t(locale, 'alert.storm.by_service'), ...counts].join('\n')));
  const top = s.top.map((g) =>
    t(locale, 'alert.storm.top_line', {
      emoji: g.state === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[g.severity],
      id: g.id,
      title: escaped(truncate(g.title, 120)),
      service: g.service ? ` · ${escaped(truncate(g.service, 60))}` : '',
      firing: g.firing_count,
    }),
  );
  if (top.length) blocks.push(section([t(locale, 'alert.storm.top'), ...top].join('\n')));
  if (s.ids.length)
    blocks.push(...sections([t(locale, 'alert.storm.ids', { ids: idRanges(s.ids).join(', ') })]));
  const status: string[] = [];
  if (s.acknowledgedBy && s.acknowledgedAt)
    status.push(t(locale, 'alert.storm.acknowledged', { user: s.acknowledgedBy, at: at(s.acknowledgedAt) }));
  if (s.unacknowledged) status.push(t(locale, 'alert.storm.unacknowledged', { count: s.unacknowledged }));
  if (s.escalationStep) status.push(t(locale, 'alert.storm.escalation', { step: s.escalationStep }));
  if (status.length) blocks.push(context(status.join(' · ')));
  if (s.id && s.unacknowledged)
    blocks.push({
      type: 'actions',
      block_id: alertStormRef(s.id),
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: t(locale, 'alert.storm.button.ack_all'), emoji: true },
          action_id: STORM_ACTIONS.acknowledgeAll,
          value: s.id,
          style: 'primary',
        },
      ],
    });
  return { text, blocks };
}

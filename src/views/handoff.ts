// A handoff as people read it: the announcement in the rotation's channel (who hands over to whom,
// and what is open at that moment) and the DM to the person coming on duty (their shift, in the
// rotation's time zone and, when it differs, the business one). Pure: (model, locale, now) -> message.
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';
import { formatInvestigationId, type Investigation } from '../domain/investigation.ts';
import { t, type Locale } from '../i18n/index.ts';
import { section, sections } from './common.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/** An alert group still firing, as a handoff lists it (alert groups come with issue 9). */
export interface OpenAlertGroup {
  id: string;
  title: string;
}

/** An investigation open or taken at the handoff. */
export type OpenInvestigationItem = Pick<
  Investigation,
  'id' | 'assignee' | 'customer' | 'status' | 'deadline' | 'urgency'
>;

/** What is open at a handoff: the first few of each, and how many investigations there are in all. */
export interface OpenWork {
  alertGroups: readonly OpenAlertGroup[];
  investigations: readonly OpenInvestigationItem[];
  investigationsTotal: number;
}

export interface HandoffModel {
  rotationName: string;
  /** The rotation's IANA time zone: the shift is shown on its wall clock. */
  timeZone: string;
  /** Who held it before. */
  outgoing: string;
  incoming: string;
  reason: 'schedule' | 'override' | 'cover';
  /** Whose turn it is by the schedule (differs from `incoming` under an override or cover). */
  scheduledUserId: string;
  start: Date;
  /** When it ends (or is expected to): the next handoff. */
  end: Date;
  open: OpenWork;
}

/** A customer name shown in a list line: short, on one line. */
const CUSTOMER_CHARS = 60;

function standIn(h: HandoffModel, locale: Locale): string {
  if (h.reason === 'schedule' || h.incoming === h.scheduledUserId) return '';
  return t(locale, h.reason === 'cover' ? 'rotations.handoff_cover' : 'rotations.handoff_override', {
    user: h.scheduledUserId,
  });
}

/** The lines under "Open now": alert groups, then investigations by deadline, then how many more. */
function openLines(open: OpenWork, zone: string, locale: Locale, now: Date): string[] {
  const lines = open.alertGroups.map((g) => t(locale, 'rotations.handoff_alert_group', { title: g.title }));
  for (const inv of open.investigations) {
    const holder = !inv.assignee
      ? t(locale, 'rotations.handoff_unassigned')
      : inv.status === 'taken'
        ? t(locale, 'rotations.handoff_taken_by', { user: inv.assignee })
        : t(locale, 'rotations.handoff_assigned_to', { user: inv.assignee });
    const key =
      inv.urgency === 'urgent' ? 'rotations.handoff_investigation_urgent' : 'rotations.handoff_investigation';
    lines.push(
      t(locale, key, {
        id: formatInvestigationId(inv.id),
        customer: truncate(inv.customer.replace(/\s+/g, ' '), CUSTOMER_CHARS),
        deadline: formatInstant(inv.deadline, zone, locale, now),
        holder,
      }),
    );
  }
  const more = open.investigationsTotal - open.investigations.length;
  if (more > 0) lines.push(t(locale, 'rotations.handoff_more', { count: more }));
  return lines.length > 0 ? lines : [t(locale, 'rotations.handoff_nothing_open')];
}

/**
 * The announcement in the rotation's channel, in the team's `locale`; times in `businessZone` (the
 * channel's readers share it). `now`: the caller's clock (whether dates show their year).
 */
export function handoffAnnouncement(
  h: HandoffModel,
  locale: Locale,
  businessZone: string,
  now: Date,
): Required<Message> {
  const params = {
    rotation: h.rotationName,
    from: h.outgoing,
    to: h.incoming,
    end: formatInstant(h.end, businessZone, locale, now),
    standIn: standIn(h, locale),
  };
  const head = t(locale, 'rotations.handoff_announce', params);
  const open = [t(locale, 'rotations.handoff_open_title'), ...openLines(h.open, businessZone, locale, now)];
  const blocks: KnownBlock[] = [section(head), ...sections(open)];
  return { text: [head, ...open].join('\n'), blocks };
}

/**
 * The DM to the person coming on duty, in their `locale`: their shift on the rotation's wall clock
 * (and on the business one when the zones differ), whom they take over from, what is open.
 */
export function handoffDm(
  h: HandoffModel,
  locale: Locale,
  businessZone: string,
  now: Date,
): Required<Message> {
  const period = (zone: string) => ({
    from: formatInstant(h.start, zone, locale, now),
    to: formatInstant(h.end, zone, locale, now),
    zone,
  });
  const lines = [
    t(locale, 'rotations.handoff_dm', {
      rotation: h.rotationName,
      standIn: standIn(h, locale),
      ...period(h.timeZone),
    }),
  ];
  if (h.timeZone !== businessZone)
    lines.push(t(locale, 'rotations.handoff_dm_business_zone', period(businessZone)));
  if (h.outgoing !== h.incoming) lines.push(t(locale, 'rotations.handoff_dm_from', { user: h.outgoing }));
  const open = [t(locale, 'rotations.handoff_open_title'), ...openLines(h.open, businessZone, locale, now)];
  return { text: [...lines, ...open].join('\n'), blocks: [section(lines.join('\n')), ...sections(open)] };
}

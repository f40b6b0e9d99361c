// What toban says about an investigation's deadline: the reminder DM to the assignee before it, the
// overdue reply in the post's thread and notice in the channel at it, and the page of a month-close
// request (a DM to the person on duty and a mention in the thread). Pure: (model, locale, time zone,
// now) -> Message; `deadline` is the effective one (moved by the time waited for the customer).
import type { Message } from '../core/command.ts';
import { formatInvestigationId, type Investigation } from '../domain/investigation.ts';
import { t, type Locale } from '../i18n/index.ts';
import { section, sections } from './common.ts';
import { escaped, quoted } from './investigation.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/** Business milliseconds as "2 h", "1 h 30 min", "45 min" (rounded up to the minute: never less than is left). */
export function businessDuration(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t(locale, 'investigation.deadline.minutes', { m });
  if (m === 0) return t(locale, 'investigation.deadline.hours', { h });
  return t(locale, 'investigation.deadline.hours_minutes', { h, m });
}

function withQuestion(text: string, inv: Investigation): Message {
  return {
    text: truncate(`${text}\n${escaped(inv.question)}`, 40_000),
    blocks: [section(text), ...sections([quoted(inv.question)])],
  };
}

/** The DM to the assignee when `leftMs` of business time is left to `deadline`. */
export function reminderDm(
  inv: Investigation,
  deadline: Date,
  leftMs: number,
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const text = t(locale, 'investigation.reminder.dm', {
    id: formatInvestigationId(inv.id),
    customer: escaped(inv.customer),
    deadline: formatInstant(deadline, tz, locale, now),
    left: businessDuration(leftMs, locale),
  });
  return withQuestion(text, inv);
}

function overdueParams(inv: Investigation, deadline: Date, locale: Locale, tz: string, now: Date) {
  return {
    id: formatInvestigationId(inv.id),
    customer: escaped(inv.customer),
    deadline: formatInstant(deadline, tz, locale, now),
    user: inv.assignee ?? '',
  };
}

/**
 * What is said at the deadline, mentioning the assignee: in the post's `thread`, or as a notice in
 * the investigations `channel` itself.
 */
export function overdueMessage(
  where: 'thread' | 'channel',
  inv: Investigation,
  deadline: Date,
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const key = `investigation.overdue.${where}${inv.assignee ? '' : '_no_assignee'}`;
  const text = t(locale, key, overdueParams(inv, deadline, locale, tz, now));
  return { text, blocks: [section(text)] };
}

/** The urgent DM paging the person on duty about a month-close request. */
export function pageDm(inv: Investigation, locale: Locale, tz: string, now: Date): Message {
  const text = t(locale, 'investigation.page.dm', {
    id: formatInvestigationId(inv.id),
    requester: inv.requester,
    deadline: formatInstant(inv.deadline, tz, locale, now),
  });
  return withQuestion(text, inv);
}

/** The mention of the person on duty in the post's thread when a month-close request pages them. */
export function pageThreadReply(
  inv: Investigation & { assignee: string },
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const text = t(locale, 'investigation.page.thread', {
    id: formatInvestigationId(inv.id),
    user: inv.assignee,
    deadline: formatInstant(inv.deadline, tz, locale, now),
  });
  return { text, blocks: [section(text)] };
}

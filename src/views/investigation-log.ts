// What an investigation's life says besides its post: the line each state change writes in the
// post's thread (the working log, in the team's language), the DMs to a new assignee and to the
// requester when it is resolved (in theirs), and the replies to the person who pressed a button.
// Pure: (model, locale, time zone, now) -> Message or Reply.
import type { Message, Reply } from '../core/command.ts';
import { effectiveDeadline, formatInvestigationId, type Investigation } from '../domain/investigation.ts';
import { t, type Locale } from '../i18n/index.ts';
import { textReply, section, sections } from './common.ts';
import { escaped, quoted, resolutionLines } from './investigation.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/** A state change as its thread line tells it. */
export type LogEntry =
  | { what: 'taken'; by: string; from: string | null }
  | { what: 'released'; by: string; to: string | null }
  | { what: 'reassigned'; by: string; to: string; note?: string }
  | { what: 'waiting'; by: string }
  | { what: 'resumed'; by: string; waitedMs: number }
  | { what: 'resolved'; by: string }
  | { what: 'reopened'; by: string };

const DURATION_UNITS: [seconds: number, unit: string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** A duration in milliseconds by its two largest units: "2 h 5 min", "3 d", "45 s". */
export function formatDuration(ms: number, locale: Locale): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const counts = DURATION_UNITS.map(([size, unit]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return { n, unit };
  });
  const first = counts.findIndex((c) => c.n > 0);
  if (first < 0) return t(locale, 'investigation.duration.s', { n: 0 });
  return counts
    .slice(first, first + 2)
    .filter((c) => c.n > 0)
    .map((c) => t(locale, `investigation.duration.${c.unit}`, { n: c.n }))
    .join(' ');
}

/**
 * The thread line of one state change of `inv` (as it is after the change): who did what, and what
 * follows from it (the deadline after a wait, the answer on resolve).
 */
export function threadLine(inv: Investigation, e: LogEntry, locale: Locale, tz: string, now: Date): Message {
  const deadline = () => formatInstant(effectiveDeadline(inv) ?? inv.deadline, tz, locale, now);
  let head: string;
  let body: string[] = [];
  switch (e.what) {
    case 'taken':
      head =
        e.from && e.from !== e.by
          ? t(locale, 'investigation.log.taken_over', { user: e.by, from: e.from })
          : t(locale, 'investigation.log.taken', { user: e.by });
      break;
    case 'released':
      head = e.to
        ? t(locale, 'investigation.log.released', { user: e.by, to: e.to })
        : t(locale, 'investigation.log.released_nobody', { user: e.by });
      break;
    case 'reassigned':
      head = t(locale, 'investigation.log.reassigned', { user: e.by, to: e.to });
      if (e.note) body = [quoted(e.note)];
      break;
    case 'waiting':
      head = t(locale, 'investigation.log.waiting', { user: e.by });
      break;
    case 'resumed':
      head = t(locale, 'investigation.log.resumed', {
        user: e.by,
        waited: formatDuration(e.waitedMs, locale),
        deadline: deadline(),
      });
      break;
    case 'resolved':
      head = t(locale, 'investigation.log.resolved', { user: e.by });
      body = resolutionLines(inv, locale);
      break;
    case 'reopened':
      head = t(locale, 'investigation.log.reopened', { user: e.by, deadline: deadline() });
      break;
  }
  const text = truncate([head, ...body].join('\n'), 40_000);
  return { text, blocks: [section(head), ...(body.length > 0 ? sections(body) : [])] };
}

/** To the person a request was reassigned to (in their language): by whom, the note, the question. */
export function reassignedDm(
  inv: Investigation,
  by: string,
  note: string | undefined,
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const head = t(locale, 'investigation.dm.reassigned', {
    id: formatInvestigationId(inv.id),
    user: by,
    deadline: formatInstant(effectiveDeadline(inv) ?? inv.deadline, tz, locale, now),
  });
  const body = [...(note ? [t(locale, 'investigation.dm.note'), quoted(note)] : []), quoted(inv.question)];
  return {
    text: truncate([head, ...(note ? [escaped(note)] : []), escaped(inv.question)].join('\n'), 40_000),
    blocks: [section(head), ...sections(body)],
  };
}

/** To the requester (in their language): their request is answered, with the answer, cause and ticket. */
export function resolvedDm(inv: Investigation, locale: Locale): Message {
  const head = t(locale, 'investigation.dm.resolved', {
    id: formatInvestigationId(inv.id),
    user: inv.resolvedBy ?? '',
    customer: escaped(inv.customer),
  });
  const body = [
    t(locale, 'investigation.dm.your_question'),
    quoted(inv.question),
    ...resolutionLines(inv, locale),
  ];
  return { text: truncate([head, ...body].join('\n'), 40_000), blocks: [section(head), ...sections(body)] };
}

/** File ticket, before the tickets feature: what comes with it and what to do meanwhile. */
export function ticketNotYetReply(inv: Pick<Investigation, 'id'>, locale: Locale): Reply {
  return textReply(t(locale, 'investigation.ticket.not_yet', { id: formatInvestigationId(inv.id) }));
}

/**
 * A resolve submission that came after someone else's (the modal is closed by then): nothing saved,
 * who resolved it, and the answer as typed so it is not lost.
 */
export function notResolvedReply(inv: Investigation, answer: string | undefined, locale: Locale): Reply {
  const head = t(locale, 'investigation.resolve.already', {
    id: formatInvestigationId(inv.id),
    user: inv.resolvedBy ?? '',
  });
  const typed = answer?.trim() ? [t(locale, 'investigation.resolve.your_answer'), quoted(answer)] : [];
  return {
    visibility: 'ephemeral',
    message: {
      text: truncate([head, ...typed].join('\n'), 40_000),
      blocks: [section(head), ...(typed.length ? sections(typed) : [])],
    },
  };
}

// Investigation requests as people see them: the filing modal, the post in the investigations
// channel (updated as the request is taken and released), the DM to the assignee and the reply to
// the filer. Pure: (model, locale, time zone, now) -> Modal or Message (now: whether a date needs its year).
import type { KnownBlock } from '@slack/types';
import type { Message, Reply } from '../core/command.ts';
import type { Modal } from '../core/modal.ts';
import {
  CATEGORIES,
  effectiveDeadline,
  FIELDS,
  formatInvestigationId,
  LIMITS,
  sourceToMetadata,
  URGENCIES,
  type FilingProblems,
  type Investigation,
  type Source,
  type Urgency,
} from '../domain/investigation.ts';
import { isTicketUrl } from '../domain/investigation-resolution.ts';
import { t, type Locale } from '../i18n/index.ts';
import { context, header, section, sections } from './common.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/**
 * Text a person typed, safe inside mrkdwn: Slack reads <…> as links and mentions (<!channel> would
 * notify the whole channel) and & as the start of an escape (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A person's text as a mrkdwn block quote, every line quoted. */
export function quoted(text: string): string {
  return escaped(text)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

/** The promised deadline moved by the earlier waits (while waiting or once resolved, as it stood). */
function movedDeadline(inv: Investigation): Date {
  return new Date(inv.deadline.getTime() + inv.waitedMs);
}

/** The modal's callback_id: routes the submission to handlers/investigation-file.ts. */
export const FILING_CALLBACK_ID = 'investigation.file';

/** What the filing modal starts with besides the question (a month-close request's: today, urgent). */
export interface FilingDefaults {
  /** The deadline's date, YYYY-MM-DD. */
  deadlineDate?: string;
  urgency?: Urgency;
  /** Filed as a month-close request (月次決算): said above the fields. */
  monthClose?: boolean;
}

/**
 * The filing modal. From a message shortcut, `question` pre-fills the question (cut to the field's
 * 3,000 characters) and `source` is carried in private_metadata and shown above the fields.
 * `defaults` pre-fill the deadline's date and the urgency.
 */
export function filingModal(
  locale: Locale,
  opts: { question?: string; source?: Source; defaults?: FilingDefaults } = {},
): Modal {
  const intro = [t(locale, 'investigation.modal.intro')];
  if (opts.source)
    intro.push(
      opts.source.permalink
        ? t(locale, 'investigation.modal.from_message', { link: opts.source.permalink })
        : t(locale, 'investigation.modal.from_message_nolink', { channel: opts.source.channel }),
    );
  if (opts.defaults?.monthClose) intro.push(t(locale, 'investigation.modal.month_close'));
  const question = opts.question?.trim();
  return {
    callbackId: FILING_CALLBACK_ID,
    title: t(locale, 'investigation.modal.title'),
    submit: t(locale, 'investigation.modal.submit'),
    close: t(locale, 'investigation.modal.close'),
    intro: intro.join('\n'),
    ...(opts.source ? { privateMetadata: sourceToMetadata(opts.source) } : {}),
    fields: [
      {
        id: FIELDS.customer,
        label: t(locale, 'investigation.field.customer'),
        kind: 'text',
        maxLength: LIMITS.customer,
      },
      {
        id: FIELDS.reference,
        label: t(locale, 'investigation.field.reference'),
        kind: 'text',
        optional: true,
        hint: t(locale, 'investigation.field.reference_hint'),
        maxLength: LIMITS.reference,
      },
      {
        id: FIELDS.category,
        label: t(locale, 'investigation.field.category'),
        kind: 'select',
        options: CATEGORIES.map((c) => ({ value: c, label: t(locale, `investigation.category.${c}`) })),
      },
      {
        id: FIELDS.question,
        label: t(locale, 'investigation.field.question'),
        kind: 'multiline',
        maxLength: LIMITS.question,
        // UTF-16 units, never more characters than Slack's count: the pre-fill fits the field.
        ...(question ? { initial: truncate(question, LIMITS.question) } : {}),
      },
      {
        id: FIELDS.deadlineDate,
        label: t(locale, 'investigation.field.deadline_date'),
        kind: 'date',
        ...(opts.defaults?.deadlineDate ? { initial: opts.defaults.deadlineDate } : {}),
      },
      {
        id: FIELDS.deadlineTime,
        label: t(locale, 'investigation.field.deadline_time'),
        kind: 'text',
        optional: true,
        hint: t(locale, 'investigation.field.deadline_time_hint'),
        placeholder: '18:00',
        maxLength: 5,
      },
      {
        id: FIELDS.urgency,
        label: t(locale, 'investigation.field.urgency'),
        kind: 'select',
        initial: opts.defaults?.urgency ?? 'normal',
        options: URGENCIES.map((u) => ({ value: u, label: t(locale, `investigation.urgency.${u}`) })),
      },
    ],
  };
}

/** Whether `inv` is past its effective deadline at `now` (never while waiting for the customer or resolved). */
function overdue(inv: Investigation, now: Date): boolean {
  const deadline = effectiveDeadline(inv);
  return deadline !== null && deadline.getTime() <= now.getTime();
}

/**
 * The buttons on an investigation's post, by action_id (handlers/investigation-*.ts). Each button's
 * value is the investigation's id (the number behind INV-n).
 */
export const INVESTIGATION_ACTIONS = {
  take: 'investigation.take',
  reassign: 'investigation.reassign',
  wait: 'investigation.wait',
  resume: 'investigation.resume',
  resolve: 'investigation.resolve',
  ticket: 'investigation.ticket',
  reopen: 'investigation.reopen',
} as const;
type PostAction = keyof typeof INVESTIGATION_ACTIONS;

/**
 * Which buttons a post shows in each status, in order: open and taken can be taken (over), waited
 * on and resolved; a wait is resumed; a resolved request can only be reopened.
 */
const POST_BUTTONS: Record<Investigation['status'], PostAction[]> = {
  open: ['take', 'reassign', 'wait', 'resolve', 'ticket'],
  taken: ['take', 'reassign', 'wait', 'resolve', 'ticket'],
  waiting: ['resume', 'reassign', 'resolve', 'ticket'],
  resolved: ['reopen'],
};

function postButtons(inv: Investigation, locale: Locale): KnownBlock {
  return {
    type: 'actions',
    block_id: 'investigation_actions',
    elements: POST_BUTTONS[inv.status].map((a) => ({
      type: 'button',
      action_id: INVESTIGATION_ACTIONS[a],
      value: inv.id,
      text: { type: 'plain_text', text: t(locale, `investigation.button.${a}`), emoji: true },
      ...(a === 'take' || a === 'resolve' ? { style: 'primary' as const } : {}),
    })),
  } as KnownBlock;
}

/** A ticket as mrkdwn: an http(s) URL as a link, a reference as text. */
function ticketText(ticket: string): string {
  return isTicketUrl(ticket) ? `<${ticket}>` : escaped(ticket);
}

/** The resolution's lines on the post and in the DM: the answer quoted, then its cause and ticket. */
export function resolutionLines(inv: Investigation, locale: Locale): string[] {
  return [
    t(locale, 'investigation.post.answer'),
    quoted(inv.answer ?? ''),
    ...(inv.cause ? [t(locale, 'investigation.post.cause'), quoted(inv.cause)] : []),
    ...(inv.ticket ? [t(locale, 'investigation.post.ticket', { ticket: ticketText(inv.ticket) })] : []),
  ];
}

/**
 * The post in the investigations channel: every fact of the request and its buttons; the deadline
 * as it stands (moved by the time spent waiting for the customer); once resolved, the answer and a
 * Reopen button.
 */
export function investigationPost(inv: Investigation, locale: Locale, tz: string, now: Date): Message {
  const id = formatInvestigationId(inv.id);
  const category = t(locale, `investigation.category.${inv.category}`);
  // The header is plain text: no escaping, and only our own words and the id go in it.
  const title = t(
    locale,
    inv.urgency === 'urgent' ? 'investigation.post.title_urgent' : 'investigation.post.title',
    {
      id,
      category,
    },
  );
  const facts = [
    t(locale, 'investigation.post.customer', { customer: escaped(inv.customer) }),
    ...(inv.reference
      ? [t(locale, 'investigation.post.reference', { reference: escaped(inv.reference) })]
      : []),
    t(locale, 'investigation.post.deadline', {
      deadline: formatInstant(effectiveDeadline(inv) ?? movedDeadline(inv), tz, locale, now),
    }),
    ...(inv.status === 'waiting' && inv.waitingSince
      ? [
          t(locale, 'investigation.post.waiting_since', {
            since: formatInstant(inv.waitingSince, tz, locale, now),
          }),
        ]
      : []),
    t(locale, 'investigation.post.urgency', { urgency: t(locale, `investigation.urgency.${inv.urgency}`) }),
    t(locale, 'investigation.post.status', { status: t(locale, `investigation.status.${inv.status}`) }),
    ...(inv.monthClose ? [t(locale, 'investigation.post.month_close')] : []),
    ...(overdue(inv, now) ? [t(locale, 'investigation.post.overdue')] : []),
    t(locale, 'investigation.post.requester', { user: inv.requester }),
    inv.assignee
      ? t(locale, 'investigation.post.assignee', { user: inv.assignee })
      : t(locale, 'investigation.post.no_assignee'),
    ...(inv.status === 'resolved' && inv.resolvedBy && inv.resolvedAt
      ? [
          t(locale, 'investigation.post.resolved_by', {
            user: inv.resolvedBy,
            at: formatInstant(inv.resolvedAt, tz, locale, now),
          }),
        ]
      : []),
  ];
  const resolution = inv.status === 'resolved' && inv.answer ? resolutionLines(inv, locale) : [];
  const source = inv.source
    ? inv.source.permalink
      ? t(locale, 'investigation.post.source', { link: inv.source.permalink })
      : t(locale, 'investigation.post.source_nolink', { channel: inv.source.channel })
    : undefined;
  const blocks: KnownBlock[] = [
    header(title),
    section(facts.join('\n')),
    ...sections([quoted(inv.question)]),
    ...(resolution.length > 0 ? sections(resolution) : []),
    ...(source ? [context(source)] : []),
    ...(inv.status === 'open' || inv.status === 'taken'
      ? [context(t(locale, 'investigation.post.take_hint'))]
      : []),
    postButtons(inv, locale),
  ];
  const text = [title, ...facts, escaped(inv.question), ...resolution, ...(source ? [source] : [])].join(
    '\n',
  );
  return { text: truncate(text, 40_000), blocks };
}

/** The DM to the person a request was assigned to. */
export function assignedDm(inv: Investigation, locale: Locale, tz: string, now: Date): Message {
  const text = t(locale, 'investigation.dm.assigned', {
    id: formatInvestigationId(inv.id),
    deadline: formatInstant(inv.deadline, tz, locale, now),
  });
  return {
    text: truncate(`${text}\n${escaped(inv.question)}`, 40_000),
    blocks: [section(text), ...sections([quoted(inv.question)])],
  };
}

/**
 * The DM when a request changes hands by :eyes:: `taken_over` to the person who had it (`by` took
 * it), `handed_back` to the person on duty it went back to (`by` removed their :eyes:), with the
 * question so they need not look it up.
 */
export function handoffDm(
  inv: Investigation,
  kind: 'taken_over' | 'handed_back',
  by: string,
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const text = t(locale, `investigation.dm.${kind}`, {
    id: formatInvestigationId(inv.id),
    user: by,
    deadline: formatInstant(inv.deadline, tz, locale, now),
  });
  if (kind === 'taken_over') return { text, blocks: [section(text)] };
  return {
    text: truncate(`${text}\n${escaped(inv.question)}`, 40_000),
    blocks: [section(text), ...sections([quoted(inv.question)])],
  };
}

/** A resolved investigation offered as a past answer (services/investigations/similar.ts). */
export interface PastAnswer {
  id: string;
  question: string;
  answer: string;
}

/** Characters of a past question and of its answer shown in a list of past answers. */
const PAST_QUESTION_CHARS = 120;
const PAST_ANSWER_CHARS = 400;

/** One past answer: INV-n, the question and the answer, each shortened to one paragraph, escaped. */
function pastAnswerLine(p: PastAnswer, locale: Locale): string {
  const oneLine = (text: string, chars: number) => escaped(truncate(text.replace(/\s+/g, ' ').trim(), chars));
  return t(locale, 'investigation.similar.item', {
    id: formatInvestigationId(p.id),
    question: oneLine(p.question, PAST_QUESTION_CHARS),
    answer: oneLine(p.answer, PAST_ANSWER_CHARS),
  });
}

/** The reply in a new request's thread listing the past answers to similar requests (at most 3). */
export function pastAnswersPost(past: readonly PastAnswer[], locale: Locale): Message {
  const items = past.slice(0, 3).map((p) => pastAnswerLine(p, locale));
  const head = t(locale, 'investigation.similar.thread');
  return { text: truncate([head, ...items].join('\n'), 40_000), blocks: [section(head), ...sections(items)] };
}

/**
 * The reply to the filer: the id, who has it and the deadline; then, when there are any, the past
 * answers to similar requests (at most 3), which may already answer the customer.
 */
export function filedReply(
  inv: Investigation,
  locale: Locale,
  tz: string,
  channel: string,
  now: Date,
  past: readonly PastAnswer[] = [],
): Reply {
  const params = {
    id: formatInvestigationId(inv.id),
    assignee: inv.assignee ?? '',
    deadline: formatInstant(inv.deadline, tz, locale, now),
    channel,
  };
  const filed = t(locale, inv.assignee ? 'investigation.filed' : 'investigation.filed_no_assignee', params);
  const items = past.slice(0, 3).map((p) => pastAnswerLine(p, locale));
  const offer = items.length ? [t(locale, 'investigation.similar.filer'), ...items] : [];
  const text = truncate([filed, ...offer].join('\n'), 40_000);
  return {
    visibility: 'ephemeral',
    message: { text, blocks: [section(filed), ...(offer.length ? sections(offer) : [])] },
    model: {
      id: params.id,
      assignee: inv.assignee,
      deadline: inv.deadline.toISOString(),
      status: inv.status,
      ...(past.length
        ? { similar: past.slice(0, 3).map((p) => ({ id: formatInvestigationId(p.id), answer: p.answer })) }
        : {}),
    },
  };
}

/**
 * The answer to a submission that the check after the acknowledgement refused (the deadline passed
 * meanwhile; the modal is closed by then, so nothing can be shown under a field): that nothing was
 * filed, every problem as "label: message" in the form's order, and the question as typed, so it is
 * not lost with the closed modal.
 */
export function notFiledReply(problems: FilingProblems, question: string | undefined, locale: Locale): Reply {
  const lines = Object.values(FIELDS).flatMap((field) => {
    const p = problems[field];
    if (!p) return [];
    const label = t(locale, `investigation.field.${field}`);
    return [`• ${escaped(label)}: ${escaped(t(locale, p.key, p.params))}`];
  });
  const head = [t(locale, 'investigation.not_filed'), ...lines].join('\n');
  const typed = question?.trim() ? question : undefined;
  const quote = typed ? [t(locale, 'investigation.not_filed_question'), quoted(typed)].join('\n') : undefined;
  const text = quote ? `${head}\n${quote}` : head;
  return {
    visibility: 'ephemeral',
    message: {
      text: truncate(text, 40_000),
      blocks: [section(head), ...(quote ? sections([quote]) : [])],
    },
    model: { filed: false, problems },
  };
}

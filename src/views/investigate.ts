// `/investigate list | show | search | stats` as replies. Pure: (model, locale, time zone, now) ->
// Reply. Text people typed (customers, questions, answers) is escaped for mrkdwn. The `model` of
// each reply is what `toban run --json` prints: identifiers as decimal strings (id "42", ref "INV-42"),
// instants as ISO 8601, counts as numbers. No amount is ever shown.
import type { KnownBlock } from '@slack/types';
import type { Reply, ReplyFile } from '../core/command.ts';
import type {
  InvestigationEvent,
  ListedInvestigation,
  MonthInvestigation,
} from '../db/investigation-reports.ts';
import type { InvestigationRow } from '../db/investigations.ts';
import { effectiveDeadline, formatInvestigationId } from '../domain/investigation.ts';
import type { MonthStats } from '../domain/investigation-stats.ts';
import type { SearchHit } from '../services/investigations/search.ts';
import type { InvestigationList } from '../services/investigations/report.ts';
import { t, type Locale } from '../i18n/index.ts';
import { context, header, sections } from './common.ts';
import { csvFile } from './csv.ts';
import { investigationChartSvg } from './investigate-chart.ts';
import { truncate } from './limits.ts';
import { svgToPng } from './sales/png.ts';
import { formatInstant } from './time.ts';

/** How much of a question or an answer a list or a search hit shows (characters). */
export const SNIPPET = 80;

/** Text a person typed, safe inside mrkdwn (Slack reads <…> as links and mentions, & as an escape). */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line of a person's text, shortened: line breaks read as spaces. */
function snippet(text: string, max = SNIPPET): string {
  return escaped(truncate(text.replace(/\s+/g, ' ').trim(), max));
}

function quoted(text: string): string {
  return escaped(text)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

function reply(title: string, body: readonly string[], model: unknown, extra: KnownBlock[] = []): Reply {
  const text = [title, ...body].join('\n');
  return {
    visibility: 'ephemeral',
    message: { text: truncate(text, 40_000), blocks: [header(title), ...sections(body), ...extra] },
    model,
  };
}

const category = (locale: Locale, c: string) => t(locale, `investigation.category.${c}`);
const status = (locale: Locale, s: string) => t(locale, `investigation.status.${s}`);

// ── list ──────────────────────────────────────────────────────────────────────────────────────────

export function listReply(list: InvestigationList, locale: Locale, tz: string, now: Date): Reply {
  const title = t(locale, `investigate.list.title.${list.filter}`);
  const model = {
    filter: list.filter,
    total: list.total,
    items: list.items.map((i) => ({
      id: i.id,
      ref: formatInvestigationId(i.id),
      customer: i.customer,
      category: i.category,
      status: i.status,
      urgency: i.urgency,
      deadline: i.deadline.toISOString(),
      effectiveDeadline: effectiveDeadline(i)?.toISOString() ?? null,
      assignee: i.assignee,
      requester: i.requester,
    })),
  };
  if (list.total === 0) return reply(title, [t(locale, `investigate.list.empty.${list.filter}`)], model);
  const lines = list.items.map((i) => listLine(i, locale, tz, now));
  if (list.total > list.items.length)
    lines.push(`_${t(locale, 'investigate.list.more', { count: list.total - list.items.length })}_`);
  return reply(title, lines, model);
}

function listLine(i: ListedInvestigation, locale: Locale, tz: string, now: Date): string {
  const due = effectiveDeadline(i);
  const late = due !== null && due.getTime() < now.getTime();
  const deadline =
    formatInstant(due ?? i.deadline, tz, locale, now) +
    (late ? ` ${t(locale, 'investigate.list.overdue')}` : '') +
    (i.status === 'waiting' ? ` ${t(locale, 'investigate.list.paused')}` : '');
  return (
    (i.urgency === 'urgent' ? '🚨 ' : '') +
    t(locale, 'investigate.list.line', {
      id: formatInvestigationId(i.id),
      customer: snippet(i.customer, 40),
      category: category(locale, i.category),
      status: status(locale, i.status),
      deadline,
      assignee: i.assignee ? `<@${i.assignee}>` : t(locale, 'investigate.list.nobody'),
    })
  );
}

// ── show ──────────────────────────────────────────────────────────────────────────────────────────

export function showReply(
  found: { investigation: InvestigationRow; events: InvestigationEvent[] },
  locale: Locale,
  tz: string,
  now: Date,
): Reply {
  const inv = found.investigation;
  const when = (d: Date) => formatInstant(d, tz, locale, now);
  const title = t(locale, 'investigate.show.title', {
    id: formatInvestigationId(inv.id),
    category: category(locale, inv.category),
  });
  const due = effectiveDeadline(inv);
  const facts = [
    t(locale, 'investigation.post.customer', { customer: escaped(inv.customer) }),
    ...(inv.reference
      ? [t(locale, 'investigation.post.reference', { reference: escaped(inv.reference) })]
      : []),
    t(locale, 'investigation.post.status', { status: status(locale, inv.status) }),
    t(locale, 'investigation.post.urgency', { urgency: t(locale, `investigation.urgency.${inv.urgency}`) }),
    t(locale, 'investigation.post.deadline', { deadline: when(inv.deadline) }),
    ...(due && inv.waitedMs > 0
      ? [t(locale, 'investigate.show.effective_deadline', { deadline: when(due) })]
      : []),
    ...(inv.waitingSince
      ? [t(locale, 'investigate.show.waiting_since', { at: when(inv.waitingSince) })]
      : []),
    t(locale, 'investigation.post.requester', { user: inv.requester }),
    inv.assignee
      ? t(locale, 'investigation.post.assignee', { user: inv.assignee })
      : t(locale, 'investigation.post.no_assignee'),
    t(locale, 'investigate.show.filed', { at: when(inv.createdAt) }),
    ...(inv.monthClose ? [t(locale, 'investigate.show.month_close')] : []),
    ...(inv.source
      ? [
          inv.source.permalink
            ? t(locale, 'investigation.post.source', { link: inv.source.permalink })
            : t(locale, 'investigation.post.source_nolink', { channel: inv.source.channel }),
        ]
      : []),
  ];
  const body = [...facts, '', t(locale, 'investigate.show.question'), quoted(inv.question)];
  if (inv.answer && inv.resolvedAt) {
    body.push(
      '',
      t(locale, 'investigate.show.answer', { at: when(inv.resolvedAt), user: inv.resolvedBy ?? '-' }),
      quoted(inv.answer),
    );
    if (inv.cause) body.push(t(locale, 'investigate.show.cause'), quoted(inv.cause));
    if (inv.ticket) body.push(t(locale, 'investigate.show.ticket', { ticket: escaped(inv.ticket) }));
  }
  body.push('', t(locale, 'investigate.show.timeline'));
  if (found.events.length === 0) body.push(t(locale, 'investigate.show.no_events'));
  for (const e of found.events)
    body.push(`• ${when(e.at)}  ${t(locale, `investigate.event.${e.what}`, { actor: e.actor })}`);
  const model = {
    id: inv.id,
    ref: formatInvestigationId(inv.id),
    customer: inv.customer,
    reference: inv.reference,
    category: inv.category,
    question: inv.question,
    urgency: inv.urgency,
    status: inv.status,
    requester: inv.requester,
    assignee: inv.assignee,
    createdAt: inv.createdAt.toISOString(),
    deadline: inv.deadline.toISOString(),
    effectiveDeadline: due?.toISOString() ?? null,
    waitingSince: inv.waitingSince?.toISOString() ?? null,
    waitedMs: inv.waitedMs,
    monthClose: inv.monthClose,
    answer: inv.answer,
    cause: inv.cause,
    ticket: inv.ticket,
    resolvedAt: inv.resolvedAt?.toISOString() ?? null,
    resolvedBy: inv.resolvedBy,
    source: inv.source,
    events: found.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, what: e.what })),
  };
  return reply(title, body, model);
}

// ── search ────────────────────────────────────────────────────────────────────────────────────────

export function searchReply(words: string, hits: readonly SearchHit[], locale: Locale): Reply {
  const shown = truncate(words, 100);
  const model = {
    words,
    hits: hits.map((h) => ({
      id: h.id,
      ref: formatInvestigationId(h.id),
      category: h.category,
      status: h.status,
      customer: h.customer,
      question: h.question,
      answer: h.answer,
      createdAt: h.createdAt.toISOString(),
      resolvedAt: h.resolvedAt?.toISOString() ?? null,
    })),
  };
  const title = t(locale, 'investigate.search.title', { words: shown });
  if (hits.length === 0)
    return reply(title, [t(locale, 'investigate.search.none', { words: escaped(shown) })], model);
  const lines = hits.flatMap((h) => [
    t(locale, 'investigate.search.hit', {
      id: formatInvestigationId(h.id),
      status: status(locale, h.status),
      category: category(locale, h.category),
      customer: snippet(h.customer, 40),
    }),
    `    ${t(locale, 'investigate.search.question', { text: snippet(h.question) })}`,
    ...(h.answer ? [`    ${t(locale, 'investigate.search.answer', { text: snippet(h.answer) })}`] : []),
  ]);
  return reply(title, lines, model);
}

// ── stats ─────────────────────────────────────────────────────────────────────────────────────────

/** Business hours with one decimal ("3.5"), from milliseconds. */
export function hours(ms: number): string {
  return (Math.round(ms / 360_000) / 10).toFixed(1);
}

/** The CSV's columns, one row per request filed in the month. */
export const STATS_CSV_HEADER = [
  'id',
  'filed_at',
  'category',
  'status',
  'customer',
  'reference',
  'requester',
  'assignee',
  'deadline',
  'resolved_at',
  'business_hours_to_answer',
  'overdue',
  'question',
] as const;

export function statsReply(
  report: { month: string; stats: MonthStats; rows: readonly MonthInvestigation[] },
  locale: Locale,
): Reply {
  const { month, stats } = report;
  const title = t(locale, 'investigate.stats.title', { month });
  const model = {
    month,
    opened: stats.opened,
    answered: stats.answered,
    medianAnswerBusinessHours: stats.medianAnswerMs === null ? null : Number(hours(stats.medianAnswerMs)),
    overdue: stats.overdue,
    byCategory: stats.byCategory,
    repeated: stats.repeated,
  };
  if (stats.opened === 0) return reply(title, [t(locale, 'investigate.stats.empty', { month })], model);
  const lines = [
    t(locale, 'investigate.stats.opened', { count: stats.opened }),
    t(locale, 'investigate.stats.answered', { count: stats.answered }),
    stats.medianAnswerMs === null
      ? t(locale, 'investigate.stats.median_none')
      : t(locale, 'investigate.stats.median', { hours: hours(stats.medianAnswerMs) }),
    t(locale, 'investigate.stats.overdue', { count: stats.overdue }),
    '',
    t(locale, 'investigate.stats.by_category'),
    ...stats.byCategory
      .filter((c) => c.opened > 0)
      .map(
        (c) =>
          `• ${t(locale, 'investigate.stats.category_line', { ...c, category: category(locale, c.category) })}`,
      ),
    '',
    t(locale, 'investigate.stats.repeated'),
    ...(stats.repeated.length === 0
      ? [t(locale, 'investigate.stats.repeated_none')]
      : stats.repeated.map(
          (r) =>
            `• ${t(locale, 'investigate.stats.repeated_line', { count: r.count, question: snippet(r.question) })}`,
        )),
  ];
  const files: ReplyFile[] = [
    statsCsv(report, locale),
    {
      filename: `investigations-${month}.png`,
      title: t(locale, 'investigate.stats.chart', { month }),
      content: svgToPng(
        investigationChartSvg(stats.byCategory, `Investigations ${month}: filed vs answered`),
      ).toString('base64'),
      encoding: 'base64',
      filetype: 'png',
    },
  ];
  return { ...reply(title, lines, model, [context(t(locale, 'investigate.stats.note'))]), files };
}

function statsCsv(
  report: { month: string; stats: MonthStats; rows: readonly MonthInvestigation[] },
  locale: Locale,
): ReplyFile {
  const figures = new Map(report.stats.rows.map((f) => [f.id, f]));
  return csvFile(
    `investigations-${report.month}.csv`,
    t(locale, 'investigate.stats.csv', { month: report.month }),
    STATS_CSV_HEADER,
    report.rows.map((r) => {
      const f = figures.get(r.id);
      return [
        formatInvestigationId(r.id),
        r.createdAt.toISOString(),
        r.category,
        r.status,
        r.customer,
        r.reference,
        r.requester,
        r.assignee,
        r.deadline.toISOString(),
        r.resolvedAt?.toISOString(),
        f?.answerMs == null ? null : hours(f.answerMs),
        f?.overdue ? 'yes' : 'no',
        r.question,
      ];
    }),
  );
}

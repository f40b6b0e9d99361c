// Investigation requests (調査依頼): a support agent or finance hands a customer's question to
// engineering with the reply deadline promised to the customer (回答期限). This module holds the
// vocabulary (categories, urgencies, statuses, the INV-n id) and the rules a filing must meet.
// Pure: "now" and the business time zone are arguments; errors are catalogue keys with parameters,
// turned into sentences in the person's language by the layers above.
import { DateTime } from 'luxon';
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './business-time.ts';
import { calendarDate } from './dates.ts';
import { wallClock } from './wall-clock.ts';

export const CATEGORIES = ['payment', 'payout', 'refund', 'account', 'bug', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * open: nobody has taken it (the duty person is assigned); taken: someone works on it; waiting: for
 * the customer (the reply clock is paused); resolved: answered.
 */
export const STATUSES = ['open', 'taken', 'waiting', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

/** The filing form's field ids: the modal's block/action ids and the keys of field errors. */
export const FIELDS = {
  customer: 'customer',
  reference: 'reference',
  category: 'category',
  question: 'question',
  deadlineDate: 'deadline_date',
  deadlineTime: 'deadline_time',
  urgency: 'urgency',
} as const;
export type FieldId = (typeof FIELDS)[keyof typeof FIELDS];

/**
 * Lengths in characters (code points). The question's 3,000 is Slack's max_length of a
 * plain_text_input (https://api.slack.com/reference/block-kit/block-elements#input); the others are
 * ours: a customer id or name and an order or transaction reference are short.
 */
export const LIMITS = { question: 3_000, customer: 200, reference: 100 } as const;

/** When a deadline gives a date only: the end of business (18:00) that day, in the business time zone. */
export const END_OF_BUSINESS = { hour: 18, minute: 0 } as const;

const ID = /^INV-?([1-9]\d{0,17})$/;

/** "INV-42" for the id 42 (a bigint's decimal string or a number). */
export function formatInvestigationId(id: string | number | bigint): string {
  return `INV-${id}`;
}

/**
 * The id in "INV-42", "inv42" or "ＩＮＶ－４２" (full-width folded by NFKC), as a decimal string;
 * undefined for anything else (no number, zero, a leading zero, more than 18 digits).
 */
export function parseInvestigationId(text: string): string | undefined {
  return ID.exec(text.normalize('NFKC').trim().toUpperCase())?.[1];
}

/** The Slack message an investigation was filed from (message shortcut "Investigate this"). */
export interface Source {
  channel: string;
  ts: string;
  permalink?: string;
}

/** An investigation request as people see it (id: the number behind INV-n, a decimal string). */
export interface Investigation {
  id: string;
  requester: string;
  /** Slack user id; null when nobody was on duty. */
  assignee: string | null;
  customer: string;
  reference: string | null;
  category: Category;
  question: string;
  deadline: Date;
  urgency: Urgency;
  status: Status;
  source: Source | null;
  createdAt: Date;
  /** Filed by finance during the monthly close: same-day deadline, urgent, duty paged at once. */
  monthClose: boolean;
  /** Since when it waits for the customer (status 'waiting'); null otherwise. */
  waitingSince: Date | null;
  /** Business milliseconds spent in earlier waits for the customer. */
  waitedMs: number;
  /**
   * The deadline as it stands: `deadline` (as promised to the customer) moved on by the business
   * time of each earlier wait for the customer (moveDueAt).
   */
  dueAt: Date;
  /** Set together when it is resolved. */
  answer: string | null;
  cause: string | null;
  /** A follow-up ticket named at resolve (a URL or a reference), if any. */
  ticket: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/**
 * The deadline as it stands now (`dueAt`); null while it waits for the customer (the clock is
 * paused, it cannot run late) or once resolved.
 */
export function effectiveDeadline(inv: Pick<Investigation, 'dueAt' | 'status'>): Date | null {
  if (inv.status === 'waiting' || inv.status === 'resolved') return null;
  return inv.dueAt;
}

/**
 * A wait for the customer from `since` to `until` ended: the business time it took (business hours
 * of business days in `cal`), and the due instant moved on by that much business time. A wait
 * outside business hours moves nothing; an hour's wait on Friday afternoon moves a Monday 10:00
 * deadline to Monday 11:00 (not by the weekend's 64 wall-clock hours).
 */
export function moveDueAt(
  dueAt: Date,
  since: Date,
  until: Date,
  cal: BusinessCalendar,
): { waitedMs: number; dueAt: Date } {
  const waitedMs = businessMsBetween(since, until, cal);
  return { waitedMs, dueAt: waitedMs > 0 ? addBusinessMs(dueAt, waitedMs, cal) : dueAt };
}

/** What the person typed, by field (undefined for an empty field), as the modal or the console hands it over. */
export type FilingInput = Partial<Record<FieldId, string>>;

/** A valid filing: what the investigation is stored with. */
export interface Filing {
  customer: string;
  reference?: string;
  category: Category;
  question: string;
  /** The instant of the reply deadline. */
  deadline: Date;
  urgency: Urgency;
}

/** One field's problem: a catalogue key and its parameters. */
export interface FieldProblem {
  key: string;
  params?: Record<string, string | number>;
}

export type FilingProblems = Partial<Record<FieldId, FieldProblem>>;

export type FilingResult = { ok: true; filing: Filing } | { ok: false; problems: FilingProblems };

const length = (text: string): number => [...text].length;
const blank = (text: string | undefined): boolean => text === undefined || text.trim() === '';

/**
 * `text` trimmed, or '' when nothing visible is left: white space and format characters (Unicode
 * category Cf: zero-width space U+200B, joiners, U+FEFF, U+2060…) say nothing, so a question of
 * only those is empty. The text kept is the trimmed original, format characters and all.
 */
export function visibleText(text: string | undefined): string {
  const trimmed = text?.trim() ?? '';
  return /^[\s\p{Cf}]*$/u.test(trimmed) ? '' : trimmed;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * Checks a filing as submitted at `now`, reading the deadline in `tz` (the business time zone,
 * IANA): a date YYYY-MM-DD and an optional time HH:MM (full-width digits accepted), 18:00 when no
 * time is given, so a deadline of today without a time is accepted until 18:00. Every field with a
 * problem gets one (the first found), keyed by its field id; a past deadline is reported on both the
 * date and the time, each saying what would fix it.
 */
export function validateFiling(input: FilingInput, now: Date, tz: string): FilingResult {
  const problems: FilingProblems = {};

  const question = visibleText(input.question);
  if (question === '') problems.question = { key: 'investigation.error.question_empty' };
  else if (length(question) > LIMITS.question)
    problems.question = {
      key: 'investigation.error.question_too_long',
      params: { max: LIMITS.question, length: length(question) },
    };

  const customer = visibleText(input.customer);
  if (customer === '') problems.customer = { key: 'investigation.error.customer_empty' };
  else if (length(customer) > LIMITS.customer)
    problems.customer = { key: 'investigation.error.customer_too_long', params: { max: LIMITS.customer } };

  const reference = visibleText(input.reference) || undefined;
  if (reference !== undefined && length(reference) > LIMITS.reference)
    problems.reference = {
      key: 'investigation.error.reference_too_long',
      params: { max: LIMITS.reference },
    };

  const category = input.category;
  if (blank(category)) problems.category = { key: 'investigation.error.category_missing' };
  else if (!(CATEGORIES as readonly string[]).includes(category!))
    problems.category = { key: 'investigation.error.category_unknown', params: { value: category! } };

  const urgency = blank(input.urgency) ? 'normal' : input.urgency!;
  if (!(URGENCIES as readonly string[]).includes(urgency))
    problems.urgency = { key: 'investigation.error.urgency_unknown', params: { value: urgency } };

  const deadline = readDeadline(input.deadline_date, input.deadline_time, now, tz, problems);

  if (Object.keys(problems).length > 0 || !deadline) return { ok: false, problems };
  return {
    ok: true,
    filing: {
      customer,
      ...(reference !== undefined ? { reference } : {}),
      category: category as Category,
      question,
      deadline,
      urgency: urgency as Urgency,
    },
  };
}

/** The deadline's instant, or undefined with its problem recorded in `problems`. */
function readDeadline(
  dateText: string | undefined,
  timeText: string | undefined,
  now: Date,
  tz: string,
  problems: FilingProblems,
): Date | undefined {
  if (blank(dateText)) {
    problems.deadline_date = { key: 'investigation.error.deadline_missing' };
    return undefined;
  }
  const dateWritten = dateText!.normalize('NFKC').trim();
  const d = DATE.exec(dateWritten);
  const day = d ? calendarDate(Number(d[1]), Number(d[2]), Number(d[3])) : 'no_such_day';
  if (day === 'no_such_day' || day === 'out_of_range') {
    problems.deadline_date = {
      key: 'investigation.error.deadline_date_malformed',
      params: { value: dateWritten },
    };
  }
  let time: { hour: number; minute: number } = END_OF_BUSINESS;
  const hasTime = !blank(timeText);
  if (hasTime) {
    const timeWritten = timeText!.normalize('NFKC').trim();
    const t = TIME.exec(timeWritten);
    if (!t) {
      problems.deadline_time = {
        key: 'investigation.error.deadline_time_malformed',
        params: { value: timeWritten },
      };
      return undefined;
    }
    time = { hour: Number(t[1]), minute: Number(t[2]) };
  }
  if (problems.deadline_date) return undefined;
  const [year, month, dayOfMonth] = (day as string).split('-').map(Number) as [number, number, number];
  const at = DateTime.fromObject({ year, month, day: dayOfMonth, ...time }, { zone: tz }).toJSDate();
  if (at.getTime() <= now.getTime()) {
    const w = wallClock(now, tz);
    const pad = (n: number) => String(n).padStart(2, '0');
    const params = { now: `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}` };
    // On both fields: either one may be the fix (a later time today, or a later day), and a form
    // asks again only the fields with an error (the console does), so both must stay open to change.
    if (hasTime) {
      problems.deadline_date = { key: 'investigation.error.deadline_past', params };
      problems.deadline_time = { key: 'investigation.error.deadline_past', params };
    } else {
      problems.deadline_date = { key: 'investigation.error.deadline_past_day', params };
      problems.deadline_time = { key: 'investigation.error.deadline_past_day_time', params };
    }
    return undefined;
  }
  return at;
}

/** The longest private_metadata Slack carries for a view (https://api.slack.com/reference/surfaces/views). */
export const PRIVATE_METADATA_MAX = 3_000;

/** The modal's private_metadata for a filing from a message: JSON, at most 3,000 characters (the permalink dropped if need be). */
export function sourceToMetadata(source: Source): string {
  const full = JSON.stringify({ source });
  if (full.length <= PRIVATE_METADATA_MAX) return full;
  return JSON.stringify({ source: { channel: source.channel, ts: source.ts } });
}

/**
 * Slack's shapes: a conversation id (C… public, G… private, D… direct message; upper-case letters and
 * digits) and a message ts (seconds, a dot, six digits: https://api.slack.com/messaging/retrieving#individual_messages).
 */
const CHANNEL_ID = /^[CGD][A-Z0-9]{1,23}$/;
const TS = /^\d{1,12}\.\d{6}$/;
/** Hosts chat.getPermalink answers with: the workspace's, a GovSlack one, an Enterprise Grid org's (*.enterprise.slack.com). */
const SLACK_HOST = /^(?:[a-z0-9-]+\.)+(?:slack\.com|slack-gov\.com)$/;

/**
 * A permalink as Slack gives it: https, on a Slack host, no user, password or port, and nothing that
 * would break out of a mrkdwn link <url|text> (white space, |, <, >). undefined for anything else.
 */
function slackPermalink(permalink: unknown): string | undefined {
  if (typeof permalink !== 'string' || !/^https:\/\/[^\s|<>]+$/.test(permalink)) return undefined;
  let url: URL;
  try {
    url = new URL(permalink);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined;
  return SLACK_HOST.test(url.hostname) ? permalink : undefined;
}

/**
 * The source message carried in a modal's private_metadata, or undefined when there is none or it
 * is not of Slack's shape. It came back from outside (a client can send any private_metadata): the
 * channel and ts must look like Slack's, and a permalink that is not an https link on a Slack host
 * is dropped, so the post never links anywhere else.
 */
export function sourceFromMetadata(metadata: string | undefined): Source | undefined {
  if (!metadata) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return undefined;
  }
  const s = (parsed as { source?: Record<string, unknown> } | null)?.source;
  if (!s || typeof s !== 'object') return undefined;
  const { channel, ts, permalink } = s;
  if (typeof channel !== 'string' || !CHANNEL_ID.test(channel)) return undefined;
  if (typeof ts !== 'string' || !TS.test(ts)) return undefined;
  const link = slackPermalink(permalink);
  return { channel, ts, ...(link ? { permalink: link } : {}) };
}

const EVENT_TS = /^(\d{1,12})\.(\d{1,6})$/;

/** Whether `ts` has the shape of Slack's event_ts (seconds, a dot, up to six digits of microseconds). */
export function isEventTs(ts: string | undefined): ts is string {
  return ts !== undefined && EVENT_TS.test(ts);
}

/**
 * Whether Slack's event_ts `ts` ("1712710800.000200": seconds, a dot, microseconds) is earlier than
 * `than`. false when either is missing or not of that shape: an event that cannot be placed is not
 * taken for a stale one.
 */
export function isEarlierEventTs(ts: string | undefined, than: string | undefined): boolean {
  const a = ts === undefined ? null : EVENT_TS.exec(ts);
  const b = than === undefined ? null : EVENT_TS.exec(than);
  if (!a || !b) return false;
  const micros = (m: RegExpExecArray) => BigInt(m[1]!) * 1_000_000n + BigInt(m[2]!.padEnd(6, '0'));
  return micros(a) < micros(b);
}

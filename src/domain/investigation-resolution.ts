// Resolving an investigation: the answer given to the customer, its cause and an optional follow-up
// ticket, checked as the Resolve modal hands them over. Pure: errors are catalogue keys with
// parameters, said in the person's language by the layers above.
import { visibleText, type FieldProblem } from './investigation.ts';

/** The Resolve modal's field ids: block/action ids in Slack and the keys of field errors. */
export const RESOLVE_FIELDS = { answer: 'answer', cause: 'cause', ticket: 'ticket' } as const;
export type ResolveFieldId = (typeof RESOLVE_FIELDS)[keyof typeof RESOLVE_FIELDS];

/**
 * Lengths in characters (code points), as migration 0330's CHECKs hold them: the answer and the
 * cause 3,000 (Slack's plain_text_input max_length), the ticket 300.
 */
export const RESOLVE_LIMITS = { answer: 3_000, cause: 3_000, ticket: 300 } as const;

/** A valid resolution: what the investigation is resolved with. */
export interface Resolution {
  answer: string;
  cause?: string;
  /** A URL (http or https) or a reference such as `owner/repo#12` or `BILL-431`. */
  ticket?: string;
}

export type ResolveProblems = Partial<Record<ResolveFieldId, FieldProblem>>;
export type ResolveResult = { ok: true; resolution: Resolution } | { ok: false; problems: ResolveProblems };

const length = (text: string): number => [...text].length;

/** A ticket as one token: no white space, nothing that would break a mrkdwn link (<, >, |). */
const TICKET_TOKEN = /^[^\s<>|]+$/;

function ticketProblem(ticket: string): FieldProblem | undefined {
  if (length(ticket) > RESOLVE_LIMITS.ticket)
    return { key: 'investigation.error.ticket_too_long', params: { max: RESOLVE_LIMITS.ticket } };
  if (!TICKET_TOKEN.test(ticket)) return { key: 'investigation.error.ticket_malformed' };
  if (ticket.includes('://')) {
    // A URL: only http(s) ones, which Slack shows as links. Anything else is shown as text.
    let url: URL;
    try {
      url = new URL(ticket);
    } catch {
      return { key: 'investigation.error.ticket_malformed' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { key: 'investigation.error.ticket_malformed' };
  }
  return undefined;
}

/**
 * Checks what the Resolve modal submitted (undefined: left empty): the answer is required (not
 * only white space) and at most 3,000 characters, the cause optional up to 3,000, the ticket
 * optional: an http(s) URL or a reference of one token, up to 300. Every field with a problem gets one.
 */
export function validateResolution(input: Partial<Record<ResolveFieldId, string>>): ResolveResult {
  const problems: ResolveProblems = {};
  const answer = visibleText(input.answer);
  if (answer === '') problems.answer = { key: 'investigation.error.answer_empty' };
  else if (length(answer) > RESOLVE_LIMITS.answer)
    problems.answer = {
      key: 'investigation.error.answer_too_long',
      params: { max: RESOLVE_LIMITS.answer, length: length(answer) },
    };
  const cause = visibleText(input.cause) || undefined;
  if (cause !== undefined && length(cause) > RESOLVE_LIMITS.cause)
    problems.cause = {
      key: 'investigation.error.cause_too_long',
      params: { max: RESOLVE_LIMITS.cause, length: length(cause) },
    };
  const ticket = input.ticket?.trim() || undefined;
  const tp = ticket === undefined ? undefined : ticketProblem(ticket);
  if (tp) problems.ticket = tp;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    resolution: { answer, ...(cause ? { cause } : {}), ...(ticket ? { ticket } : {}) },
  };
}

/** Whether a ticket is a link (shown as one) rather than a reference. */
export function isTicketUrl(ticket: string): boolean {
  return /^https?:\/\//i.test(ticket);
}

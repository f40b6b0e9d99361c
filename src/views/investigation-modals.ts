// The modals an investigation's post opens: Reassign (to whom, with an optional note) and Resolve
// (the answer, its cause, an optional ticket). Each carries the investigation's id in its
// private_metadata; what comes back is read with investigationOfMetadata (it came from outside).
// Pure: (model, locale) -> Modal.
import type { Modal } from '../core/modal.ts';
import { formatInvestigationId, type Investigation } from '../domain/investigation.ts';
import { RESOLVE_FIELDS, RESOLVE_LIMITS } from '../domain/investigation-resolution.ts';
import { t, type Locale } from '../i18n/index.ts';
import { quoted } from './investigation.ts';
import { truncate } from './limits.ts';

/** Callback ids: route the submissions to handlers/investigation-reassign.ts and -resolve.ts. */
export const REASSIGN_CALLBACK_ID = 'investigation.reassign';
export const RESOLVE_CALLBACK_ID = 'investigation.resolve';

/** The Reassign modal's field ids. */
export const REASSIGN_FIELDS = { assignee: 'assignee', note: 'note' } as const;
/** A note to the new assignee: a few sentences. */
export const REASSIGN_NOTE_MAX = 1_000;

/** private_metadata of both modals: which investigation. */
function metadata(inv: Pick<Investigation, 'id'>): string {
  return JSON.stringify({ investigation: inv.id });
}

/**
 * The investigation id a modal's private_metadata names (a decimal string), or undefined when it
 * names none: it came back from outside, so anything but a positive integer of at most 18 digits is refused.
 */
export function investigationOfMetadata(privateMetadata: string | undefined): string | undefined {
  if (!privateMetadata) return undefined;
  try {
    const id = (JSON.parse(privateMetadata) as { investigation?: unknown } | null)?.investigation;
    return typeof id === 'string' && /^[1-9]\d{0,17}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The question, quoted and cut to fit a modal's intro, so the person sees what it is about. */
function questionIntro(inv: Pick<Investigation, 'question'>): string {
  return quoted(truncate(inv.question, 1_500));
}

export function reassignModal(
  inv: Pick<Investigation, 'id' | 'question' | 'assignee'>,
  locale: Locale,
): Modal {
  const id = formatInvestigationId(inv.id);
  return {
    callbackId: REASSIGN_CALLBACK_ID,
    title: t(locale, 'investigation.reassign.title', { id }),
    submit: t(locale, 'investigation.reassign.submit'),
    close: t(locale, 'investigation.modal.close'),
    intro: questionIntro(inv),
    privateMetadata: metadata(inv),
    fields: [
      {
        id: REASSIGN_FIELDS.assignee,
        label: t(locale, 'investigation.field.assignee'),
        kind: 'user',
        ...(inv.assignee ? { initial: inv.assignee } : {}),
      },
      {
        id: REASSIGN_FIELDS.note,
        label: t(locale, 'investigation.field.note'),
        kind: 'multiline',
        optional: true,
        hint: t(locale, 'investigation.field.note_hint'),
        maxLength: REASSIGN_NOTE_MAX,
      },
    ],
  };
}

export function resolveModal(inv: Pick<Investigation, 'id' | 'question'>, locale: Locale): Modal {
  const id = formatInvestigationId(inv.id);
  return {
    callbackId: RESOLVE_CALLBACK_ID,
    title: t(locale, 'investigation.resolve.title', { id }),
    submit: t(locale, 'investigation.resolve.submit'),
    close: t(locale, 'investigation.modal.close'),
    intro: questionIntro(inv),
    privateMetadata: metadata(inv),
    fields: [
      {
        id: RESOLVE_FIELDS.answer,
        label: t(locale, 'investigation.field.answer'),
        kind: 'multiline',
        hint: t(locale, 'investigation.field.answer_hint'),
        maxLength: RESOLVE_LIMITS.answer,
      },
      {
        id: RESOLVE_FIELDS.cause,
        label: t(locale, 'investigation.field.cause'),
        kind: 'multiline',
        optional: true,
        maxLength: RESOLVE_LIMITS.cause,
      },
      {
        id: RESOLVE_FIELDS.ticket,
        label: t(locale, 'investigation.field.ticket'),
        kind: 'text',
        optional: true,
        hint: t(locale, 'investigation.field.ticket_hint'),
        maxLength: RESOLVE_LIMITS.ticket,
      },
    ],
  };
}

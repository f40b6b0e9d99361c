// A modal in the console, shown as a form: its title and intro, then each field asked in turn (its
// label, hint, choices, default), the submission acknowledged by the Dispatcher as Slack would
// (field errors are shown under their labels and those fields asked again), then submitted. A
// modal without a submit button only shows something: it is printed, not asked.
//
// Slack's order is kept: acknowledgeView decides before anything is stored (errors keep the form
// open), then submitView stores and answers. `cancel` at any prompt closes the form as the close
// button would (view_closed when the modal asked for it); so does the end of input.
import type { Reply } from '../../core/command.ts';
import type { Dispatch, ViewAck, ViewSubmission } from '../../core/handlers.ts';
import type { FieldValues, Modal, ModalField } from '../../core/modal.ts';
import { t, type Locale } from '../../i18n/index.ts';

/** What a form needs from the shell it runs in. */
export interface FormHost {
  dispatch: Dispatch;
  /** Who is filling the form in, and where. */
  actor(): { userId: string; locale: Locale; channelId?: string };
  /** Prints `prompt` and reads the next input line; undefined at the end of input. */
  ask(prompt: string): Promise<string | undefined>;
  print(text: string): void;
  /** Slack mrkdwn as terminal text. */
  text(mrkdwn: string): string;
  /** Shows a handler's reply (a message: numbered like every message). */
  showReply(reply: Reply): void;
  /** A person's id from what was typed: U…, <@U…> or @name; undefined if nobody matches. */
  userIdOf(typed: string): string | undefined;
  nameOf(userId: string): string | undefined;
}

const CANCEL_WORDS = new Set(['cancel', 'キャンセル']);
/** Typed at an optional field: leave it empty even though it has a default. */
const EMPTY_WORD = '-';

type Answer = { value: string | undefined } | 'cancel';

/** Shows a modal (and the modals that follow from it: an update, a pushed step) until it is done. */
export async function presentModal(host: FormHost, modal: Modal): Promise<void> {
  let next: Modal | undefined = modal;
  while (next) next = await presentOne(host, next);
}

function isForm(modal: Modal): boolean {
  return Boolean(modal.submit) && modal.fields.length > 0;
}

/** One modal: printed, or asked and submitted. Returns the modal shown after it, if any. */
async function presentOne(host: FormHost, modal: Modal): Promise<Modal | undefined> {
  const { locale } = host.actor();
  printHeader(host, modal);
  if (!isForm(modal)) {
    for (const f of modal.fields) if (f.initial) host.print(`${f.label}: ${shown(host, f, f.initial)}`);
    return undefined;
  }
  host.print(t(locale, 'console.form.start'));
  const values: FieldValues = Object.fromEntries(modal.fields.map((f) => [f.id, f.initial]));
  let asking = modal.fields;
  for (;;) {
    for (const field of asking) {
      const answer = await askField(host, field, values[field.id]);
      if (answer === 'cancel') return cancel(host, modal, values);
      values[field.id] = answer.value;
    }
    const submission = submissionOf(host, modal, values);
    const ack = await host.dispatch.acknowledgeView(submission);
    if (ack.action !== 'errors') return submitted(host, modal, submission, ack);
    for (const [id, error] of Object.entries(ack.errors)) {
      const label = modal.fields.find((f) => f.id === id)?.label ?? id;
      host.print(t(locale, 'console.form.error', { label, error }));
    }
    const wrong = modal.fields.filter((f) => ack.errors[f.id] !== undefined);
    // An error under no field of this modal still keeps it open: ask everything again.
    asking = wrong.length ? wrong : modal.fields;
  }
}

function printHeader(host: FormHost, modal: Modal): void {
  host.print(`== ${modal.title} ==`);
  if (modal.intro) host.print(host.text(modal.intro));
}

function submissionOf(host: FormHost, modal: Modal, values: FieldValues): ViewSubmission {
  return {
    ...host.actor(),
    callbackId: modal.callbackId,
    privateMetadata: modal.privateMetadata,
    values: { ...values },
  };
}

/**
 * After an acknowledgement that let the submission through: submit it and show what it answers.
 * An `update` acknowledgement (Slack shows it while submit() runs) is printed first; when it is a
 * further form (a step of a wizard), it is asked after submit(), unless submit() replaces it.
 */
async function submitted(
  host: FormHost,
  modal: Modal,
  submission: ViewSubmission,
  ack: Exclude<ViewAck, { action: 'errors' }>,
): Promise<Modal | undefined> {
  let next: Modal | undefined;
  if (ack.action === 'update') {
    if (isForm(ack.modal)) next = ack.modal;
    else printHeader(host, ack.modal);
  } else {
    host.print(t(submission.locale, 'console.form.sent', { title: modal.title }));
  }
  const outcome = await host.dispatch.submitView(submission);
  if (outcome?.reply) host.showReply(outcome.reply);
  if (outcome?.view) next = outcome.view.modal;
  return next;
}

async function cancel(host: FormHost, modal: Modal, values: FieldValues): Promise<undefined> {
  const submission = submissionOf(host, modal, values);
  if (modal.notifyOnClose) await host.dispatch.closeView(submission);
  host.print(t(submission.locale, 'console.form.cancelled', { title: modal.title }));
  return undefined;
}

/** A field's value as the person reads it: an option's label, a person's name. */
function shown(host: FormHost, field: ModalField, value: string): string {
  if (field.kind === 'select') return field.options?.find((o) => o.value === value)?.label ?? value;
  if (field.kind === 'user') {
    const name = host.nameOf(value);
    return name ? `@${name} (${value})` : value;
  }
  return value;
}

/** Asks one field until its answer is acceptable (or the form is cancelled). */
async function askField(host: FormHost, field: ModalField, current: string | undefined): Promise<Answer> {
  const { locale } = host.actor();
  host.print(`${field.label}${field.optional ? ` ${t(locale, 'console.form.optional')}` : ''}`);
  if (field.hint) host.print(`  ${host.text(field.hint)}`);
  if (field.kind === 'date') host.print(`  (${t(locale, 'console.form.date')})`);
  if (field.kind === 'user') host.print(`  (${t(locale, 'console.form.user')})`);
  if (field.kind === 'select') (field.options ?? []).forEach((o, i) => host.print(`  ${i + 1}) ${o.label}`));
  const prompt = current === undefined ? '> ' : `[${shown(host, field, current)}] > `;
  for (;;) {
    const line = await host.ask(prompt);
    if (line === undefined) return 'cancel';
    const typed = line.trim();
    if (CANCEL_WORDS.has(typed.normalize('NFKC').toLowerCase())) return 'cancel';
    if (typed === '') {
      if (current !== undefined) return { value: current };
      if (field.optional) return { value: undefined };
      host.print(`! ${t(locale, 'console.form.required')}`);
      continue;
    }
    if (typed === EMPTY_WORD && field.optional) return { value: undefined };
    const read = readValue(host, field, typed, locale);
    if ('error' in read) {
      host.print(`! ${read.error}`);
      continue;
    }
    return { value: read.value };
  }
}

/** What was typed as the field's value, or why it is not one (in the person's language). */
export function readValue(
  host: Pick<FormHost, 'userIdOf'>,
  field: ModalField,
  typed: string,
  locale: Locale,
): { value: string } | { error: string } {
  switch (field.kind) {
    case 'select': {
      const options = field.options ?? [];
      const word = typed.normalize('NFKC');
      const n = /^\d+$/.test(word) ? Number(word) : NaN;
      const chosen =
        options[n - 1] ??
        options.find((o) => o.value === typed) ??
        options.find((o) => o.label.normalize('NFKC').toLowerCase() === word.toLowerCase());
      return chosen
        ? { value: chosen.value }
        : { error: t(locale, 'console.form.bad_choice', { max: options.length }) };
    }
    case 'date': {
      const word = typed.normalize('NFKC');
      return isDate(word) ? { value: word } : { error: t(locale, 'console.form.bad_date') };
    }
    case 'user': {
      const id = host.userIdOf(typed.normalize('NFKC'));
      return id ? { value: id } : { error: t(locale, 'console.form.bad_user', { value: typed }) };
    }
    default:
      if (field.maxLength !== undefined && [...typed].length > field.maxLength)
        return {
          error: t(locale, 'console.form.too_long', { max: field.maxLength, length: [...typed].length }),
        };
      return { value: typed };
  }
}

/** YYYY-MM-DD naming a day that exists (2024-02-30 does not). */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

// A modal as toban's own view model. Slack shows it as a view (views/modal.ts renders the Block Kit,
// one input block per field, block_id and action_id both the field's id); the console shows it as a
// form, one field asked at a time; `toban run --json` prints it as is. Handlers build a Modal and read
// a Submission; neither knows Block Kit's `view.state.values` shape.
//
// Slack's limits a renderer enforces (https://api.slack.com/reference/surfaces/views,
// https://api.slack.com/reference/block-kit/blocks#input): title, submit and close 24 characters,
// private_metadata 3,000, callback_id 255, a label 2,000, a hint 2,000, a placeholder 150, 100 blocks,
// 100 options per select, an option's text 75 and its value 150.

/** How a field is asked: Slack's input element, or the console's prompt. */
export type FieldKind =
  /** plain_text_input, one line. */
  | 'text'
  /** plain_text_input, multiline. */
  | 'multiline'
  /** static_select over `options`; the value is the chosen option's value. */
  | 'select'
  /** datepicker; the value is YYYY-MM-DD. */
  | 'date'
  /** users_select; the value is a Slack user id (U…). */
  | 'user';

export interface FieldOption {
  value: string;
  label: string;
}

export interface ModalField {
  /** Stable id: block_id and action_id in Slack, the key in Submission.values and FieldErrors. */
  id: string;
  label: string;
  kind: FieldKind;
  /** Shown under the field (Slack `hint`), and by the console before its prompt. */
  hint?: string;
  placeholder?: string;
  /** An optional field may be left empty (its value is then undefined). */
  optional?: boolean;
  /** The value the field starts with (a select's option value, a date, a user id, text). */
  initial?: string;
  /** For `select`: the choices, in order. */
  options?: FieldOption[];
  /** For text fields: the most characters Slack lets the person type. */
  maxLength?: number;
}

export interface Modal {
  /** Routes the submission to its ViewSubmissionHandler (Slack's callback_id). */
  callbackId: string;
  title: string;
  /** The submit button's label; absent for a modal that only shows something. */
  submit?: string;
  close?: string;
  /** Text (mrkdwn) above the fields. */
  intro?: string;
  fields: ModalField[];
  /** Carried through Slack untouched and handed back with the submission (≤ 3,000 characters). */
  privateMetadata?: string;
  /** Ask Slack for view_closed when the person closes it (Slack's notify_on_close). */
  notifyOnClose?: boolean;
}

/** What the person entered, by field id: trimmed text, an option value, a date, a user id; undefined if left empty. */
export type FieldValues = Record<string, string | undefined>;

/** Field errors by field id, each a sentence in the person's language. Slack shows each under its field. */
export type FieldErrors = Record<string, string>;

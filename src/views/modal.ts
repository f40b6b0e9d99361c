// A Modal (src/core/modal.ts) as a Slack view, and a submitted view's state read back into field
// values. One input block per field, its block_id and action_id both the field's id, so Slack's
// `response_action: "errors"` (keyed by block_id) and view.state.values (block_id → action_id) map
// straight onto FieldErrors and FieldValues.
// Shapes: https://api.slack.com/reference/surfaces/views, https://api.slack.com/reference/block-kit/blocks#input,
// https://api.slack.com/reference/block-kit/block-elements, https://api.slack.com/reference/interaction-payloads/views.
import type { KnownBlock, View } from '@slack/types';
import type { FieldValues, Modal, ModalField } from '../core/modal.ts';
import { fitModal } from './limits.ts';

type Plain = { type: 'plain_text'; text: string; emoji?: boolean };
const plain = (text: string): Plain => ({ type: 'plain_text', text, emoji: true });

function element(f: ModalField): Record<string, unknown> {
  const base = { action_id: f.id, ...(f.placeholder ? { placeholder: plain(f.placeholder) } : {}) };
  switch (f.kind) {
    case 'text':
    case 'multiline':
      return {
        type: 'plain_text_input',
        ...base,
        ...(f.kind === 'multiline' ? { multiline: true } : {}),
        ...(f.initial !== undefined ? { initial_value: f.initial } : {}),
        ...(f.maxLength !== undefined ? { max_length: f.maxLength } : {}),
      };
    case 'select': {
      const options = (f.options ?? []).map((o) => ({ text: plain(o.label), value: o.value }));
      const initial = options.find((o) => o.value === f.initial);
      return { type: 'static_select', ...base, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'date':
      return { type: 'datepicker', ...base, ...(f.initial ? { initial_date: f.initial } : {}) };
    case 'user':
      return { type: 'users_select', ...base, ...(f.initial ? { initial_user: f.initial } : {}) };
  }
}

function inputBlock(f: ModalField): KnownBlock {
  return {
    type: 'input',
    block_id: f.id,
    label: plain(f.label),
    element: element(f),
    ...(f.optional ? { optional: true } : {}),
    ...(f.hint ? { hint: plain(f.hint) } : {}),
  } as unknown as KnownBlock;
}

/** The Slack view of a modal, fitted to Slack's limits first (fitModal: may throw ModalTooLargeError). */
export function modalView(modal: Modal): View {
  const m = fitModal(modal);
  const blocks: KnownBlock[] = [];
  if (m.intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: m.intro } });
  blocks.push(...m.fields.map(inputBlock));
  return {
    type: 'modal',
    callback_id: m.callbackId,
    title: plain(m.title),
    ...(m.submit && m.fields.length > 0 ? { submit: plain(m.submit) } : {}),
    ...(m.close ? { close: plain(m.close) } : {}),
    ...(m.privateMetadata !== undefined ? { private_metadata: m.privateMetadata } : {}),
    ...(m.notifyOnClose ? { notify_on_close: true } : {}),
    blocks,
  } as View;
}

/** One element's state as Slack sends it in view.state.values[block_id][action_id]. */
export interface ElementState {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
  selected_user?: string | null;
}

/**
 * Field values from a view's state: plain_text_input's value trimmed, static_select's chosen
 * option value, datepicker's date, users_select's user; empty (or nothing chosen) is undefined.
 * Keyed by block_id (the field's id); a block holding several elements takes its first that has a value.
 */
export function readViewState(values: Record<string, Record<string, ElementState>> | undefined): FieldValues {
  const out: FieldValues = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    let value: string | undefined;
    for (const el of Object.values(elements)) {
      const v =
        el.type === 'plain_text_input' || (el.type === undefined && typeof el.value === 'string')
          ? el.value?.trim()
          : el.type === 'static_select' || el.type === 'external_select' || el.type === 'radio_buttons'
            ? el.selected_option?.value
            : el.type === 'datepicker'
              ? el.selected_date
              : el.type === 'users_select'
                ? el.selected_user
                : undefined;
      if (v) {
        value = v;
        break;
      }
    }
    out[blockId] = value;
  }
  return out;
}

/**
 * A modal as plain text (`toban run` without --json): its title, intro, then one line per field,
 * "label: [kind] hint", with a select's choices and "(optional)" where it applies.
 */
export function modalText(modal: Modal): string {
  const lines = [modal.title];
  if (modal.intro) lines.push(modal.intro);
  for (const f of modal.fields) {
    const extra = [
      f.optional ? '(optional)' : '',
      f.hint ?? '',
      f.options ? `{${f.options.map((o) => o.value).join('|')}}` : '',
    ].filter(Boolean);
    lines.push(`${f.label}: [${f.kind}]${extra.length ? ' ' + extra.join(' ') : ''}`);
  }
  return lines.join('\n');
}

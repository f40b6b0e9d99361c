// A Modal as Slack's view (views/modal.ts) and a submitted view's state read back.
import { describe, expect, it } from 'vitest';
import type { Modal } from '../../src/core/modal.ts';
import { fitModal, MODAL_LIMITS } from '../../src/views/limits.ts';
import { modalText, modalView, readViewState } from '../../src/views/modal.ts';

const modal: Modal = {
  callbackId: 'thing.file',
  title: 'File',
  submit: 'Send',
  close: 'Cancel',
  intro: 'Tell us *what*',
  privateMetadata: '{"a":1}',
  notifyOnClose: true,
  fields: [
    { id: 'title', label: 'Title', kind: 'text', placeholder: 'p', maxLength: 80, initial: 'x' },
    { id: 'body', label: 'Body', kind: 'multiline', optional: true, hint: 'h' },
    {
      id: 'cat',
      label: 'Category',
      kind: 'select',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
      initial: 'b',
    },
    { id: 'due', label: 'Due', kind: 'date', initial: '2024-05-01' },
    { id: 'who', label: 'Who', kind: 'user', initial: 'U0AAA' },
  ],
};

describe('modalView', () => {
  it('renders one input block per field, block_id and action_id the field id', () => {
    const v = modalView(modal) as unknown as {
      type: string;
      callback_id: string;
      private_metadata: string;
      notify_on_close: boolean;
      submit: { text: string };
      blocks: {
        type: string;
        block_id?: string;
        optional?: boolean;
        hint?: unknown;
        element?: Record<string, unknown>;
      }[];
    };
    expect(v.type).toBe('modal');
    expect(v.callback_id).toBe('thing.file');
    expect(v.private_metadata).toBe('{"a":1}');
    expect(v.notify_on_close).toBe(true);
    expect(v.submit.text).toBe('Send');
    expect(v.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Tell us *what*' } });
    const inputs = v.blocks.slice(1);
    expect(inputs.map((b) => [b.block_id, b.element?.action_id, b.element?.type])).toEqual([
      ['title', 'title', 'plain_text_input'],
      ['body', 'body', 'plain_text_input'],
      ['cat', 'cat', 'static_select'],
      ['due', 'due', 'datepicker'],
      ['who', 'who', 'users_select'],
    ]);
    expect(inputs[0]!.element).toMatchObject({ initial_value: 'x', max_length: 80 });
    expect(inputs[1]).toMatchObject({ optional: true, hint: { type: 'plain_text', text: 'h' } });
    expect(inputs[1]!.element).toMatchObject({ multiline: true });
    expect(inputs[2]!.element).toMatchObject({ initial_option: { value: 'b' } });
    expect(inputs[3]!.element).toMatchObject({ initial_date: '2024-05-01' });
    expect(inputs[4]!.element).toMatchObject({ initial_user: 'U0AAA' });
  });
});

describe('fitModal', () => {
  it('keeps a modal within Slack’s limits and leaves one within them equal', () => {
    expect(fitModal(modal)).toEqual(modal);
    const big: Modal = {
      callbackId: 'x',
      title: 't'.repeat(30),
      submit: 's'.repeat(30),
      fields: Array.from({ length: 120 }, (_, i) => ({
        id: `f${i}`,
        label: 'l'.repeat(2100),
        kind: 'select' as const,
        placeholder: 'p'.repeat(200),
        options: Array.from({ length: 120 }, (_, j) => ({ value: `v${j}`, label: 'o'.repeat(80) })),
      })),
      intro: 'i',
    };
    const fit = fitModal(big);
    expect(fit.title.length).toBe(MODAL_LIMITS.title);
    expect(fit.submit!.length).toBe(MODAL_LIMITS.submit);
    expect(fit.fields).toHaveLength(MODAL_LIMITS.blocks - 1);
    expect(fit.fields[0]!.label.length).toBe(MODAL_LIMITS.label);
    expect(fit.fields[0]!.placeholder!.length).toBe(MODAL_LIMITS.placeholder);
    expect(fit.fields[0]!.options).toHaveLength(MODAL_LIMITS.options);
    expect(fit.fields[0]!.options![0]!.label.length).toBe(MODAL_LIMITS.optionText);
  });

  it('refuses private_metadata over 3,000 characters', () => {
    expect(() => fitModal({ ...modal, privateMetadata: 'x'.repeat(3001) })).toThrow(/private_metadata/);
  });
});

describe('readViewState', () => {
  it('reads each element kind, trims text and leaves empty fields undefined', () => {
    expect(
      readViewState({
        title: { title: { type: 'plain_text_input', value: '  Printer  ' } },
        body: { body: { type: 'plain_text_input', value: '   ' } },
        cat: { cat: { type: 'static_select', selected_option: { value: 'b' } } },
        none: { none: { type: 'static_select', selected_option: null } },
        due: { due: { type: 'datepicker', selected_date: '2024-05-01' } },
        who: { who: { type: 'users_select', selected_user: 'U0AAA' } },
      }),
    ).toEqual({
      title: 'Printer',
      body: undefined,
      cat: 'b',
      none: undefined,
      due: '2024-05-01',
      who: 'U0AAA',
    });
    expect(readViewState(undefined)).toEqual({});
  });
});

describe('modalText', () => {
  it('shows the title, the intro and one line per field (toban run)', () => {
    expect(modalText(modal).split('\n')).toEqual([
      'File',
      'Tell us *what*',
      'Title: [text]',
      'Body: [multiline] (optional) h',
      'Category: [select] {a|b}',
      'Due: [date]',
      'Who: [user]',
    ]);
  });
});

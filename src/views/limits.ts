// Slack's size limits on a message, and the only two helpers views use to keep them: truncate()
// (shorten with an ellipsis) and splitText() (cut long text into pieces at line ends). fitReply()
// is the last guard, run by the Dispatcher over every reply: whatever a view still got wrong is
// shortened, and when content was cut the whole text goes along as a file.
//
// Limits from Slack's Block Kit reference, https://docs.slack.dev/reference/block-kit/blocks
// (section: text 3,000 characters, at most 10 fields of 2,000; header: 150; context: at most 10
// elements; button text 75, value 2,000; at most 50 blocks in a message), and the message text,
// which Slack truncates beyond 40,000 characters
// (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
// Lengths are counted in UTF-16 code units (JavaScript's length), never fewer than Slack's
// characters, so a text within the limit here is within it for Slack.
import type { KnownBlock } from '@slack/types';
import type { Message, Reply, ReplyFile } from '../core/command.ts';
import type { Modal, ModalField } from '../core/modal.ts';
import { t, type Locale } from '../i18n/index.ts';

export const SLACK_LIMITS = {
  sectionText: 3000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Any text object not limited more tightly (context elements). */
  textObject: 3000,
  buttonText: 75,
  buttonValue: 2000,
  blocksPerMessage: 50,
  messageText: 40_000,
} as const;

/** What a person's own words may take when a reply quotes them back (an unknown name, a bad date). */
export const ECHO_LIMIT = 100;

const ELLIPSIS = '…';

/** The end of a cut that does not split a surrogate pair. */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/**
 * The text, or its beginning and an ellipsis when longer than `max` (UTF-16 units, ≥ 1): the result
 * is never longer than `max` and never ends in half a character.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, safeEnd(text, max - ELLIPSIS.length)) + ELLIPSIS;
}

/**
 * Text in pieces of at most `max` UTF-16 units (≥ 2), cut at line ends; a single line longer than
 * `max` is cut inside (never inside a character). Pieces holding only white space are left out
 * (Slack refuses an empty text). Joining the pieces with "\n" gives the text back when no line is
 * longer than `max` or blank; otherwise only blank lines and line ends can be lost.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (current !== undefined && current.length + 1 + line.length <= max) {
      current += '\n' + line;
      continue;
    }
    if (current !== undefined) pieces.push(current);
    let rest = line;
    while (rest.length > max) {
      const end = safeEnd(rest, max);
      pieces.push(rest.slice(0, end));
      rest = rest.slice(end);
    }
    current = rest;
  }
  if (current !== undefined) pieces.push(current);
  return pieces.filter((p) => /\S/.test(p));
}

type Text = { type: string; text: string };
type Block = {
  type: string;
  text?: Text;
  fields?: Text[];
  elements?: ({ type: string; text?: unknown } & Record<string, unknown>)[];
  accessory?: { type: string; text?: Text; value?: string } & Record<string, unknown>;
};

interface Fitted {
  blocks: KnownBlock[];
  /** Content was lost from the blocks (not just a header shortened). */
  cut: boolean;
}

function fitText(text: Text, max: number, state: { cut: boolean }, matters = true): Text {
  if (text.text.length <= max) return text;
  if (matters) state.cut = true;
  // A code block cut short keeps its closing fence, so the rest of the message is not code.
  if (text.type === 'mrkdwn' && text.text.startsWith('```') && text.text.endsWith('```'))
    return { ...text, text: truncate(text.text.slice(0, -3), max - 3) + '```' };
  return { ...text, text: truncate(text.text, max) };
}

function fitBlock(block: Block, state: { cut: boolean }): Block {
  const L = SLACK_LIMITS;
  switch (block.type) {
    case 'header':
      return block.text ? { ...block, text: fitText(block.text, L.headerText, state, false) } : block;
    case 'section': {
      const out: Block = { ...block };
      if (block.text) out.text = fitText(block.text, L.sectionText, state);
      if (block.fields) {
        if (block.fields.length > L.sectionFields) state.cut = true;
        out.fields = block.fields.slice(0, L.sectionFields).map((f) => fitText(f, L.fieldText, state));
      }
      if (block.accessory?.type === 'button' && block.accessory.text)
        out.accessory = {
          ...block.accessory,
          text: fitText(block.accessory.text, L.buttonText, state, false),
        };
      return out;
    }
    case 'context': {
      const elements = block.elements ?? [];
      if (elements.length > L.contextElements) state.cut = true;
      return {
        ...block,
        elements: elements
          .slice(0, L.contextElements)
          .map((e) =>
            typeof e.text === 'string' ? { ...e, ...fitText(e as Text, L.textObject, state) } : e,
          ),
      };
    }
    default:
      return block;
  }
}

function fitBlocks(blocks: readonly KnownBlock[], locale: Locale): Fitted {
  const state = { cut: false };
  let out = (blocks as unknown as Block[]).map((b) => fitBlock(b, state));
  if (out.length > SLACK_LIMITS.blocksPerMessage) {
    state.cut = true;
    out = out.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
  }
  if (state.cut && out.length > 0 && out.length >= SLACK_LIMITS.blocksPerMessage) out = out.slice(0, -1);
  if (state.cut)
    out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t(locale, 'reply.shortened') }] });
  return { blocks: out as unknown as KnownBlock[], cut: state.cut };
}

function wholeTextFile(message: Message, locale: Locale): ReplyFile {
  return {
    filename: 'reply.txt',
    title: t(locale, 'reply.file_title'),
    content: message.text,
    encoding: 'utf8',
    filetype: 'text',
  };
}

/**
 * The reply within Slack's limits (SLACK_LIMITS): long texts shortened with an ellipsis, blocks
 * beyond 50 dropped. When content was cut (not merely a header), the blocks end with a note and
 * the reply carries the whole message text as a file. A reply within the limits is returned as is.
 */
export function fitReply(reply: Reply, locale: Locale): Reply {
  const { message } = reply;
  const fitted = message.blocks ? fitBlocks(message.blocks, locale) : undefined;
  const textCut = message.text.length > SLACK_LIMITS.messageText;
  const changed =
    textCut || (fitted !== undefined && JSON.stringify(fitted.blocks) !== JSON.stringify(message.blocks));
  if (!changed) return reply;
  const out: Reply = {
    ...reply,
    message: {
      ...message,
      text: truncate(message.text, SLACK_LIMITS.messageText),
      ...(fitted ? { blocks: fitted.blocks } : {}),
    },
  };
  if (textCut || fitted?.cut) out.files = [...(reply.files ?? []), wholeTextFile(message, locale)];
  return out;
}

/**
 * Slack's limits on a modal (https://api.slack.com/reference/surfaces/views: title, submit and close
 * 24 characters, 100 blocks, private_metadata 3,000; https://api.slack.com/reference/block-kit/blocks#input:
 * label 2,000, hint 2,000; https://api.slack.com/reference/block-kit/block-elements: placeholder 150,
 * static_select 100 options; https://api.slack.com/reference/block-kit/composition-objects#option:
 * option text 75, value 150).
 */
export const MODAL_LIMITS = {
  title: 24,
  submit: 24,
  close: 24,
  label: 2000,
  hint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  blocks: 100,
  privateMetadata: 3000,
  /** A section's text (the intro): as in a message. */
  intro: SLACK_LIMITS.sectionText,
} as const;

/** A modal's private_metadata is longer than Slack carries: cutting it would corrupt what it holds. */
export class ModalTooLargeError extends Error {
  override name = 'ModalTooLargeError';
}

function fitField(f: ModalField): ModalField {
  const L = MODAL_LIMITS;
  const out: ModalField = { ...f, label: truncate(f.label, L.label) };
  if (f.hint !== undefined) out.hint = truncate(f.hint, L.hint);
  if (f.placeholder !== undefined) out.placeholder = truncate(f.placeholder, L.placeholder);
  if (f.options)
    out.options = f.options.slice(0, L.options).map((o) => ({
      value: o.value.length > L.optionValue ? o.value.slice(0, L.optionValue) : o.value,
      label: truncate(o.label, L.optionText),
    }));
  return out;
}

/**
 * The modal within Slack's limits (MODAL_LIMITS): texts shortened with an ellipsis, options beyond
 * 100 and fields beyond the 100 blocks dropped (the intro takes one block). A modal within the
 * limits is returned equal.
 * @throws ModalTooLargeError when privateMetadata is over 3,000 characters (a handler's mistake:
 *   cut, the metadata would come back broken with the submission).
 */
export function fitModal(modal: Modal): Modal {
  const L = MODAL_LIMITS;
  if ((modal.privateMetadata?.length ?? 0) > L.privateMetadata)
    throw new ModalTooLargeError(
      `modal ${modal.callbackId}: private_metadata is ${modal.privateMetadata?.length} characters (Slack takes ${L.privateMetadata})`,
    );
  const room = L.blocks - (modal.intro ? 1 : 0);
  return {
    ...modal,
    title: truncate(modal.title, L.title),
    ...(modal.submit !== undefined ? { submit: truncate(modal.submit, L.submit) } : {}),
    ...(modal.close !== undefined ? { close: truncate(modal.close, L.close) } : {}),
    ...(modal.intro !== undefined ? { intro: truncate(modal.intro, L.intro) } : {}),
    fields: modal.fields.slice(0, room).map(fitField),
  };
}

// Block Kit and Slack mrkdwn rendered as terminal text, for console mode and `toban run`: sections,
// fields, context, dividers, headers, images, and buttons numbered so they can be pressed with
// `press N`. Mrkdwn (https://api.slack.com/reference/surfaces/formatting) is read, not printed raw:
// *bold*, _italic_ and ~strike~ become ANSI styles on a terminal and plain words otherwise; ```code
// blocks``` become indented blocks whose columns stay aligned; links, mentions and &amp;-escapes
// become what Slack would show. Control characters in the text (ESC and the like: a message may carry
// what someone typed) are removed before any ANSI style is added, so text cannot drive the terminal.
import stringWidth from 'string-width';
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';
import { cleanText } from '../core/input.ts';

export interface RenderedButton {
  n: number;
  actionId: string;
  value?: string;
  label: string;
  url?: string;
}

export interface Rendered {
  text: string;
  buttons: RenderedButton[];
}

type Names = (userId: string) => string | undefined;

export interface TextStyle {
  /** ANSI styles (bold, italic, strike, code); false prints plain text (a pipe, a file, a test). */
  ansi?: boolean;
}

/** How many columns a code block is indented by in the terminal. */
const CODE_INDENT = '    ';

const ANSI = {
  bold: ['\x1b[1m', '\x1b[22m'],
  italic: ['\x1b[3m', '\x1b[23m'],
  strike: ['\x1b[9m', '\x1b[29m'],
  code: ['\x1b[36m', '\x1b[39m'],
} as const;

/** Columns a string takes in a monospace terminal: East Asian wide characters take two. */
export function columns(s: string): number {
  return stringWidth(s);
}

/**
 * Text as typed from Slack's mrkdwn escaping: &lt; &gt; &amp; back to < > &
 * (https://api.slack.com/reference/surfaces/formatting#escaping). &amp; last, so a typed "&lt;"
 * (sent as "&amp;lt;") comes back as typed. Mentions and links (<…>) are left as they are.
 */
export function unescapeMrkdwn(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * One `<…>` token of Slack's markup as shown to a person: <@U1> -> @name, <#C1|general> -> #general,
 * <!subteam^S1|@oncall> -> @oncall, <!here> -> @here, <url|label> -> label (url), <url> -> url.
 */
function angle(inner: string, names: Names): string {
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${names(id) ?? label ?? id}`;
  }
  if (target.startsWith('#')) return `#${label || target.slice(1)}`;
  if (target.startsWith('!subteam^')) return label || `@${target.slice('!subteam^'.length)}`;
  if (target.startsWith('!date^')) return label ?? target;
  if (target.startsWith('!')) return label || `@${target.slice(1)}`;
  const url = unescapeMrkdwn(target);
  if (label === undefined || label === '' || unescapeMrkdwn(label) === url) return url;
  return `${unescapeMrkdwn(label)} (${url})`;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/**
 * Markup tokens inside text that Slack shows shorter or longer than they are written: a mention or
 * special (<@…>, <#…>, <!…>), a link (<scheme:…>), an escape. Anything else in angle brackets (a
 * usage's `<n>`) is text.
 */
const TOKEN = /<([@#!][^<>\n]*|[a-z][a-z0-9+.-]*:[^<>\n]*)>|&(?:amp|lt|gt);/gi;

function tokens(s: string, names: Names): string {
  return s.replace(TOKEN, (m, inner?: string) =>
    inner === undefined ? unescapeMrkdwn(m) : angle(inner, names),
  );
}

/** A mention, channel, special or link in Slack's <…> markup (TOKEN without the escapes). */
const ANGLE = /<([@#!][^<>\n]*|[a-z][a-z0-9+.-]*:[^<>\n]*)>/gi;

/**
 * A message's text with Slack's <…> markup as a person reads it, for plain text (a modal's
 * plain_text field, which shows it literally): <@U1> -> @name (else @U1), <#C1|general> -> #general,
 * <!here> -> @here, <url|label> -> label (url), <url> -> url. Takes the text as typed (its &amp;
 * escapes already undone, MessageRef.text) and leaves everything else as it is.
 */
export function readableMarkup(s: string, names: Names = () => undefined): string {
  return s.replace(ANGLE, (_m, inner: string) => angle(inner, names));
}

/**
 * A code block's line with its tokens replaced, its columns kept: the views pad tables by the text
 * as written (cells apart by two spaces or more), so where a cell is shown narrower or wider than it
 * is written, the gap after it grows or shrinks by the difference (leaving at least one space).
 */
function codeLine(line: string, names: Names): string {
  const parts = line.split(/( {2,})/);
  let carry = 0;
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const gap = Math.max(1, part.length + carry);
        carry = 0;
        return ' '.repeat(gap);
      }
      const shown = tokens(part, names);
      carry = columns(part) - columns(shown);
      return shown;
    })
    .join('');
}

function codeBlock(body: string, names: Names): string {
  const lines = body.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  return lines.map((l) => (l ? CODE_INDENT + codeLine(l, names) : '')).join('\n');
}

/**
 * Styles *bold*, _italic_ and ~strike~ where Slack would (https://api.slack.com/reference/surfaces/formatting#basics):
 * the marks hug non-space text and stand at word boundaries, so `a*b*c` and `2*3*4` stay as written.
 * Bold goes first, so `_*both*_` is bold inside italic.
 */
function emphasis(s: string, style: TextStyle): string {
  const wrap = (kind: 'bold' | 'italic' | 'strike', text: string) =>
    style.ansi ? `${ANSI[kind][0]}${text}${ANSI[kind][1]}` : text;
  return s
    .replace(
      /(^|[^\p{L}\p{N}*])\*([^\s*](?:[^*\n]*?[^\s*])?)\*(?![\p{L}\p{N}*])/gu,
      (_m, before: string, inner: string) => before + wrap('bold', inner),
    )
    .replace(
      /(^|[^\p{L}\p{N}_])_([^\s_](?:[^_\n]*?[^\s_])?)_(?![\p{L}\p{N}_])/gu,
      (_m, before: string, inner: string) => before + wrap('italic', inner),
    )
    .replace(
      /(^|[^\p{L}\p{N}~])~([^\s~](?:[^~\n]*?[^\s~])?)~(?![\p{L}\p{N}~])/gu,
      (_m, before: string, inner: string) => before + wrap('strike', inner),
    );
}

/**
 * Text outside code blocks. Inline `code` and `<…>` tokens are held aside while the marks are read,
 * so a URL's underscores or a code sample's asterisks are never taken for marks; inline code keeps
 * its backticks in plain text (they set a command apart) and becomes a colour on a terminal.
 */
function prose(s: string, names: Names, style: TextStyle): string {
  const held: string[] = [];
  const hold = (shown: string) => `\uE000${held.push(shown) - 1}\uE001`;
  const marked = emphasis(
    s
      .replace(/`([^`\n]+)`/g, (_m, code: string) => {
        const shown = tokens(code, names);
        return hold(style.ansi ? `${ANSI.code[0]}${shown}${ANSI.code[1]}` : `\`${shown}\``);
      })
      .replace(TOKEN, (m, inner?: string) =>
        hold(inner === undefined ? unescapeMrkdwn(m) : angle(inner, names)),
      ),
    style,
  );
  return marked
    .split('\n')
    .map((line) => line.replace(/^>\s?/, '│ '))
    .join('\n')
    .replace(/\uE000(\d+)\uE001/g, (_m, i: string) => held[Number(i)]!);
}

/**
 * Slack mrkdwn as terminal text. Code blocks go on their own lines, indented; bold and the other
 * marks are ANSI styles when `style.ansi`, else the bare words (no asterisks left).
 */
export function mrkdwnToText(s: string, names: Names = () => undefined, style: TextStyle = {}): string {
  const segments = cleanText(s).split('```');
  // An unclosed fence is shown as written, its backticks literal and no code block, the text after
  // it read as prose: Slack prints it so too.
  if (segments.length % 2 === 0) segments[segments.length - 2] += '```' + segments.pop()!;
  // Text and code blocks alternate; each block stands on its own lines, like Slack's box.
  return segments
    .map((seg, i) => (i % 2 === 1 ? codeBlock(seg, names) : prose(seg, names, style)))
    .map((text, i, all) => {
      if (i % 2 === 1) return text;
      const afterBlock = i > 0 ? text.replace(/^[ \t]*\n?/, '') : text;
      return i < all.length - 1 ? afterBlock.replace(/\n?[ \t]*$/, '') : afterBlock;
    })
    .filter((text, i) => i % 2 === 1 || text !== '')
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

type TextObject = { type: string; text: string };
type Element = {
  type: string;
  text?: TextObject | string;
  action_id?: string;
  value?: string;
  url?: string;
  alt_text?: string;
};

/** A section's fields as Slack lays them out: two columns, the left one padded to its widest cell. */
function fieldGrid(cells: string[]): string[] {
  const left = cells.filter((_, i) => i % 2 === 0);
  const oneLine = cells.every((c) => !c.includes('\n'));
  const width = oneLine ? Math.max(...left.map(columns)) : 0;
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    const l = cells[i]!;
    const r = cells[i + 1];
    if (r === undefined) rows.push(l);
    else if (oneLine) rows.push(`${l}${' '.repeat(width - columns(l))}    ${r}`);
    else rows.push(`${l}\n${r}`);
  }
  return rows;
}

export function renderMessage(
  message: Message,
  names: Names = () => undefined,
  firstButton = 1,
  style: TextStyle = {},
): Rendered {
  const buttons: RenderedButton[] = [];
  const out: string[] = [];
  const txt = (o?: TextObject | string) => {
    if (o === undefined) return '';
    if (typeof o === 'string') return mrkdwnToText(o, names, style);
    // plain_text is shown as written (Slack does not read marks in it); only its escapes go.
    return o.type === 'plain_text' ? cleanText(unescapeMrkdwn(o.text)) : mrkdwnToText(o.text, names, style);
  };
  const button = (el: Element): string => {
    if (el.type !== 'button') return '';
    const b: RenderedButton = {
      n: firstButton + buttons.length,
      actionId: el.action_id ?? '',
      value: el.value,
      label: txt(el.text),
      url: el.url,
    };
    buttons.push(b);
    return `[${b.n}] ${b.label}${b.url ? ` (${cleanText(b.url)})` : ''}`;
  };
  const blocks = (message.blocks ?? []) as KnownBlock[];
  if (blocks.length === 0) out.push(mrkdwnToText(message.text, names, style));
  for (const block of blocks) {
    const b = block as unknown as {
      type: string;
      text?: TextObject;
      fields?: TextObject[];
      elements?: Element[];
      accessory?: Element;
      alt_text?: string;
      image_url?: string;
      title?: TextObject;
    };
    switch (b.type) {
      case 'header': {
        const h = txt(b.text);
        out.push(style.ansi ? `${ANSI.bold[0]}== ${h} ==${ANSI.bold[1]}` : `== ${h} ==`);
        break;
      }
      case 'section': {
        const line = [txt(b.text)];
        if (b.fields?.length) line.push(...fieldGrid(b.fields.map((f) => txt(f))));
        if (b.accessory) {
          const acc = button(b.accessory);
          if (acc) line.push(`  ${acc}`);
        }
        out.push(line.filter(Boolean).join('\n'));
        break;
      }
      case 'context':
        out.push(
          `  ${(b.elements ?? [])
            .map((e) => (e.type === 'image' ? '' : txt(e as TextObject)))
            .filter(Boolean)
            .join('  ')}`,
        );
        break;
      case 'divider':
        out.push('─'.repeat(40));
        break;
      case 'actions':
        out.push((b.elements ?? []).map(button).filter(Boolean).join('  '));
        break;
      case 'image':
        out.push(cleanText(`[image: ${b.alt_text ?? ''}${b.image_url ? ` ${b.image_url}` : ''}]`));
        break;
      case 'rich_text':
        out.push(mrkdwnToText(message.text, names, style));
        break;
      default:
        break;
    }
  }
  return { text: out.join('\n'), buttons };
}

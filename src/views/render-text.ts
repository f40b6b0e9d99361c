// Block Kit rendered as terminal text for console mode: sections, fields, context, dividers,
// headers, images, and buttons numbered so they can be pressed with `press N`.
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';

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

/** Slack mrkdwn to plain text: <@U1> -> @name, <url|label> -> label (url), *bold* kept as is. */
export function mrkdwnToText(s: string, names: Names = () => undefined): string {
  return s
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${names(id) ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => label || `@${id}`)
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
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

export function renderMessage(message: Message, names: Names = () => undefined, firstButton = 1): Rendered {
  const buttons: RenderedButton[] = [];
  const out: string[] = [];
  const txt = (o?: TextObject | string) =>
    o === undefined ? '' : mrkdwnToText(typeof o === 'string' ? o : o.text, names);
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
    return `[${b.n}] ${b.label}${b.url ? ` (${b.url})` : ''}`;
  };
  const blocks = (message.blocks ?? []) as KnownBlock[];
  if (blocks.length === 0) out.push(mrkdwnToText(message.text, names));
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
      case 'header':
        out.push(`== ${txt(b.text)} ==`);
        break;
      case 'section': {
        const line = [txt(b.text)];
        if (b.fields?.length) {
          const cells = b.fields.map((f) => txt(f));
          for (let i = 0; i < cells.length; i += 2)
            line.push(`${cells[i]}${cells[i + 1] !== undefined ? `    ${cells[i + 1]}` : ''}`);
        }
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
        out.push(`[image: ${b.alt_text ?? ''}${b.image_url ? ` ${b.image_url}` : ''}]`);
        break;
      case 'rich_text':
        out.push(mrkdwnToText(message.text, names));
        break;
      default:
        break;
    }
  }
  return { text: out.join('\n'), buttons };
}

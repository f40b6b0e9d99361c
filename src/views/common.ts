// Small Block Kit pieces shared by every view. Views are pure: (model, locale, now) -> Message.
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../core/command.ts';
import { t, type Locale } from '../i18n/index.ts';
import { SLACK_LIMITS, splitText, truncate } from './limits.ts';

export function section(markdown: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: markdown } };
}

export function context(markdown: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: markdown }] };
}

export function header(text: string): KnownBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** Lines as mrkdwn sections, as many as it takes to keep each within Slack's section limit. */
export function sections(lines: readonly string[]): KnownBlock[] {
  return splitText(lines.join('\n'), SLACK_LIMITS.sectionText).map(section);
}

const FENCE = '```';

/** Lines as ``` code blocks (monospace tables), split over sections like sections(). */
export function codeSections(lines: readonly string[]): KnownBlock[] {
  return splitText(lines.join('\n'), SLACK_LIMITS.sectionText - 2 * FENCE.length).map((chunk) =>
    section(FENCE + chunk + FENCE),
  );
}

export const divider: KnownBlock = { type: 'divider' };

export function textReply(text: string, visibility: Reply['visibility'] = 'ephemeral'): Reply {
  return { visibility, message: { text, blocks: [section(text)] } };
}

export function helpReply(locale: Locale, command: string, helpKey: string): Reply {
  const title = t(locale, 'help.title', { command });
  const body = t(locale, helpKey);
  const footer = t(locale, 'help.footer', { command });
  return {
    visibility: 'ephemeral',
    message: { text: `${title}\n${body}`, blocks: [section(`*${title}*\n${body}`), context(footer)] },
  };
}

/** ¥1,234,567 and -¥1,234 from integer yen (bigint or a decimal string); never through a float. */
export function yen(amount: bigint | string): string {
  const v = typeof amount === 'bigint' ? amount : BigInt(amount);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${digits}`;
}

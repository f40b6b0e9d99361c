// An independent reading of Slack's Block Kit limits, for tests: what Slack would refuse or cut in
// a message. Source: https://docs.slack.dev/reference/block-kit/blocks (section: text 3,000,
// fields 10 × 2,000; header: 150; context: 10 elements), 50 blocks per message, and message text
// over 40,000 characters truncated (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
import type { Message } from '../../src/core/command.ts';

type Text = { type?: string; text?: string };
type AnyBlock = {
  type: string;
  text?: Text;
  fields?: Text[];
  elements?: (Text & { type: string; text?: Text | string })[];
  accessory?: { type: string; text?: Text; value?: string };
};

const len = (s: string | undefined) => (s ?? '').length;

/** Every limit the message breaks, one sentence each; empty when Slack would take it whole. */
export function slackLimitProblems(message: Message): string[] {
  const problems: string[] = [];
  if (len(message.text) > 40_000) problems.push(`message text ${len(message.text)} > 40000`);
  const blocks = (message.blocks ?? []) as unknown as AnyBlock[];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  blocks.forEach((b, i) => {
    if (b.type === 'header' && len(b.text?.text) > 150)
      problems.push(`block ${i}: header ${len(b.text?.text)} > 150`);
    if (b.type === 'section') {
      if (len(b.text?.text) > 3000) problems.push(`block ${i}: section text ${len(b.text?.text)} > 3000`);
      if ((b.fields?.length ?? 0) > 10) problems.push(`block ${i}: ${b.fields?.length} fields > 10`);
      for (const f of b.fields ?? [])
        if (len(f.text) > 2000) problems.push(`block ${i}: field ${len(f.text)} > 2000`);
      if (b.accessory?.type === 'button' && len(b.accessory.text?.text) > 75)
        problems.push(`block ${i}: button text > 75`);
    }
    if (b.type === 'context') {
      if ((b.elements?.length ?? 0) > 10)
        problems.push(`block ${i}: ${b.elements?.length} context elements > 10`);
      for (const e of b.elements ?? [])
        if (typeof e.text === 'string' && e.text.length > 3000)
          problems.push(`block ${i}: context text ${e.text.length} > 3000`);
    }
  });
  return problems;
}

import { describe, expect, it } from 'vitest';
import { mrkdwnToText, renderMessage } from '../../src/views/render-text.ts';

describe('console rendering of Block Kit', () => {
  it('renders headers, sections with fields, context, dividers and numbered buttons', () => {
    const r = renderMessage(
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '売掛金' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: '*残高* <@U0AAA>' },
            fields: [
              { type: 'mrkdwn', text: 'a' },
              { type: 'mrkdwn', text: 'b' },
            ],
          },
          { type: 'divider' },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'as of 2024-03-31' }] },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'ack',
                value: '42',
                text: { type: 'plain_text', text: 'Acknowledge' },
              },
              {
                type: 'button',
                action_id: 'open',
                url: 'https://example.com',
                text: { type: 'plain_text', text: 'Open' },
              },
            ],
          },
        ],
      },
      (id) => (id === 'U0AAA' ? 'Aiko' : undefined),
      3,
    );
    expect(r.text).toBe(
      [
        '== 売掛金 ==',
        '*残高* @Aiko\na    b',
        '─'.repeat(40),
        '  as of 2024-03-31',
        '[3] Acknowledge  [4] Open (https://example.com)',
      ].join('\n'),
    );
    expect(r.buttons).toEqual([
      { n: 3, actionId: 'ack', value: '42', label: 'Acknowledge', url: undefined },
      { n: 4, actionId: 'open', value: undefined, label: 'Open', url: 'https://example.com' },
    ]);
  });

  it('turns Slack links, mentions and escapes into plain text', () => {
    expect(mrkdwnToText('<https://x.test/a|runbook> <!here> <#C1|alerts> 1 &lt; 2')).toBe(
      'runbook (https://x.test/a) @here #alerts 1 < 2',
    );
  });

  it('falls back to the text when there are no blocks', () => {
    expect(renderMessage({ text: 'hello <@U1>' }).text).toBe('hello @U1');
  });
});

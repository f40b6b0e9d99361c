import { describe, expect, it } from 'vitest';
import type { TrialModel } from '../../src/services/ledger/models.ts';
import { trialView } from '../../src/views/ledger/trial.ts';
import { columns, mrkdwnToText, renderMessage } from '../../src/views/render-text.ts';

const names = (id: string) => ({ U0AAA: 'Aiko', U0FIN1: '経理 花子' })[id];

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
              { type: 'mrkdwn', text: '*科目*' },
              { type: 'mrkdwn', text: 'b' },
              { type: 'mrkdwn', text: 'cc' },
              { type: 'mrkdwn', text: 'd' },
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
      names,
      3,
    );
    expect(r.text).toBe(
      [
        '== 売掛金 ==',
        '残高 @Aiko',
        '科目    b', // fields in two columns, the left one as wide as its widest cell (科目: 4 columns)
        'cc      d',
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

  it('falls back to the text when there are no blocks', () => {
    expect(renderMessage({ text: 'hello <@U1>' }).text).toBe('hello @U1');
  });
});

describe('Slack mrkdwn for a terminal', () => {
  it('turns links, mentions, channels, user groups, specials and escapes into what Slack shows', () => {
    expect(
      mrkdwnToText(
        '<https://x.test/a_b_c|runbook> <https://x.test> <mailto:a@x.test|a@x.test> <!here> <#C1|alerts> <#C2> ' +
          '<!subteam^S0ONCALL|@oncall> <@U0FIN1> <@U9> 1 &lt; 2 &amp;&amp; 3 &gt; 2 `/oncall <rotation>`',
        names,
      ),
    ).toBe(
      'runbook (https://x.test/a_b_c) https://x.test a@x.test (mailto:a@x.test) @here #alerts #C2 ' +
        '@oncall @経理 花子 @U9 1 < 2 && 3 > 2 `/oncall <rotation>`',
    );
  });

  it('prints *bold*, _italic_ and ~strike~ as plain words when the output is not a terminal', () => {
    const out = mrkdwnToText(
      '*Primary on-call* のこの先のシフト、_urgent_ ~old~ snake_case_name 2 * 3',
      names,
    );
    expect(out).toBe('Primary on-call のこの先のシフト、urgent old snake_case_name 2 * 3');
  });

  it('prints them as ANSI styles on a terminal, inline code in a colour', () => {
    expect(mrkdwnToText('*bold* _it_ ~no~ `code`', names, { ansi: true })).toBe(
      '\x1b[1mbold\x1b[22m \x1b[3mit\x1b[23m \x1b[9mno\x1b[29m \x1b[36mcode\x1b[39m',
    );
  });

  it('bolds only at word boundaries, as Slack does: asterisks inside words and numbers stay', () => {
    expect(mrkdwnToText('a*b*c 2*3*4 x*y* *z*w', names, { ansi: true })).toBe('a*b*c 2*3*4 x*y* *z*w');
    expect(mrkdwnToText('(*bold*), *two words*! _*both*_', names)).toBe('(bold), two words! both');
    expect(mrkdwnToText('*bold*', names, { ansi: true })).toBe('\x1b[1mbold\x1b[22m');
  });

  it('removes control characters from the text before styling it, so text cannot drive the terminal', () => {
    const out = mrkdwnToText('red\x1b[31m *bold*\x1b]0;title\x07 \x9b2J', names, { ansi: true });
    expect(out).toBe('red[31m \x1b[1mbold\x1b[22m]0;title 2J');
    const r = renderMessage(
      {
        text: 'x',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'a\x1b[2Jb' } },
          { type: 'context', elements: [{ type: 'plain_text', text: 'c\x1bd' }] },
        ],
      },
      names,
      1,
      { ansi: true },
    );
    expect(r.text).toBe('\x1b[1m== a[2Jb ==\x1b[22m\n  cd');
  });

  it('keeps lists and shows quotes with a bar', () => {
    expect(mrkdwnToText('Steps:\n• check *disk*\n• page <@U0AAA>\n1. one\n> quoted', names)).toBe(
      'Steps:\n• check disk\n• page @Aiko\n1. one\n│ quoted',
    );
  });

  it('shows ```code blocks``` as indented blocks, with no fences and no marks read inside', () => {
    // The view padded the cells by their written width (&lt;c&gt; is 9): the columns stay where they were.
    const out = mrkdwnToText('Totals:\n```\na *b*      1\n&lt;c&gt;  2\n```\nafter ```inline```', names);
    expect(out).toBe('Totals:\n    a *b*      1\n    <c>        2\nafter\n    inline');
    expect(mrkdwnToText('an unclosed ``` fence')).toBe('an unclosed ``` fence');
    // After a closed block, an unclosed fence is literal too, and what follows it is read as prose.
    expect(mrkdwnToText('```a``` then ```*b* <@U0AAA>\nc', names)).toBe('    a\nthen ```b @Aiko\nc');
    expect(mrkdwnToText('```')).toBe('```');
  });

  it('keeps a table aligned when a mention in it is shown shorter or longer than written', () => {
    const out = mrkdwnToText('```\n<@U0AAA>   oncall\n<@U0FIN1>  finance\nA&amp;B    shared\n```', (id) =>
      id === 'U0AAA' ? 'Aiko' : id === 'U0FIN1' ? '経理部の会計担当者' : undefined,
    );
    const starts = out.split('\n').map((l) => columns(l.replace(/\S+$/, '')));
    expect(starts[0]).toBe(4 + 11);
    expect(starts[2]).toBe(4 + 11);
    // A name wider than its column can only push its own line (one space is kept).
    expect(out.split('\n')[1]).toBe('    @経理部の会計担当者 finance');
    expect(out).toContain('@Aiko');
    expect(out).toContain('A&B');
  });

  it('renders a real /ledger trial balance: Japanese account names stay aligned, no fences or asterisks left', () => {
    const model: TrialModel = {
      query: 'trial',
      month: '2024-03',
      from: '2024-03-01',
      through: '2024-03-31',
      rows: [
        {
          code: '1110',
          nameJa: '普通預金',
          nameEn: 'Bank',
          type: 'asset',
          opening: '1000000',
          debit: '250000',
          credit: '120000',
          closing: '1130000',
        },
        {
          code: '1130',
          nameJa: '売掛金',
          nameEn: 'AR',
          type: 'asset',
          opening: '300000',
          debit: '80000',
          credit: '250000',
          closing: '130000',
        },
        {
          code: '2150',
          nameJa: '前受金',
          nameEn: 'Advances',
          type: 'liability',
          opening: '-1300000',
          debit: '0',
          credit: '80000',
          closing: '-1380000',
        },
        {
          code: '4100',
          nameJa: '売上高 & 手数料',
          nameEn: 'Sales',
          type: 'revenue',
          opening: '0',
          debit: '120000',
          credit: '0',
          closing: '120000',
        },
      ],
      totals: { opening: '0', debit: '450000', credit: '450000', closing: '0' },
    } as TrialModel;
    const reply = trialView(model, 'ja');
    const text = renderMessage(reply.message, names).text;
    expect(text).not.toContain('```');
    expect(text).not.toMatch(/\*/);
    const table = text.split('\n').filter((l) => l.startsWith('    '));
    expect(table.length).toBe(6); // header, four accounts, total
    expect(table.some((l) => l.includes('売上高 & 手数料'))).toBe(true);
    // Every amount column ends at the same terminal column on every line.
    const ends = (l: string) =>
      [...l.matchAll(/\S+/g)].slice(-4).map((m) => columns(l.slice(0, m.index + m[0].length)));
    const first = ends(table[0]!);
    for (const line of table.slice(1)) expect(ends(line)).toEqual(first);
  });
});

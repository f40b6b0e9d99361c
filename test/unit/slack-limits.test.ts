// Every view keeps Slack's Block Kit limits (issue 7, item 9): one truncation helper and one
// splitter for every view, and a last guard that shortens what still does not fit and sends the
// whole text as a file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import type { Reply } from '../../src/core/command.ts';
import type { SalesMonthReport } from '../../src/domain/sales/report.ts';
import type { EntriesModel, AccountLedgerModel } from '../../src/services/ledger/models.ts';
import { codeSections, section, sections, textReply } from '../../src/views/common.ts';
import { ledgerView } from '../../src/views/ledger/index.ts';
import { fitReply, SLACK_LIMITS, splitText, truncate } from '../../src/views/limits.ts';
import { oncallNowView } from '../../src/views/oncall.ts';
import { salesMonthReply } from '../../src/views/sales/month.ts';
import { slackLimitProblems } from '../helpers/slack-limits.ts';

describe('the limits', () => {
  it('are Slack’s documented ones', () => {
    expect(SLACK_LIMITS).toMatchObject({
      sectionText: 3000,
      headerText: 150,
      sectionFields: 10,
      fieldText: 2000,
      blocksPerMessage: 50,
      messageText: 40_000,
    });
  });
});

describe('truncate', () => {
  it('keeps short text and shortens long text to the limit with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('x'.repeat(10_000), 3000)).toHaveLength(3000);
  });

  it('never cuts a character in two', () => {
    // U+1F600 is two UTF-16 units: cutting between them would leave a lone surrogate.
    expect(truncate('a😀😀', 3)).toBe('a…');
  });

  it('holds for any text and limit', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        (s, max) => {
          const out = truncate(s, max);
          expect(out.length).toBeLessThanOrEqual(max);
          if (s.length <= max) expect(out).toBe(s);
          else {
            expect(out.endsWith('…')).toBe(true);
            expect(s.startsWith(out.slice(0, -1))).toBe(true);
            expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('splitText', () => {
  it('splits at line ends, each piece within the limit and not blank, losing nothing but blank lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 120 }), { maxLength: 60 }),
        fc.integer({ min: 2, max: 200 }),
        (lines, max) => {
          const text = lines.join('\n');
          const pieces = splitText(text, max);
          for (const p of pieces) {
            expect(p.length).toBeLessThanOrEqual(max);
            expect(p).toMatch(/\S/);
          }
          expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
          if (lines.every((l) => l.length <= max && /\S/.test(l))) expect(pieces.join('\n')).toBe(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives no piece for no text', () => {
    expect(splitText('', 10)).toEqual([]);
    expect(splitText('\n \n', 10)).toEqual([]);
  });
});

describe('section and code section builders', () => {
  it('split long text over several sections and keep code fences closed', () => {
    const lines = Array.from({ length: 80 }, (_, i) => `line ${i} `.padEnd(100, 'x'));
    for (const blocks of [sections(lines), codeSections(lines)]) {
      expect(blocks.length).toBeGreaterThan(1);
      expect(slackLimitProblems({ text: '', blocks })).toEqual([]);
    }
    const code = codeSections(lines).map((b) => (b as { text: { text: string } }).text.text);
    for (const c of code) expect(c).toMatch(/^```[\s\S]*```$/);
  });
});

describe('views with large answers', () => {
  it('/oncall now with 60 rotations', () => {
    const rotations = Array.from({ length: 60 }, (_, i) => ({
      id: `r${i}`,
      name: `Rotation ${i}`,
      current: {
        rotationId: `r${i}`,
        userId: 'U0AAA',
        start: new Date('2024-04-08T01:00:00Z'),
        end: new Date('2024-04-15T01:00:00Z'),
      },
      next: {
        rotationId: `r${i}`,
        userId: 'U0BBB',
        start: new Date('2024-04-15T01:00:00Z'),
        end: new Date('2024-04-22T01:00:00Z'),
      },
    }));
    const reply = oncallNowView(rotations, 'en', 'Asia/Tokyo', new Date('2024-04-10T00:00:00Z'));
    expect(slackLimitProblems(reply.message)).toEqual([]);
    // every rotation is still named in the reply
    for (let i = 0; i < 60; i++) expect(reply.message.text).toContain(`*Rotation ${i}*`);
  });

  it('/ledger entries of a reference 10,000 characters long, found or not', () => {
    const reference = 'R'.repeat(10_000);
    const none: EntriesModel = { query: 'entries', reference, entries: [], gateway: [], truncated: false };
    expect(slackLimitProblems(ledgerView(none, 'ja').message)).toEqual([]);
    expect(ledgerView(none, 'en').message.text).toContain('…');
  });

  it('/ledger entries with 300 gateway records', () => {
    const m: EntriesModel = {
      query: 'entries',
      reference: 'PO-1',
      entries: [],
      gateway: Array.from({ length: 300 }, (_, i) => ({
        id: `dp_${String(i).padStart(20, '0')}`,
        kind: 'deposit' as const,
        reference: 'PO-1',
        occurredOn: '2024-03-01',
        amount: '123456789',
        fee: '1234',
      })),
      truncated: false,
    };
    const reply = ledgerView(m, 'ja');
    expect(slackLimitProblems(reply.message)).toEqual([]);
  });

  it('/ledger account of an account with a very long name', () => {
    const name = '長い勘定科目名'.repeat(100);
    const m: AccountLedgerModel = {
      query: 'account',
      account: { code: '1130', nameJa: name, nameEn: name, type: 'asset' },
      from: '2024-03-01',
      to: '2024-03-31',
      opening: '0',
      debit: '10',
      credit: '0',
      closing: '10',
      lineCount: 1,
      lines: [
        {
          date: '2024-03-01',
          entryId: '1',
          kind: 'sale',
          reference: 'X'.repeat(5000),
          memo: null,
          debit: '10',
          credit: '0',
          balance: '10',
        },
      ],
      limit: 50_000,
    };
    expect(slackLimitProblems(ledgerView(m, 'ja').message)).toEqual([]);
  });

  it('/sales month whose names are 1,000 characters each', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({
      id: `P${i}`,
      name: `案件${i}`.padEnd(1000, '名'),
      forecast: 1000n,
      actual: 900n,
      variance: { diff: -100n, permille: -100n },
    }));
    const report: SalesMonthReport = {
      kind: 'month',
      month: '2024-03',
      groupBy: 'project',
      source: 'database',
      rows,
      total: {
        forecast: 12000n,
        actual: 10800n,
        comparedForecast: 12000n,
        variance: { diff: -1200n, permille: -100n },
      },
    };
    expect(slackLimitProblems(salesMonthReply(report, 'ja').message)).toEqual([]);
  });
});

describe('the last guard over every reply', () => {
  it('shortens a 10,000-character section with an ellipsis and sends the whole text as a file', () => {
    const text = 'y'.repeat(10_000);
    const reply = fitReply(textReply(text), 'en');
    expect(slackLimitProblems(reply.message)).toEqual([]);
    const shown = (reply.message.blocks![0] as { text: { text: string } }).text.text;
    expect(shown.endsWith('…')).toBe(true);
    expect(reply.files?.at(-1)?.content).toBe(text);
  });

  it('keeps 50 blocks, the last saying the rest is in the attached file', () => {
    const blocks: KnownBlock[] = Array.from({ length: 70 }, (_, i) => section(`block ${i}`));
    const reply = fitReply({ visibility: 'ephemeral', message: { text: 'all of it', blocks } }, 'en');
    expect(reply.message.blocks).toHaveLength(50);
    expect(JSON.stringify(reply.message.blocks!.at(-1))).toContain('attached');
    expect(reply.files?.at(-1)?.content).toBe('all of it');
  });

  it('cuts a long header with an ellipsis and attaches nothing for it', () => {
    const reply = fitReply(
      {
        visibility: 'ephemeral',
        message: {
          text: 'h',
          blocks: [{ type: 'header', text: { type: 'plain_text', text: 'H'.repeat(400) } }],
        },
      },
      'ja',
    );
    expect(slackLimitProblems(reply.message)).toEqual([]);
    expect(reply.files).toBeUndefined();
  });

  it('leaves a reply within the limits exactly as it was', () => {
    const reply: Reply = textReply('fine');
    expect(fitReply(reply, 'ja')).toEqual(reply);
  });

  it('brings any generated message within the limits', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 5000 });
    const block = fc.oneof(
      text.map((t) => section(t)),
      text.map((t) => ({ type: 'header', text: { type: 'plain_text', text: t } }) as KnownBlock),
      fc
        .array(text, { maxLength: 14 })
        .map(
          (fs) =>
            ({ type: 'section', fields: fs.map((t) => ({ type: 'mrkdwn', text: t || '-' })) }) as KnownBlock,
        ),
      fc.array(text, { maxLength: 14 }).map(
        (es) =>
          ({
            type: 'context',
            elements: es.map((t) => ({ type: 'mrkdwn', text: t || '-' })),
          }) as KnownBlock,
      ),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 70 }), text, (blocks, t) => {
        const reply = fitReply({ visibility: 'ephemeral', message: { text: t.repeat(20), blocks } }, 'ja');
        expect(slackLimitProblems(reply.message)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

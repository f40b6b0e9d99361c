import { describe, expect, it } from 'vitest';
import {
  visibleText,
  moveDueAt,
  formatInvestigationId,
  parseInvestigationId,
  sourceFromMetadata,
  sourceToMetadata,
  validateFiling,
  type FilingInput,
} from '../../src/domain/investigation.ts';

const TZ = 'Asia/Tokyo';
// Wednesday 2024-04-10, 10:00 in Tokyo.
const NOW = new Date('2024-04-10T01:00:00Z');

const GOOD: FilingInput = {
  customer: 'cus_123',
  reference: 'ord_9',
  category: 'payment',
  question: '二重に請求されたと言われています',
  deadline_date: '2024-04-12',
  deadline_time: '15:30',
  urgency: 'urgent',
};

describe('INV ids', () => {
  it('formats and parses INV-n, full-width and lower case too', () => {
    expect(formatInvestigationId('42')).toBe('INV-42');
    expect(parseInvestigationId('INV-42')).toBe('42');
    expect(parseInvestigationId(' inv-7 ')).toBe('7');
    expect(parseInvestigationId('ＩＮＶ－４２')).toBe('42');
    expect(parseInvestigationId('INV42')).toBe('42');
  });

  it.each(['INV-', 'INV-0', 'INV-042', 'INC-42', '42', 'INV-1234567890123456789', 'INV-4x'])(
    'reads %s as no id',
    (text) => expect(parseInvestigationId(text)).toBeUndefined(),
  );
});

describe('validateFiling', () => {
  it('accepts a good filing, the deadline read in Tokyo time', () => {
    const r = validateFiling(GOOD, NOW, TZ);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.filing).toEqual({
      customer: 'cus_123',
      reference: 'ord_9',
      category: 'payment',
      question: '二重に請求されたと言われています',
      deadline: new Date('2024-04-12T06:30:00Z'),
      urgency: 'urgent',
    });
  });

  it('takes the end of business (18:00 Tokyo) when no time is given, and normal urgency by default', () => {
    const r = validateFiling(
      { ...GOOD, deadline_time: undefined, urgency: undefined, reference: '  ' },
      NOW,
      TZ,
    );
    expect(r.ok && r.filing.deadline).toEqual(new Date('2024-04-12T09:00:00Z'));
    expect(r.ok && r.filing.urgency).toBe('normal');
    expect(r.ok && 'reference' in r.filing).toBe(false);
  });

  it('accepts today without a time until 18:00, and refuses it from 18:00', () => {
    const today = { ...GOOD, deadline_date: '2024-04-10', deadline_time: undefined };
    expect(validateFiling(today, new Date('2024-04-10T08:59:00Z'), TZ).ok).toBe(true);
    const late = validateFiling(today, new Date('2024-04-10T09:00:00Z'), TZ);
    expect(late.ok).toBe(false);
    // On both fields, so a form asks both again: a later day, or a time (later than now) that day.
    expect(!late.ok && late.problems).toEqual({
      deadline_date: { key: 'investigation.error.deadline_past_day', params: { now: '2024-04-10 18:00' } },
      deadline_time: {
        key: 'investigation.error.deadline_past_day_time',
        params: { now: '2024-04-10 18:00' },
      },
    });
  });

  it('reads full-width digits in the date and time', () => {
    const r = validateFiling(
      { ...GOOD, deadline_date: '２０２４-０４-１２', deadline_time: '９:０５' },
      NOW,
      TZ,
    );
    expect(r.ok && r.filing.deadline).toEqual(new Date('2024-04-12T00:05:00Z'));
  });

  it.each<[string, FilingInput, string, string]>([
    ['an empty question', { question: undefined }, 'question', 'investigation.error.question_empty'],
    ['a blank question', { question: ' \n\t ' }, 'question', 'investigation.error.question_empty'],
    [
      'a question over 3,000 characters',
      { question: 'あ'.repeat(3001) },
      'question',
      'investigation.error.question_too_long',
    ],
    ['no customer', { customer: '   ' }, 'customer', 'investigation.error.customer_empty'],
    [
      'a customer over 200 characters',
      { customer: 'x'.repeat(201) },
      'customer',
      'investigation.error.customer_too_long',
    ],
    [
      'a reference over 100 characters',
      { reference: 'r'.repeat(101) },
      'reference',
      'investigation.error.reference_too_long',
    ],
    ['no category', { category: undefined }, 'category', 'investigation.error.category_missing'],
    ['an unknown category', { category: 'tax' }, 'category', 'investigation.error.category_unknown'],
    ['an unknown urgency', { urgency: 'asap' }, 'urgency', 'investigation.error.urgency_unknown'],
    ['no deadline', { deadline_date: undefined }, 'deadline_date', 'investigation.error.deadline_missing'],
    [
      'a malformed date',
      { deadline_date: '12/04/2024' },
      'deadline_date',
      'investigation.error.deadline_date_malformed',
    ],
    [
      'a day not in the calendar',
      { deadline_date: '2024-02-30' },
      'deadline_date',
      'investigation.error.deadline_date_malformed',
    ],
    [
      'a malformed time',
      { deadline_time: '25:00' },
      'deadline_time',
      'investigation.error.deadline_time_malformed',
    ],
    [
      'a time without minutes',
      { deadline_time: '15' },
      'deadline_time',
      'investigation.error.deadline_time_malformed',
    ],
  ])('refuses %s, on its field only', (_name, change, field, key) => {
    const r = validateFiling({ ...GOOD, ...change }, NOW, TZ);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.problems)).toEqual([field]);
    expect(r.problems[field as keyof typeof r.problems]?.key).toBe(key);
  });

  it.each([
    ['a past date', { deadline_date: '2024-04-09', deadline_time: undefined }, 'deadline_past_day'],
    ['a past time today', { deadline_date: '2024-04-10', deadline_time: '09:59' }, 'deadline_past'],
    ['a past day with a time', { deadline_date: '2024-04-09', deadline_time: '23:00' }, 'deadline_past'],
  ])('refuses %s on both the date and the time, either of which may fix it', (_name, change, key) => {
    const r = validateFiling({ ...GOOD, ...change }, NOW, TZ);
    expect(!r.ok && Object.keys(r.problems).sort()).toEqual(['deadline_date', 'deadline_time']);
    if (r.ok) return;
    expect(r.problems.deadline_date?.key).toBe(`investigation.error.${key}`);
    expect(r.problems.deadline_time?.key).toBe(
      `investigation.error.${key === 'deadline_past_day' ? 'deadline_past_day_time' : key}`,
    );
  });

  it('accepts a question of exactly 3,000 characters, counting an emoji as one', () => {
    expect(validateFiling({ ...GOOD, question: '😀'.repeat(3000) }, NOW, TZ).ok).toBe(true);
  });

  it('reports every field with a problem at once', () => {
    const r = validateFiling({}, NOW, TZ);
    expect(!r.ok && Object.keys(r.problems).sort()).toEqual([
      'category',
      'customer',
      'deadline_date',
      'question',
    ]);
  });
});

describe('the source message in private_metadata', () => {
  it('round-trips channel, ts and permalink', () => {
    const source = {
      channel: 'C0SUPPORT',
      ts: '1712710800.000100',
      permalink: 'https://x.slack.com/archives/C0SUPPORT/p1712710800000100',
    };
    const meta = sourceToMetadata(source);
    expect(meta.length).toBeLessThanOrEqual(3000);
    expect(sourceFromMetadata(meta)).toEqual(source);
  });

  it('drops a permalink that would make it longer than Slack carries', () => {
    const source = {
      channel: 'C0SUPPORT',
      ts: '1712710800.000100',
      permalink: `https://x.slack.com/archives/${'a'.repeat(3000)}`,
    };
    const meta = sourceToMetadata(source);
    expect(meta.length).toBeLessThanOrEqual(3000);
    expect(sourceFromMetadata(meta)).toEqual({ channel: 'C0SUPPORT', ts: '1712710800.000100' });
  });

  it.each([
    undefined,
    '',
    'not json',
    '{}',
    '{"source":{"channel":"<!channel>","ts":"1712710800.000100"}}',
    '{"source":{"channel":"C1","ts":"x"}}',
    '{"source":{"channel":"U0AAA","ts":"1712710800.000100"}}',
    '{"source":{"channel":"c0support","ts":"1712710800.000100"}}',
    '{"source":{"channel":"C1","ts":"1.2"}}',
    '{"source":{"channel":"C1","ts":"1712710800.000100\\n"}}',
  ])('reads %j as no source', (meta) => expect(sourceFromMetadata(meta)).toBeUndefined());

  const TS = '1712710800.000100';
  const withLink = (permalink: string) =>
    sourceFromMetadata(JSON.stringify({ source: { channel: 'C1', ts: TS, permalink } }));

  it.each([
    'https://x.slack.com/archives/C1/p1.2|<!channel>',
    'javascript:alert(1)',
    'http://acme.slack.com/archives/C1/p1712710800000100',
    'https://evil.example/archives/C1/p1712710800000100',
    'https://slack.com.evil.example/archives/C1/p1712710800000100',
    'https://evilslack.com/archives/C1/p1712710800000100',
    'https://acme.slack.com.evil.example/archives/C1/p1712710800000100',
    'https://acme.slack.com@evil.example/archives/C1/p1712710800000100',
    'https://user@acme.slack.com/archives/C1/p1712710800000100',
    'https://acme.slack.com:8443/archives/C1/p1712710800000100',
  ])('drops the permalink %s and keeps channel and ts', (permalink) => {
    expect(withLink(permalink)).toEqual({ channel: 'C1', ts: TS });
  });

  it.each([
    'https://acme.slack.com/archives/C1/p1712710800000100',
    'https://acme.slack-gov.com/archives/C1/p1712710800000100',
    'https://acme.enterprise.slack.com/archives/C1/p1712710800000100?thread_ts=1712710800.000100&cid=C1',
  ])('keeps the Slack permalink %s', (permalink) => {
    expect(withLink(permalink)).toEqual({ channel: 'C1', ts: TS, permalink });
  });
});

describe('a wait for the customer moves the deadline by its business time', () => {
  const cal = {
    zone: 'Asia/Tokyo',
    isBusinessDay: (iso: string) => ![6, 0].includes(new Date(`${iso}T12:00:00+09:00`).getDay()),
    hours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
  };
  const jst = (s: string) => new Date(`${s}+09:00`);

  it('counts a weekend wait as its one business hour, not its 64 wall-clock hours', () => {
    // Waiting Fri 4 Dec 17:00 → Mon 7 Dec 09:00: only Friday's last hour is business time.
    const moved = moveDueAt(
      jst('2026-12-07T10:00:00'),
      jst('2026-12-04T17:00:00'),
      jst('2026-12-07T09:00:00'),
      cal,
    );
    expect(moved).toEqual({ waitedMs: 3_600_000, dueAt: jst('2026-12-07T11:00:00') });
  });

  it('moves nothing for a wait outside business hours, and carries over the close of business', () => {
    const night = moveDueAt(
      jst('2026-12-03T18:00:00'),
      jst('2026-12-02T20:00:00'),
      jst('2026-12-03T08:00:00'),
      cal,
    );
    expect(night).toEqual({ waitedMs: 0, dueAt: jst('2026-12-03T18:00:00') });
    const hour = moveDueAt(
      jst('2026-12-03T18:00:00'),
      jst('2026-12-03T10:00:00'),
      jst('2026-12-03T11:30:00'),
      cal,
    );
    expect(hour).toEqual({ waitedMs: 5_400_000, dueAt: jst('2026-12-04T10:30:00') });
  });
});

describe('text with nothing visible in it', () => {
  it('is empty: a question or customer of zero-width and format characters is refused like a blank one', () => {
    const result = validateFiling(
      {
        customer: '\u200b\ufeff',
        category: 'payment',
        question: '\u200b\u200b \u2060',
        deadline_date: '2030-01-15',
      },
      new Date('2029-12-01T00:00:00Z'),
      'Asia/Tokyo',
    );
    expect(result).toMatchObject({
      ok: false,
      problems: {
        question: { key: 'investigation.error.question_empty' },
        customer: { key: 'investigation.error.customer_empty' },
      },
    });
    expect(visibleText(' a\u200bb ')).toBe('a\u200bb');
  });
});

// Filing an investigation request through its handlers: the shortcuts open the modal, the
// submission is checked (field errors store nothing) and filed once per Slack request key, assigned
// to whoever is on investigation duty at that moment, with a channel post and a DM in the outbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { investigateFromMessage } from '../../handlers/investigate-from-message.ts';
import { investigateNew } from '../../handlers/investigate-new.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import type { ViewSubmission } from '../../src/core/handlers.ts';
import type { FieldValues, Modal } from '../../src/core/modal.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  // The filing's reference must be one the ledger knows (an order with nothing posted yet).
  await db.ownerPool.query(
    `INSERT INTO ledger.orders (id, seller_id, ordered_on, amount, platform_fee) VALUES ('ord_9', 'S1', '2024-04-09', 1000, 100)`,
  );
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox, slack_messages RESTART IDENTITY CASCADE',
  );
});

// The test clock starts at Wednesday 2024-04-10 10:00 in Tokyo: cs-duty hands off to U0EEE then.
const GOOD: FieldValues = {
  customer: 'cus_123',
  reference: 'ord_9',
  category: 'refund',
  question: '返金がまだ届かないとのことです',
  deadline_date: '2024-04-12',
  deadline_time: '15:30',
  urgency: 'urgent',
};

// Filed by a support agent (U0SUP1, not finance): the clock's 2024-04-10 is business day 8 of April,
// inside the monthly close, where a finance filing is a month-close request (investigation-month-close.test.ts).
function submission(values: FieldValues, extra: Partial<ViewSubmission> = {}): ViewSubmission {
  return { callbackId: 'investigation.file', userId: 'U0SUP1', locale: 'en', values, ...extra };
}

async function stored(): Promise<{ investigations: number; events: number; outbox: number }> {
  const { rows } = await db.pool.query<{ i: number; e: number; o: number }>(
    `SELECT (SELECT count(*) FROM investigations)::int AS i, (SELECT count(*) FROM investigation_events)::int AS e,
            (SELECT count(*) FROM outbox)::int AS o`,
  );
  return { investigations: rows[0]!.i, events: rows[0]!.e, outbox: rows[0]!.o };
}

async function outboxRows(): Promise<
  { kind: string; payload: Record<string, unknown>; provides_ref: string | null }[]
> {
  const { rows } = await db.pool.query(`SELECT kind, payload, provides_ref FROM outbox ORDER BY id`);
  return rows;
}

describe('the shortcuts', () => {
  it('"Request investigation" opens the filing modal with every field, in the person’s language', async () => {
    const ctx = testContext(db.pool);
    const out = await investigateNew.run(
      { callbackId: 'investigate_new', type: 'global', userId: 'U0SUP1', locale: 'ja', triggerId: 't1' },
      ctx,
    );
    expect(out.view?.action).toBe('open');
    const modal = out.view!.modal;
    expect(modal.callbackId).toBe('investigation.file');
    expect(modal.title).toBe('調査依頼');
    expect(modal.fields.map((f) => [f.id, f.kind, f.optional ?? false])).toEqual([
      ['customer', 'text', false],
      ['reference', 'text', true],
      ['category', 'select', false],
      ['question', 'multiline', false],
      ['deadline_date', 'date', false],
      ['deadline_time', 'text', true],
      ['urgency', 'select', false],
    ]);
    expect(modal.fields.find((f) => f.id === 'category')?.options?.map((o) => o.value)).toEqual([
      'payment',
      'payout',
      'refund',
      'account',
      'bug',
      'other',
    ]);
    expect(modal.fields.find((f) => f.id === 'urgency')?.initial).toBe('normal');
    expect(modal.fields.find((f) => f.id === 'question')?.maxLength).toBe(3000);
    expect(modal.fields.find((f) => f.id === 'reference')?.hint).toBe(
      '注文番号（ORD-…）、決済の取引 ID（ch_…, re_…）または支払 ID（PO-…）',
    );
    expect(modal.privateMetadata).toBeUndefined();
  });

  it('"Investigate this" pre-fills the question, shortened to the field, and carries the message along', async () => {
    const ctx = testContext(db.pool);
    const permalink = 'https://acme.slack.com/archives/C0SUPPORT/p1712710800000100';
    const out = await investigateFromMessage.run(
      {
        callbackId: 'investigate_from_message',
        type: 'message',
        userId: 'U0SUP1',
        locale: 'en',
        triggerId: 't2',
        message: {
          channelId: 'C0SUPPORT',
          ts: '1712710800.000100',
          text: 'あ'.repeat(3500),
          authorId: 'U0CUST',
          permalink,
        },
      },
      ctx,
    );
    const modal = out.view!.modal as Modal;
    const question = modal.fields.find((f) => f.id === 'question')!.initial!;
    expect(question.length).toBeLessThanOrEqual(3000);
    expect(question.startsWith('あ'.repeat(2990))).toBe(true);
    expect(modal.intro).toContain(`From this message: ${permalink}`);
    expect(modal.privateMetadata!.length).toBeLessThanOrEqual(3000);

    // Submitted with that metadata, the request records and links its source message.
    const sub = submission(
      { ...GOOD, question: 'short' },
      { privateMetadata: modal.privateMetadata, key: 'view:1' },
    );
    await investigationFile.submit(sub, ctx);
    const { rows } = await db.pool.query(`SELECT source FROM investigations`);
    expect(rows[0].source).toEqual({ channel: 'C0SUPPORT', ts: '1712710800.000100', permalink });
    const post = (await outboxRows()).find((r) => r.kind === 'slack.post')!;
    expect(post.payload.text).toContain(`<${permalink}|元のメッセージ>`);
  });

  it('"Investigate this" without a message says how to use it', async () => {
    const ctx = testContext(db.pool);
    await expect(
      investigateFromMessage.run(
        { callbackId: 'investigate_from_message', type: 'message', userId: 'U0SUP1', locale: 'en' },
        ctx,
      ),
    ).rejects.toMatchObject({ key: 'investigation.error.no_message' });
  });
});

describe('checking a submission', () => {
  it.each<[string, FieldValues, string, string]>([
    ['an empty question', { question: undefined }, 'question', 'Please write the question.'],
    [
      'a question over 3,000 characters',
      { question: 'x'.repeat(3001) },
      'question',
      'The question can be at most 3000 characters (it is 3001).',
    ],
    ['no customer', { customer: undefined }, 'customer', "Please give the customer's user id or name."],
    ['an unknown category', { category: 'tax' }, 'category', 'There is no category "tax".'],
    [
      'no deadline',
      { deadline_date: undefined },
      'deadline_date',
      'Please choose the date of the reply deadline.',
    ],
    [
      'a malformed time',
      { deadline_time: '3pm' },
      'deadline_time',
      'Cannot read the time "3pm". Use HH:MM, e.g. 15:30.',
    ],
    [
      'a reference over 100 characters',
      { reference: 'r'.repeat(101) },
      'reference',
      'The reference can be at most 100 characters.',
    ],
  ])('answers %s with its error under its field and stores nothing', async (_name, change, field, text) => {
    const ctx = testContext(db.pool);
    const errors = await investigationFile.validate(
      submission({ ...GOOD, ...change }, { key: 'view:bad' }),
      ctx,
    );
    expect(errors).toEqual({ [field]: text });
    expect(await stored()).toEqual({ investigations: 0, events: 0, outbox: 0 });
  });

  it('answers a past deadline under both the date and the time, and stores nothing', async () => {
    const errors = await investigationFile.validate(
      submission({ ...GOOD, deadline_date: '2024-04-10', deadline_time: '09:00' }, { key: 'view:bad' }),
      testContext(db.pool),
    );
    const text = 'That deadline has passed (it is 2024-04-10 10:00 now): pick a later date or time.';
    expect(errors).toEqual({ deadline_date: text, deadline_time: text });
    expect(await stored()).toEqual({ investigations: 0, events: 0, outbox: 0 });
  });

  it('says the errors in Japanese to a Japanese speaker', async () => {
    const ctx = testContext(db.pool);
    const errors = await investigationFile.validate(
      submission(
        { ...GOOD, question: ' ', deadline_date: '2024-04-09', deadline_time: undefined },
        { locale: 'ja' },
      ),
      ctx,
    );
    expect(errors).toEqual({
      question: '質問を入力してください。',
      deadline_date:
        'この日の終業（18:00）を過ぎています（今 2024-04-10 10:00）。時刻を入れるか、後の日付を選んでください。',
      deadline_time:
        'この日の終業（18:00）を過ぎています（今 2024-04-10 10:00）。後の時刻を入れるか、後の日付を選んでください。',
    });
  });

  it('finds nothing wrong with a good filing', async () => {
    expect(await investigationFile.validate(submission(GOOD), testContext(db.pool))).toBeUndefined();
  });

  it('refuses at submit a deadline that passed since it was checked, storing nothing', async () => {
    const ctx = testContext(db.pool);
    const sub = submission(
      { ...GOOD, deadline_date: '2024-04-10', deadline_time: '10:01' },
      { key: 'view:late' },
    );
    expect(await investigationFile.validate(sub, ctx)).toBeUndefined();
    ctx.clock.advance(2 * 60_000);
    const out = await investigationFile.submit(sub, ctx);
    expect(await stored()).toEqual({ investigations: 0, events: 0, outbox: 0 });
    // The modal is closed by then: the answer says nothing was filed, lists every problem under its
    // label, and gives back the question as typed.
    const text = out!.reply!.message.text;
    expect(text).toMatch(/^\*Nothing was filed\.\*/);
    expect(text).toContain('• Reply deadline (date): That deadline has passed (it is 2024-04-10 10:02 now)');
    expect(text).toContain('• Reply deadline (time): That deadline has passed');
    expect(text).toContain(
      'The question you typed (copy it to file again):\n> 返金がまだ届かないとのことです',
    );
  });

  it('after the acknowledgement, lists every problem and keeps a question of several lines, in Japanese', async () => {
    const ctx = testContext(db.pool);
    const sub = submission(
      { ...GOOD, question: '1行目 <!channel>\n2行目', deadline_date: '2024-04-10', deadline_time: undefined },
      { key: 'view:late-ja', locale: 'ja' },
    );
    expect(await investigationFile.validate(sub, ctx)).toBeUndefined();
    ctx.clock.set('2024-04-10T09:00:00Z'); // 18:00 in Tokyo: the end of business has passed
    const out = await investigationFile.submit(sub, ctx);
    expect(await stored()).toEqual({ investigations: 0, events: 0, outbox: 0 });
    const text = out!.reply!.message.text;
    expect(text).toMatch(/^\*何も依頼していません。\*/);
    expect(text).toContain(
      '• 回答期限（日付）: この日の終業（18:00）を過ぎています（今 2024-04-10 18:00）。',
    );
    expect(text).toContain('• 回答期限（時刻）: この日の終業（18:00）を過ぎています');
    // Quoted line by line and escaped: the question cannot notify the channel from the DM.
    expect(text).toContain('> 1行目 &lt;!channel&gt;\n> 2行目');
    expect(JSON.stringify(out!.reply!.message.blocks)).toContain('> 2行目');
  });
});

describe('filing', () => {
  it('stores the request, its filed event, the channel post and the DM to the duty person', async () => {
    const ctx = testContext(db.pool);
    const out = await investigationFile.submit(submission(GOOD, { key: 'view:V1' }), ctx);
    expect(out?.reply?.message.text).toBe(
      'INV-1 filed, assigned to <@U0EEE>, reply deadline Fri 12 Apr 15:30. Follow it in <#C0INVEST>.',
    );
    const { rows } = await db.pool.query(`SELECT * FROM investigations`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requester: 'U0SUP1',
      assignee: 'U0EEE',
      customer: 'cus_123',
      reference: 'ord_9',
      category: 'refund',
      question: '返金がまだ届かないとのことです',
      deadline: new Date('2024-04-12T06:30:00Z'),
      urgency: 'urgent',
      status: 'open',
      source: null,
      request_key: 'view:V1',
      created_at: new Date('2024-04-10T01:00:00Z'),
    });
    const events = await db.pool.query(`SELECT actor, what, detail FROM investigation_events`);
    expect(events.rows).toEqual([{ actor: 'U0SUP1', what: 'filed', detail: { assignee: 'U0EEE' } }]);

    const [post, dm, facts, ...rest] = await outboxRows();
    expect(rest).toEqual([]);
    // The reference's ledger facts, in the post's thread (test/db/investigation-ledger-facts.test.ts).
    expect(facts).toMatchObject({ kind: 'slack.post', payload: { threadRef: 'investigation:1' } });
    expect(post).toMatchObject({ kind: 'slack.post', provides_ref: 'investigation:1' });
    expect(post!.payload).toMatchObject({ channel: 'C0INVEST', ref: 'investigation:1' });
    // The channel reads the team's language (ja in the demo).
    const text = post!.payload.text as string;
    for (const part of [
      '🚨 INV-1 至急の調査依頼（返金）',
      '*お客さま* cus_123',
      '*参照番号* ord_9',
      '*回答期限* 4/12(金) 15:30',
      '*緊急度* 至急',
      '*状態* 未着手',
      '*依頼者* <@U0SUP1>',
      '*担当* <@U0EEE>',
      '返金がまだ届かないとのことです',
    ])
      expect(text).toContain(part);
    expect(dm).toMatchObject({ kind: 'slack.dm', payload: { user: 'U0EEE' } });
    expect(dm!.payload.text).toContain(
      'INV-1 の調査依頼があなたに割り当てられました（回答期限 4/12(金) 15:30）',
    );
  });

  it('files once per request key: submitted again, it answers the same INV and writes nothing new', async () => {
    const ctx = testContext(db.pool);
    const first = await investigationFile.submit(submission(GOOD, { key: 'view:V2' }), ctx);
    const before = await stored();
    ctx.clock.advance(60_000);
    const again = await investigationFile.submit(submission(GOOD, { key: 'view:V2' }), ctx);
    expect(again?.reply?.message.text).toBe(first?.reply?.message.text);
    expect(await stored()).toEqual(before);
    expect(before).toEqual({ investigations: 1, events: 1, outbox: 3 });
    // Another submission (another key) is another request.
    const other = await investigationFile.submit(submission(GOOD, { key: 'view:V3' }), ctx);
    expect(other?.reply?.message.text).toContain('INV-2 filed');
  });

  it('answered again after its deadline has passed (a crash after filing), it answers the filing, not an error', async () => {
    const ctx = testContext(db.pool);
    const sub = submission(
      { ...GOOD, deadline_date: '2024-04-10', deadline_time: '10:01' },
      { key: 'view:refiled' },
    );
    const first = await investigationFile.submit(sub, ctx);
    expect(first?.reply?.message.text).toContain('INV-1 filed');
    const before = await stored();
    ctx.clock.advance(60 * 60_000); // the request's lease ran out; another replica answers it
    const again = await investigationFile.submit(sub, ctx);
    expect(again?.reply?.message.text).toBe(first?.reply?.message.text);
    expect(await stored()).toEqual(before);
  });

  it('files once when two replicas file the same key at the same moment', async () => {
    const ctx = testContext(db.pool);
    const both = await Promise.all([
      investigationFile.submit(submission(GOOD, { key: 'view:race' }), ctx),
      investigationFile.submit(submission(GOOD, { key: 'view:race' }), ctx),
    ]);
    expect(both[0]?.reply?.message.text).toBe(both[1]?.reply?.message.text);
    expect(await stored()).toEqual({ investigations: 1, events: 1, outbox: 3 });
  });

  it('escapes what people typed, so a question cannot mention the whole channel', async () => {
    const ctx = testContext(db.pool);
    await investigationFile.submit(
      submission({ ...GOOD, question: 'hey <!channel> & <@U0AAA>' }, { key: 'view:esc' }),
      ctx,
    );
    const post = (await outboxRows()).find((r) => r.kind === 'slack.post')!;
    expect(post.payload.text).toContain('hey &lt;!channel&gt; &amp; &lt;@U0AAA&gt;');
    expect(JSON.stringify(post.payload.blocks)).not.toContain('<!channel>');
  });

  it('writes the DM in the assignee’s language and the reply in the filer’s', async () => {
    const ctx = testContext(db.pool, { directory: staticDirectory({}, { U0EEE: 'en' }) });
    const out = await investigationFile.submit(submission(GOOD, { key: 'view:lang', locale: 'ja' }), ctx);
    expect(out?.reply?.message.text).toBe(
      'INV-1 を依頼しました。担当 <@U0EEE>、回答期限 4/12(金) 15:30。<#C0INVEST> で進み具合が見られます。',
    );
    const dm = (await outboxRows()).find((r) => r.kind === 'slack.dm')!;
    expect(dm.payload.text).toContain(
      'INV-1, an investigation request, is assigned to you (reply deadline Fri 12 Apr 15:30).',
    );
  });

  it('posts in English when the team’s language is English', async () => {
    const base = testContext(db.pool);
    const ctx = testContext(db.pool, { config: { ...base.config, locale: 'en' } });
    await investigationFile.submit(
      submission({ ...GOOD, urgency: 'normal', reference: undefined }, { key: 'view:en' }),
      ctx,
    );
    const text = (await outboxRows()).find((r) => r.kind === 'slack.post')!.payload.text as string;
    expect(text).toContain('INV-1 investigation request (Refund)');
    expect(text).toContain('*Reply deadline* Fri 12 Apr 15:30');
    expect(text).toContain('*Assignee* <@U0EEE>');
    expect(text).not.toContain('*Reference*');
  });

  it('files without an assignee when no investigation rotation is configured', async () => {
    const base = testContext(db.pool);
    const ctx = testContext(db.pool, { config: { ...base.config, investigations: undefined } });
    const out = await investigationFile.submit(submission(GOOD, { key: 'view:none' }), ctx);
    expect(out?.reply?.message.text).toContain('Nobody is on duty now');
    const { rows } = await db.pool.query(`SELECT assignee FROM investigations`);
    expect(rows).toEqual([{ assignee: null }]);
    expect((await outboxRows()).map((r) => r.kind)).toEqual(['slack.post', 'slack.post']);
  });
});

describe('assignment follows the investigation rotation at the moment of filing', () => {
  async function assigneeFiledAt(at: string, key: string): Promise<string> {
    const ctx = testContext(db.pool);
    ctx.clock.set(at);
    await investigationFile.submit(submission({ ...GOOD, deadline_date: '2024-05-31' }, { key }), ctx);
    const { rows } = await db.pool.query(`SELECT assignee FROM investigations WHERE request_key = $1`, [key]);
    return rows[0].assignee;
  }

  it('hands off at 10:00 on a working Monday', async () => {
    expect(await assigneeFiledAt('2024-04-19T02:00:00Z', 'fri')).toBe('U0DDD'); // Fri 19 Apr 11:00
    expect(await assigneeFiledAt('2024-04-22T02:00:00Z', 'mon')).toBe('U0EEE'); // Mon 22 Apr 11:00
  });

  it('does not hand off on a Japanese holiday: Friday’s person keeps it through 昭和の日 until Tuesday 10:00', async () => {
    expect(await assigneeFiledAt('2024-04-26T02:00:00Z', 'fri-before')).toBe('U0EEE'); // Fri 26 Apr 11:00
    expect(await assigneeFiledAt('2024-04-29T02:00:00Z', 'holiday')).toBe('U0EEE'); // Mon 29 Apr (holiday) 11:00
    expect(await assigneeFiledAt('2024-04-30T00:30:00Z', 'tue-early')).toBe('U0EEE'); // Tue 30 Apr 09:30
    expect(await assigneeFiledAt('2024-04-30T02:00:00Z', 'tue')).toBe('U0DDD'); // Tue 30 Apr 11:00
  });
});

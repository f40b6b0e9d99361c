// Searching investigations in Japanese and English (migration 0340, services/investigations/search.ts
// and similar.ts): a word inside a sentence without spaces, full-width and half-width alike, taken
// literally; the bigram index is what finds the candidates; similar past answers are offered at
// filing, in the request's thread and to the filer. Runs on the embedded server (C locale) and on
// TEST_DATABASE_URL's.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { investigationFile } from '../../handlers/investigation-file.ts';
import type { ViewSubmission } from '../../src/core/handlers.ts';
import type { FieldValues } from '../../src/core/modal.ts';
import { searchByWords } from '../../src/db/investigation-search.ts';
import type { Queryable } from '../../src/db/pool.ts';
import { searchInvestigations } from '../../src/services/investigations/search.ts';
import { similarAnswers } from '../../src/services/investigations/similar.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox, slack_messages RESTART IDENTITY CASCADE',
  );
});

interface Past {
  question: string;
  answer?: string;
  cause?: string;
  customer?: string;
}

/** Stores an investigation as the bot does (resolved when it has an answer); returns its id. */
async function store(p: Past): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO investigations (requester, customer, category, question, deadline, status, answer, cause,
                                 resolved_at, created_at, updated_at)
     VALUES ('U0CCC', $1, 'payment', $2, '2024-04-01T09:00:00Z',
             CASE WHEN $3::text IS NULL THEN 'open' ELSE 'resolved' END, $3, $4,
             CASE WHEN $3::text IS NULL THEN NULL ELSE '2024-03-01T00:00:00Z'::timestamptz END,
             '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z')
     RETURNING id::text`,
    [p.customer ?? 'C1', p.question, p.answer ?? null, p.cause ?? null],
  );
  return rows[0]!.id;
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);
const search = (text: string, opts: Parameters<typeof searchInvestigations>[2] = { limit: 20 }) =>
  searchInvestigations({ pool: db.pool }, text, opts);

describe('searching by words', () => {
  it('finds a Japanese word inside a longer sentence without spaces, in the question or the answer', async () => {
    const double = await store({
      question: 'クレジットカードで二重請求が発生したとのお問い合わせ',
      answer: 'オーソリが二回残っていただけで、売上は一回です。',
    });
    await store({ question: '請求書の宛名を変更したいそうです', answer: '管理画面から変更できます。' });
    await store({ question: '二重に表示される請求額があるそうです' });
    expect(ids(await search('二重請求'))).toEqual([double]);
    expect(ids(await search('オーソリ'))).toEqual([double]);
    // Every word must occur, wherever it is.
    expect(ids(await search('二重請求 売上'))).toEqual([double]);
    expect(await search('二重請求 返金')).toEqual([]);
  });

  it('folds full-width and half-width forms and case, both ways', async () => {
    const half = await store({
      question: 'ｸﾚｼﾞｯﾄｶｰﾄﾞの明細に ORD-2024-0031 が2回',
      customer: 'ＹＡＭＡＤＡ',
    });
    const full = await store({ question: 'ＡＰＩキーの再発行をしたい' });
    expect(ids(await search('クレジットカード'))).toEqual([half]);
    expect(ids(await search('ｏｒｄ－２０２４－００３１'))).toEqual([half]);
    expect(ids(await search('yamada'))).toEqual([half]);
    expect(ids(await search('api'))).toEqual([full]);
    expect(ids(await search('ｱﾋﾟ'))).toEqual([]);
    // A full-width space separates words as a half-width one does.
    expect(ids(await search('クレジット　明細'))).toEqual([half]);
  });

  it('finds a word of a single character', async () => {
    const tax = await store({ question: '消費税の端数がずれています' });
    await store({ question: '返金がまだです' });
    expect(ids(await search('税'))).toEqual([tax]);
    expect(ids(await search('税 端数'))).toEqual([tax]);
  });

  it('takes % _ and \\ literally, never as a pattern', async () => {
    const percent = await store({ question: '手数料が 100% かかっていた' });
    const underscore = await store({ question: 'user_id が空です' });
    const backslash = await store({ question: 'パスが C:\\temp になっている' });
    await store({ question: 'userXid と 1000 円' });
    expect(ids(await search('%'))).toEqual([percent]);
    expect(ids(await search('100%'))).toEqual([percent]);
    expect(ids(await search('user_id'))).toEqual([underscore]);
    expect(ids(await search('_'))).toEqual([underscore]);
    expect(ids(await search('c:\\temp'))).toEqual([backslash]);
    expect(ids(await search('\\'))).toEqual([backslash]);
  });

  it('keeps to resolved ones when asked, and leaves one out by id', async () => {
    const open = await store({ question: '返金が届かない（未回答）' });
    const answered = await store({ question: '返金が届かない', answer: '5 営業日かかります。' });
    const answeredToo = await store({ question: '返金がまだ届かない', answer: '処理済みです。' });
    // Resolved first (the newest first among equals: here by id).
    expect(ids(await search('届かない'))).toEqual([answeredToo, answered, open]);
    expect(ids(await search('届かない', { limit: 20, resolvedOnly: true }))).toEqual([answeredToo, answered]);
    expect(ids(await search('届かない', { limit: 20, resolvedOnly: true, excludeId: answeredToo }))).toEqual([
      answered,
    ]);
    expect(ids(await search('届かない', { limit: 1 }))).toEqual([answeredToo]);
    expect(await search('   ')).toEqual([]);
  });

  it('keeps the folded text and its bigrams, updated with the answer', async () => {
    const id = await store({ question: 'ｶｰﾄﾞで二重請求', customer: 'A社' });
    const grams = async () =>
      (
        await db.pool.query<{ search_text: string; search_grams: string[]; question_grams: string[] }>(
          `SELECT search_text, search_grams, question_grams FROM investigations WHERE id = $1`,
          [id],
        )
      ).rows[0]!;
    expect(await grams()).toEqual({
      search_text: 'カードで二重請求\na社',
      search_grams: ['a社', 'カー', 'ドで', 'ード', '二重', '請求', '重請', 'で二'].sort(),
      question_grams: ['カー', 'ドで', 'ード', '二重', '請求', '重請', 'で二'].sort(),
    });
    await db.pool.query(
      `UPDATE investigations SET status = 'resolved', answer = '返金済み', resolved_at = now() WHERE id = $1`,
      [id],
    );
    expect((await grams()).search_grams).toEqual(expect.arrayContaining(['返金', '金済', '済み']));
    expect(ids(await search('返金済み'))).toEqual([id]);
  });

  it('finds the candidates through the bigram index on a table of thousands', async () => {
    await db.ownerPool.query(
      `INSERT INTO investigations (requester, customer, category, question, deadline, created_at, updated_at)
       SELECT 'U0CCC', 'user_' || n, 'payment', '注文 ' || n || ' の配送状況を教えてください',
              '2024-04-01T09:00:00Z', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z'
         FROM generate_series(1, 3000) AS n`,
    );
    await db.ownerPool.query(`ANALYZE investigations`);
    // The very query the service runs, explained.
    const plan = async (words: string[]) => {
      const c = await db.pool.connect();
      try {
        let explained = '';
        const explaining = {
          query: async (sql: string, params: unknown[]) => {
            const r = await c.query(`EXPLAIN ${sql}`, params);
            explained = r.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
            return { rows: [] };
          },
        } as unknown as Queryable;
        await searchByWords(explaining, words, { limit: 20, resolvedOnly: false, excludeId: null });
        return explained;
      } finally {
        (c as pg.PoolClient).release();
      }
    };
    expect(await plan(['二重請求'])).toContain('investigations_search_grams');
    expect(await plan(['user_2999'])).toContain('investigations_search_grams');
    // A single character has no bigram: the rows are scanned.
    expect(await plan(['税'])).not.toContain('investigations_search_grams');
    expect(ids(await search('user_2999'))).toHaveLength(1);
  });
});

describe('similar past answers', () => {
  it('ranks the most similar resolved question first, in Japanese and in English', async () => {
    const double = await store({
      question: 'クレジットカードで二重請求が発生したとのお問い合わせです',
      answer: 'オーソリが二重に残っていました。売上確定は一回のみです。',
    });
    const near = await store({
      question: 'デビットカードで二回請求されたとのお問い合わせです',
      answer: 'デビットカードは即時引き落としのため、取消の返金に数日かかります。',
    });
    await store({ question: 'クレジットカードで二重請求が発生した（調査中）' }); // not answered
    await store({ question: '請求書の宛名を変えたいとのことです', answer: '管理画面から変更できます。' });
    const refund = await store({
      question: 'The refund has not arrived after ten days.',
      answer: 'Bank transfers take 3 to 5 business days.',
    });
    const ctx = { pool: db.pool };
    const ja = await similarAnswers(
      ctx,
      'クレジットカードで二重請求が発生したとお客さまから連絡がありました',
      {
        limit: 3,
      },
    );
    expect(ids(ja)[0]).toBe(double);
    expect(ja[0]!.answer).toBe('オーソリが二重に残っていました。売上確定は一回のみです。');
    expect(ja[0]!.score).toBeGreaterThan(ja[1]?.score ?? 0);
    expect(ids(ja)).not.toContain(refund);
    if (ja[1]) expect(ja[1].id).toBe(near);
    const en = await similarAnswers(ctx, 'Customer says the refund has not arrived yet', { limit: 3 });
    expect(ids(en)).toEqual([refund]);
    expect(
      ids(await similarAnswers(ctx, 'The refund has not arrived', { limit: 3, excludeId: refund })),
    ).toEqual([]);
  });

  it('offers nothing for an unrelated question', async () => {
    await store({
      question: 'クレジットカードで二重請求が発生したとのお問い合わせです',
      answer: 'オーソリが二重に残っていました。',
    });
    await store({ question: 'The refund has not arrived.', answer: 'It takes 5 days.' });
    const ctx = { pool: db.pool };
    expect(await similarAnswers(ctx, '来月の社員旅行の行き先を教えてください', { limit: 3 })).toEqual([]);
    expect(await similarAnswers(ctx, 'Where is the office party this year?', { limit: 3 })).toEqual([]);
    expect(await similarAnswers(ctx, '  ', { limit: 3 })).toEqual([]);
  });
});

describe('filing a question answered before', () => {
  const GOOD: FieldValues = {
    customer: 'cus_9',
    category: 'payment',
    question: 'クレジットカードで二重請求が発生したとのお問い合わせがありました',
    deadline_date: '2024-04-12',
    urgency: 'normal',
  };
  const submission = (values: FieldValues, key: string): ViewSubmission => ({
    callbackId: 'investigation.file',
    // A support agent: the test clock is inside April's monthly close, where a finance filing is a
    // month-close request that also pages the person on duty (investigation-month-close.test.ts).
    userId: 'U0SUP1',
    locale: 'en',
    values,
    key,
  });

  it('posts the past answer in the new request’s thread and offers it to the filer', async () => {
    const past = await store({
      question: 'クレジットカードで二重請求が発生したとのお問い合わせです',
      answer: 'オーソリが二重に残っていました。<!channel> 売上確定は一回のみです。',
    });
    await store({ question: '請求書の宛名を変えたい', answer: '管理画面から変更できます。' });
    const ctx = testContext(db.pool);
    const out = await investigationFile.submit(submission(GOOD, 'view:similar'), ctx);
    const { rows } = await db.pool.query<{ kind: string; payload: Record<string, string> }>(
      `SELECT kind, payload FROM outbox ORDER BY id`,
    );
    expect(rows.map((r) => r.kind)).toEqual(['slack.post', 'slack.dm', 'slack.post']);
    const thread = rows[2]!.payload;
    expect(thread).toMatchObject({ channel: 'C0INVEST', threadRef: 'investigation:3' });
    expect(thread.text).toContain('似た調査依頼の過去の回答です');
    expect(thread.text).toContain(`*INV-${past}* クレジットカードで二重請求が発生したとのお問い合わせです`);
    expect(thread.text).toContain(
      '回答: オーソリが二重に残っていました。&lt;!channel&gt; 売上確定は一回のみです。',
    );
    expect(thread.text).not.toContain('宛名');

    const reply = out!.reply!.message.text;
    expect(reply).toContain('INV-3 filed');
    expect(reply).toContain('These past answers may already answer it.');
    expect(reply).toContain(`*INV-${past}*`);
    expect(reply).toContain('Answer: オーソリが二重に残っていました。');
    expect(JSON.stringify(out!.reply!.message.blocks)).toContain('Answer: オーソリ');

    // Answered again under the same key: the same reply, nothing written twice.
    const again = await investigationFile.submit(submission(GOOD, 'view:similar'), ctx);
    expect(again!.reply!.message.text).toBe(reply);
    const { rows: after } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(after[0].n).toBe(3);
  });

  it('posts nothing more and offers nothing when no past answer is close', async () => {
    await store({ question: '請求書の宛名を変えたい', answer: '管理画面から変更できます。' });
    const out = await investigationFile.submit(
      submission({ ...GOOD, question: '来月の社員旅行の行き先を教えてください' }, 'view:none'),
      testContext(db.pool),
    );
    const { rows } = await db.pool.query<{ kind: string }>(`SELECT kind FROM outbox ORDER BY id`);
    expect(rows.map((r) => r.kind)).toEqual(['slack.post', 'slack.dm']);
    expect(out!.reply!.message.text).not.toContain('past answers');
  });
});

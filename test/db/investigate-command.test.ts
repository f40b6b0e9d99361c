// /investigate through the Dispatcher against PostgreSQL: the modal when typed alone, list, show,
// search and stats on a small fixture whose figures are worked out by hand, usage errors and help,
// and the permission rule (everyone in the workspace may use it). Also the demo history: it loads
// twice without duplicates and a demo month has figures.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { loadInvestigationHistoryDemo } from '../../src/demo/investigation-history.ts';
import { loadInvestigationsDemo } from '../../src/demo/investigations.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { repeatedQuestions, similarity } from '../../src/domain/investigation-stats.ts';
import { STATS_CSV_HEADER } from '../../src/views/investigate.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const truncate = () =>
  db.ownerPool.query('TRUNCATE investigations, investigation_events RESTART IDENTITY CASCADE');

/** A Dispatcher over every command; the test clock: Wednesday 2024-04-10 10:00 in Tokyo. */
function setup() {
  const ctx = testContext(db.pool);
  const dispatcher = new Dispatcher(ctx, { commands });
  const run = (text: string, opts: { user?: string; locale?: Locale } = {}) =>
    dispatcher.run({
      command: '/investigate',
      text,
      userId: opts.user ?? 'U0CCC',
      locale: opts.locale ?? 'en',
    });
  return { ctx, run };
}

interface Row {
  created: string;
  requester?: string;
  assignee?: string | null;
  customer?: string;
  reference?: string | null;
  category: string;
  question: string;
  deadline: string;
  status?: 'open' | 'taken' | 'waiting' | 'resolved';
  waitingSince?: string;
  waitedMs?: number;
  /** The deadline moved by the waits (Tokyo wall clock); absent: the deadline. */
  dueAt?: string;
  resolvedAt?: string;
  answer?: string;
  cause?: string;
  events?: [string, string][];
}

/** Inserts requests (times are Tokyo wall clock, +09:00) with a 'filed' event and `events`. */
async function insert(rows: Row[]): Promise<void> {
  const jst = (s: string) => `${s}+09:00`;
  for (const r of rows) {
    const status = r.status ?? (r.resolvedAt ? 'resolved' : 'taken');
    const { rows: ins } = await db.pool.query<{ id: string }>(
      `INSERT INTO investigations (requester, assignee, customer, reference, category, question, deadline,
         urgency, status, created_at, updated_at, waiting_since, waited_ms, answer, cause, resolved_at, resolved_by, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'normal', $8, $9, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id::text`,
      [
        r.requester ?? 'U0CCC',
        r.assignee === undefined ? 'U0DDD' : r.assignee,
        r.customer ?? 'cus_1',
        r.reference ?? null,
        r.category,
        r.question,
        jst(r.deadline),
        status,
        jst(r.created),
        r.waitingSince ? jst(r.waitingSince) : null,
        r.waitedMs ?? 0,
        r.resolvedAt ? (r.answer ?? 'answered') : null,
        r.resolvedAt ? (r.cause ?? null) : null,
        r.resolvedAt ? jst(r.resolvedAt) : null,
        r.resolvedAt ? (r.assignee ?? 'U0DDD') : null,
        jst(r.dueAt ?? r.deadline),
      ],
    );
    const id = ins[0]!.id;
    const events: [string, string][] = [[r.created, 'filed'], ...(r.events ?? [])];
    for (const [at, what] of events)
      await db.pool.query(
        `INSERT INTO investigation_events (investigation_id, at, actor, what) VALUES ($1, $2, $3, $4)`,
        [id, jst(at), what === 'filed' ? (r.requester ?? 'U0CCC') : (r.assignee ?? 'U0DDD'), what],
      );
  }
}

const HOUR = 3_600_000;

/**
 * March 2024 (business hours 09:00–18:00, weekends off):
 *  INV-1 payment: Fri 1 Mar 17:00 → Mon 4 Mar 10:00 = 1 h + 1 h = 2 business hours across the
 *        weekend; due Mon 09:00: late.
 *  INV-2 refund: Tue 5 Mar 10:00 → Wed 6 Mar 15:00 = 8 h + 6 h = 14 h, less the wait Tue 11:00 →
 *        Wed 11:00 (7 h + 2 h = 9 h) = 5 h; due Wed 10:00 but moved by the 9 business hours waited
 *        (to Thu 10:00): on time.
 *  INV-3 payment: Thu 7 Mar 09:00 → 17:00 = 8 h; on time.
 *  INV-4 account: taken, due Tue 26 Mar 18:00, not answered: late now (10 Apr).
 *  INV-5 refund: waiting since Thu 28 Mar 12:00, due 29 Mar: not late (its clock is paused).
 *  INV-6: filed in February, answered in March: not one of March's.
 *  INV-7 bug: filed 9 Apr, due 12 Apr: open, on time.
 * Median time to answer: of 2, 5 and 8 hours, 5. Overdue: INV-1 and INV-4.
 * Repeated: INV-1 and INV-3 (the same question reworded), INV-2 and INV-5 (the same order).
 */
const FIXTURE: Row[] = [
  {
    created: '2024-03-01T17:00:00',
    category: 'payment',
    customer: 'user_1（山田様）',
    reference: 'ORD-00000007',
    question: 'クレジットカードで二重に請求されたとのことです。決済の記録を確認してください。',
    deadline: '2024-03-04T09:00:00',
    resolvedAt: '2024-03-04T10:00:00',
    answer: '与信が 2 件残っていたためで、売上確定は 1 件だけです。',
    cause: '決済画面の再送信',
    events: [
      ['2024-03-01T17:10:00', 'taken'],
      ['2024-03-04T10:00:00', 'resolved'],
    ],
  },
  {
    created: '2024-03-05T10:00:00',
    category: 'refund',
    reference: 'RF-1',
    question: 'Refund has not arrived yet.',
    deadline: '2024-03-06T10:00:00',
    waitedMs: 9 * HOUR,
    dueAt: '2024-03-07T10:00:00',
    resolvedAt: '2024-03-06T15:00:00',
    answer: 'The refund shows on the next card statement.',
    events: [
      ['2024-03-05T11:00:00', 'waiting'],
      ['2024-03-06T11:00:00', 'resumed'],
      ['2024-03-06T15:00:00', 'resolved'],
    ],
  },
  {
    created: '2024-03-07T09:00:00',
    category: 'payment',
    question: 'クレジットカードで二重に請求されたそうです。決済の記録を確認してください。',
    deadline: '2024-03-08T18:00:00',
    resolvedAt: '2024-03-07T17:00:00',
    answer: '与信の二重取りでした。',
  },
  {
    created: '2024-03-25T10:00:00',
    requester: 'U0CCC',
    assignee: 'U0DDD',
    category: 'account',
    question: 'パスワードを再設定してもログインできません。',
    deadline: '2024-03-26T18:00:00',
  },
  {
    created: '2024-03-28T10:00:00',
    requester: 'U0FIN1',
    assignee: 'U0EEE',
    reference: 'rf-1',
    category: 'refund',
    question: 'Where is my money back?',
    deadline: '2024-03-29T18:00:00',
    status: 'waiting',
    waitingSince: '2024-03-28T12:00:00',
    events: [['2024-03-28T12:00:00', 'waiting']],
  },
  {
    created: '2024-02-28T10:00:00',
    category: 'other',
    question: 'Invoice number?',
    deadline: '2024-03-01T18:00:00',
    resolvedAt: '2024-03-01T10:00:00',
  },
  {
    created: '2024-04-09T10:00:00',
    requester: 'U0CCC',
    assignee: 'U0EEE',
    category: 'bug',
    question: '領収書の PDF が文字化けします。',
    deadline: '2024-04-12T18:00:00',
    status: 'open',
  },
];

describe('/investigate', () => {
  beforeEach(async () => {
    await truncate();
    await insert(FIXTURE);
  });

  it('alone opens the filing modal (the same as the shortcut), in the person’s language', async () => {
    const { run } = setup();
    const out = await run('', { locale: 'ja' });
    expect(out.error).toBeUndefined();
    expect(out.view?.action).toBe('open');
    expect(out.view?.modal.callbackId).toBe('investigation.file');
    expect(out.view?.modal.title).toBe('調査依頼');
  });

  it('answers help, and a person neither in finance nor an admin (support, engineers) gets answers', async () => {
    const { run } = setup();
    const help = await run('help');
    expect(help.reply.message.text).toContain('/investigate list [open|mine|overdue]');
    // U0CCC and U0DDD are neither in permissions.finance nor admins.
    for (const user of ['U0CCC', 'U0DDD']) {
      for (const text of ['list', 'show INV-1', 'search 二重', 'stats 2024-03']) {
        const out = await run(text, { user });
        expect(out.error, `${user}: ${text}`).toBeUndefined();
      }
    }
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(rows[0].n).toBe(0);
  });

  it('lists the open ones (open, taken, waiting) soonest deadline first, marking the late one', async () => {
    const { run } = setup();
    const out = await run('list');
    const model = out.reply.model as { total: number; items: { id: string; ref: string; status: string }[] };
    expect(model.total).toBe(3);
    expect(model.items.map((i) => [i.id, i.ref, i.status])).toEqual([
      ['4', 'INV-4', 'taken'],
      ['5', 'INV-5', 'waiting'],
      ['7', 'INV-7', 'open'],
    ]);
    const lines = out.reply.message.text.split('\n');
    expect(lines.find((l) => l.includes('INV-4'))).toContain('overdue');
    expect(lines.find((l) => l.includes('INV-5'))).toContain('paused');
    expect(lines.find((l) => l.includes('INV-7'))).not.toContain('overdue');
    expect(out.reply.message.text).not.toContain('INV-1 ');
  });

  it('lists mine (assigned to me or filed by me) and overdue', async () => {
    const { run } = setup();
    const ids = async (text: string, user: string) =>
      ((await run(text, { user })).reply.model as { items: { id: string }[] }).items.map((i) => i.id);
    expect(await ids('list mine', 'U0EEE')).toEqual(['5', '7']);
    expect(await ids('list mine', 'U0FIN1')).toEqual(['5']);
    expect(await ids('list ｍｉｎｅ', 'U0CCC')).toEqual(['4', '7']);
    expect(await ids('list overdue', 'U0CCC')).toEqual(['4']);
  });

  it('shows at most 20 and says how many more', async () => {
    await insert(
      Array.from({ length: 22 }, (_, i) => ({
        created: '2024-04-09T11:00:00',
        category: 'other',
        question: `q${i}`,
        deadline: '2024-04-20T18:00:00',
      })),
    );
    const { run } = setup();
    const out = await run('list');
    expect((out.reply.model as { total: number; items: unknown[] }).items).toHaveLength(20);
    expect((out.reply.model as { total: number }).total).toBe(25);
    expect(out.reply.message.text).toContain('and 5 more');
  });

  it('shows one request with every field, its answer and its log (also as ｉｎｖ２)', async () => {
    const { run } = setup();
    const out = await run('show ｉｎｖ２');
    expect(out.error).toBeUndefined();
    const text = out.reply.message.text;
    expect(text).toContain('INV-2');
    expect(text).toContain('RF-1');
    expect(text).toContain('The refund shows on the next card statement.');
    expect(text).toContain('is waiting for the customer');
    expect(text).toContain('the customer answered; resumed');
    expect(text).toContain('answered and resolved by');
    const model = out.reply.model as { id: string; events: { what: string }[]; answer: string };
    expect(model.id).toBe('2');
    expect(model.events.map((e) => e.what)).toEqual(['filed', 'waiting', 'resumed', 'resolved']);
  });

  it('says clearly when a request does not exist, and when an id is not one', async () => {
    const { run } = setup();
    const unknown = await run('show INV-999');
    expect(unknown.error).toBe('user');
    expect(unknown.reply.message.text).toContain('There is no investigation request INV-999');
    const bad = await run('show 42x');
    expect(bad.error).toBe('user');
    expect(bad.reply.message.text).toContain('`42x` is not a request id');
    expect(bad.reply.message.text).toContain('/investigate stats'); // the help follows
    expect((await run('show')).reply.message.text).toContain('Which request?');
  });

  it('answers usage errors in the person’s language', async () => {
    const { run } = setup();
    const sub = await run('frobnicate', { locale: 'ja' });
    expect(sub.error).toBe('user');
    expect(sub.reply.message.text).toContain('サブコマンド `frobnicate` はありません');
    const filter = await run('list closed');
    expect(filter.reply.message.text).toContain('Cannot list by `closed`');
    const month = await run('stats 2024-13');
    expect(month.error).toBe('user');
    expect(month.reply.message.text).toContain('`2024-13` is not a month');
    expect((await run('stats')).reply.message.text).toContain('Which month?');
    expect((await run('search')).reply.message.text).toContain('Search for what?');
    // An eleventh word is refused, not silently ignored.
    const eleven = await run('search a b c d e f g h i j 返金');
    expect(eleven.error).toBe('user');
    expect(eleven.reply.message.text).toContain('Search with at most 10 words');
    expect((await run('list open now')).reply.message.text).toContain('Unexpected extra words: `now`');
  });

  it('searches questions and answers for a word inside a Japanese sentence', async () => {
    const { run } = setup();
    const out = await run('search 二重');
    const model = out.reply.model as { hits: { ref: string }[] };
    expect(model.hits.map((h) => h.ref).sort()).toEqual(['INV-1', 'INV-3']);
    expect(out.reply.message.text).toContain('与信');
    const none = await run('search 存在しない語');
    expect(none.error).toBeUndefined();
    expect(none.reply.message.text).toContain('No investigation request holds');
  });

  it('counts a month’s requests: answered, median business hours across a weekend, overdue, by category, repeated', async () => {
    const { run } = setup();
    for (const month of ['2024-03', '2024/3', 'last-month']) {
      const out = await run(`stats ${month}`);
      expect(out.error, month).toBeUndefined();
      const m = out.reply.model as Record<string, unknown>;
      expect(m).toMatchObject({
        month: '2024-03',
        opened: 5,
        answered: 3,
        medianAnswerBusinessHours: 5,
        overdue: 2,
      });
      expect(m.byCategory).toEqual([
        { category: 'payment', opened: 2, answered: 2, overdue: 1 },
        { category: 'payout', opened: 0, answered: 0, overdue: 0 },
        { category: 'refund', opened: 2, answered: 1, overdue: 0 },
        { category: 'account', opened: 1, answered: 0, overdue: 1 },
        { category: 'bug', opened: 0, answered: 0, overdue: 0 },
        { category: 'other', opened: 0, answered: 0, overdue: 0 },
      ]);
      expect((m.repeated as { ids: string[] }[]).map((r) => r.ids)).toEqual([
        ['1', '3'],
        ['2', '5'],
      ]);
    }
    const out = await run('stats 2024-03');
    expect(out.reply.message.text).toContain('5.0 business hours');
  });

  it('attaches a CSV (one row per request of the month) and a PNG chart', async () => {
    const { run } = setup();
    const files = (await run('stats 2024-03')).reply.files ?? [];
    const csv = files.find((f) => f.filename === 'investigations-2024-03.csv')!;
    const records = csv.content
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(records[0]).toBe(STATS_CSV_HEADER.join(','));
    expect(records).toHaveLength(6);
    expect(records[1]).toMatch(
      /^INV-1,2024-03-01T08:00:00.000Z,payment,resolved,user_1（山田様）,ORD-00000007,/,
    );
    expect(records[1]).toContain(',2.0,yes,');
    expect(records[2]).toContain(',5.0,no,');
    expect(records[4]).toMatch(/^INV-4,.*,,yes,/);
    const png = files.find((f) => f.filename === 'investigations-2024-03.png')!;
    expect(png.encoding).toBe('base64');
    expect(Buffer.from(png.content, 'base64').subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it('says when a month has no requests', async () => {
    const { run } = setup();
    const out = await run('stats 2023-01');
    expect(out.error).toBeUndefined();
    expect(out.reply.message.text).toContain('No investigation request was filed in 2023-01');
    expect(out.reply.files ?? []).toEqual([]);
  });
});

describe('repeated questions', () => {
  it('groups reworded questions and the same reference, leaves different ones apart', () => {
    const a = '返金手続きから 10 日経っても返金が届かないとのことです。返金の処理状況を教えてください。';
    const b = '返金が届かないとのお問い合わせです。返金の処理状況を教えてください。';
    const c = '領収書の宛名を変更したいとのことです。';
    expect(similarity(a, b)).toBeGreaterThanOrEqual(0.5);
    expect(similarity(a, c)).toBeLessThan(0.5);
    expect(
      repeatedQuestions([
        { id: '1', question: a, reference: null },
        { id: '2', question: c, reference: 'X-1' },
        { id: '3', question: b, reference: null },
        { id: '4', question: 'something else entirely', reference: 'x-1' },
      ]),
    ).toEqual([
      { question: a, count: 2, ids: ['1', '3'] },
      { question: c, count: 2, ids: ['2', '4'] },
    ]);
  });
});

describe('demo history', () => {
  it('loads twice without duplicates, keeps the three current requests, and a demo month has figures', async () => {
    await truncate();
    const ctx = testContext(db.ownerPool);
    const first = await loadInvestigationHistoryDemo(ctx);
    expect(first).toBeGreaterThanOrEqual(15);
    expect(await loadInvestigationHistoryDemo(ctx)).toBe(0);
    expect(await loadInvestigationsDemo(ctx)).toBe(3);
    const { rows } = await db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM investigations GROUP BY status ORDER BY status`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(by.waiting).toBe(2);
    expect(by.resolved).toBeGreaterThanOrEqual(12);
    const { run } = setup();
    const overdue = (await run('list overdue')).reply.model as { total: number };
    expect(overdue.total).toBeGreaterThanOrEqual(1);
    const stats = (await run('stats 2024-02')).reply.model as {
      opened: number;
      answered: number;
      medianAnswerBusinessHours: number | null;
      repeated: { count: number }[];
    };
    expect(stats.opened).toBeGreaterThan(0);
    expect(stats.answered).toBeGreaterThan(0);
    expect(stats.medianAnswerBusinessHours).not.toBeNull();
    const all = await run('search 返金が届かない');
    expect((all.reply.model as { hits: unknown[] }).hits.length).toBeGreaterThanOrEqual(2);
  });

  it('groups the demo’s repeated questions over its whole history', async () => {
    const { rows } = await db.pool.query<{ id: string; question: string; reference: string | null }>(
      `SELECT id::text, question, reference FROM investigations ORDER BY id`,
    );
    const groups = repeatedQuestions(rows);
    // 二重請求, 返金が届かない, 入金予定日, ログインできない: each asked three times or more.
    expect(groups.slice(0, 4).map((g) => g.count >= 3)).toEqual([true, true, true, true]);
  });
});

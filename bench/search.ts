// Investigation search (migration 0340) over BENCH_SEARCH_ROWS investigations (default 50,000; 80 %
// resolved), Japanese and English questions built from a fixed vocabulary: the time of a search with
// the bigram index, the same query with bitmap scans off (so without it), and the scan it replaced
// (NFKC and lower-casing every row at query time); then similarAnswers. Median of BENCH_SEARCH_RUNS
// (default 20) after warm-up. Settings: BENCH_DATABASE_URL (a PostgreSQL server's superuser URL; else
// an embedded one in .toban/bench-pg). The database (toban_bench_search_<rows>) is kept between runs.
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { searchInvestigations, searchWords } from '../src/services/investigations/search.ts';
import { similarAnswers } from '../src/services/investigations/similar.ts';
import { random, withDatabase } from './common.ts';

type Log = (line: string) => void;

const SUBJECTS = [
  'クレジットカード',
  '銀行振込',
  'コンビニ払い',
  '返金',
  '定期購入',
  'ポイント',
  '請求書',
  '領収書',
  '管理者アカウント',
  'パスワード',
  'メールアドレス',
  '入金',
  '振込手数料',
  '解約',
  'クーポン',
  '配送料',
  '注文履歴',
  '分割払い',
  'デビットカード',
  '口座振替',
];
const PROBLEMS = [
  'で二重請求が発生した',
  'の反映が遅れている',
  'がまだ届かない',
  'の金額が違う',
  'の処理が止まっている',
  'でエラーが表示される',
  'の明細が見られない',
  'を取り消したい',
  'が二回引き落とされた',
  'の期限が過ぎていた',
];
const TAILS = [
  'とのお問い合わせです。',
  'そうです。確認をお願いします。',
  'とのことです。状況を教えてください。',
  '。お客さまが困っています。',
  'と連絡がありました。',
];
const ENGLISH = [
  'The customer was charged twice for one order.',
  'The refund has not arrived after ten days.',
  'Invoice emails stopped after the admin address changed.',
  'The payout to the bank account is late.',
  'Points were not added after the purchase.',
];
const ANSWERS = [
  '決済代行のオーソリが二重に残っていました。売上確定は一回のみで、仮売上は数日で解除されます。',
  '銀行の処理に 3〜5 営業日かかります。返金は処理済みです。',
  'メール配信停止リストに登録されていたため解除しました。',
  '締め日の関係で翌月の請求になります。',
  'システム障害により反映が遅れていました。現在は復旧しています。',
];

async function prepare(log: Log, admin: string, rows: number): Promise<Pool> {
  const name = `toban_bench_search_${rows}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
  if (!rowCount) await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = withDatabase(admin, name);
  await migrate(url);
  const pool = createPool(url, { max: 2 });
  const { rows: have } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM investigations`);
  if (have[0]!.n >= rows) {
    log(`${name}: ${have[0]!.n.toLocaleString('en-US')} investigations (kept from an earlier run)`);
    return pool;
  }
  const next = random(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const started = Date.now();
  const batch = 2_000;
  for (let done = have[0]!.n; done < rows; done += batch) {
    const values = Array.from({ length: Math.min(batch, rows - done) }, (_, k) => {
      const n = done + k;
      const question =
        next() < 0.15
          ? `${pick(ENGLISH)} Order ORD-${String(n).padStart(6, '0')}.`
          : `${pick(SUBJECTS)}${pick(PROBLEMS)}${pick(TAILS)}注文番号 ORD-${String(n).padStart(6, '0')}。`;
      const resolved = next() < 0.8;
      const at = new Date(Date.UTC(2022, 0, 1) + n * 30 * 60_000).toISOString();
      return [question, resolved ? pick(ANSWERS) : null, `user_${Math.floor(next() * 20_000)}`, at];
    });
    await pool.query(
      `INSERT INTO investigations (requester, customer, category, question, deadline, status, answer,
                                   resolved_at, created_at, updated_at)
       SELECT 'U0BENCH', v->>2, 'payment', v->>0, (v->>3)::timestamptz + interval '2 days',
              CASE WHEN v->>1 IS NULL THEN 'open' ELSE 'resolved' END, v->>1,
              CASE WHEN v->>1 IS NULL THEN NULL ELSE (v->>3)::timestamptz + interval '1 day' END,
              (v->>3)::timestamptz, (v->>3)::timestamptz
         FROM jsonb_array_elements($1::jsonb) AS v`,
      [JSON.stringify(values)],
    );
  }
  await pool.query(`VACUUM ANALYZE investigations`);
  log(
    `${name}: generated ${rows.toLocaleString('en-US')} investigations in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return pool;
}

/** The query main had before migration 0340: every row folded at query time. */
async function oldScan(db: pg.PoolClient, text: string): Promise<void> {
  await db.query(
    `SELECT id FROM investigations i
      WHERE NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS w(word)
               WHERE strpos(lower(normalize(i.question || ' ' || coalesce(i.answer, '') || ' ' ||
                            coalesce(i.cause, '') || ' ' || i.customer, NFKC)), w.word) = 0)
      ORDER BY (status = 'resolved') DESC, created_at DESC, id DESC LIMIT 20`,
    [searchWords(text)],
  );
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

export async function benchSearch({ log }: { log: Log }): Promise<void> {
  const rows = Number(process.env.BENCH_SEARCH_ROWS ?? 50_000);
  const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 20);
  const base = process.env.BENCH_DATABASE_URL;
  let server: EmbeddedServer | undefined;
  if (!base) server = await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? server!.url;
  log(
    `database: ${base ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL (.toban/bench-pg)'}; median of ${runs}`,
  );
  const pool = await prepare(log, admin, rows);
  try {
    const searches = [
      '二重請求',
      'ＯＲＤ-０１２３４５',
      '請求 届かない',
      'refund arrived',
      'お問い合わせ',
      '税',
    ];
    log('search (limit 20)                  index     no index   old scan   hits');
    for (const text of searches) {
      const ctx = { pool };
      const withIndex = await median(runs, () => searchInvestigations(ctx, text, { limit: 20 }));
      const client = await pool.connect();
      let without: number;
      let old: number;
      try {
        await client.query('SET enable_bitmapscan = off');
        const noIndex = { pool: client as unknown as Pool };
        without = await median(runs, () => searchInvestigations(noIndex, text, { limit: 20 }));
        await client.query('RESET enable_bitmapscan');
        old = await median(Math.min(runs, 5), () => oldScan(client, text));
      } finally {
        client.release();
      }
      const hits = (await searchInvestigations(ctx, text, { limit: 100 })).length;
      log(
        `${text.padEnd(20)}${withIndex.toFixed(2).padStart(12)} ms${without.toFixed(2).padStart(9)} ms${old.toFixed(2).padStart(9)} ms ${String(hits).padStart(6)}`,
      );
    }
    const questions = [
      'クレジットカードで二重請求が発生したとのお問い合わせです。',
      '返金がまだ届かないそうです',
      'The refund has not arrived yet, the customer says.',
      '来月の社員旅行の行き先はどこですか',
    ];
    log('similarAnswers (limit 3)           time       offered');
    for (const q of questions) {
      const ctx = { pool };
      const ms = await median(runs, () => similarAnswers(ctx, q, { limit: 3 }));
      const offered = (await similarAnswers(ctx, q, { limit: 3 })).length;
      log(`${q.slice(0, 18).padEnd(20)}${ms.toFixed(2).padStart(12)} ms ${String(offered).padStart(6)}`);
    }
  } finally {
    await pool.end();
    await server?.stop();
  }
}

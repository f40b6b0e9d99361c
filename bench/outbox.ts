// `npm run bench -- outbox`: the outbox of a real `toban` process (Slack HTTP mode) against the fake
// Slack Web API (issue 6: faults 15 and 1/2/4 under crashes).
//
// 1. Throughput: rows/s from enqueue to recorded delivery, with an empty table and again after
//    1,000,000 delivered rows were added (a claim must not read them).
// 2. Blocked backlog: the same traffic over 2,000 channels, with and without 5,000 due rows waiting
//    behind one ordering key whose first row cannot be delivered yet (out on a lease, or waiting
//    for a retry): a claim must not read the rows queued behind another key.
// 3. kill -9 loop: 20,000 posts, the process killed with SIGKILL 20 times while delivering (some of
//    Slack's answers held back past the client's timeout so outcomes are unknown at the kill), then
//    one last run to the end. Counted from the fake Slack's messages: rows never delivered (lost)
//    and rows seen twice in a channel (duplicates).
//
// Settings: BENCH_DATABASE_URL (a PostgreSQL server to create throwaway databases on; else an
// embedded one), BENCH_OUTBOX_ROWS (throughput rows, default 5000), BENCH_OUTBOX_FILL (delivered
// rows, default 1000000), BENCH_OUTBOX_BACKLOG (rows behind the blocked key, default 5000),
// BENCH_OUTBOX_KILL_ROWS (default 20000), BENCH_OUTBOX_KILLS (default 20), BENCH_OUTBOX_PARTS
// (default throughput,backlog,kill).
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { benchBot } from './bot-role.ts';
import { startFakeSlack, type FakeSlack } from '../test/helpers/fake-slack.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../test/helpers/toban-process.ts';

type Log = (line: string) => void;

interface BenchDb {
  /** The owner's connection; `botUrl` is the bot's (DATABASE_URL). */
  url: string;
  botUrl: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

async function server(): Promise<{ admin: string; stop(): Promise<void> }> {
  const base = process.env.BENCH_DATABASE_URL;
  if (base) return { admin: base, stop: async () => {} };
  const s = await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  return { admin: s.url, stop: () => s.stop() };
}

async function database(admin: string, name: string): Promise<BenchDb> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const bot = await benchBot(admin, u.toString());
  const pool = new pg.Pool({ connectionString: u.toString(), max: 2 });
  return {
    url: u.toString(),
    botUrl: bot.url,
    pool,
    async drop() {
      await pool.end();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
      await bot.drop();
    },
  };
}

function tobanEnv(db: BenchDb, slack: FakeSlack, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.botUrl,
    DATABASE_OWNER_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'bench',
    LOG_LEVEL: 'error',
    ...extra,
  };
}

/** Writes `n` posts in one statement (as n enqueue() calls would) and wakes the workers. */
async function enqueuePosts(
  db: BenchDb,
  n: number,
  opts: { channels: number; tag: string; keyPerChannel: boolean },
): Promise<void> {
  await db.pool.query(
    `INSERT INTO outbox (kind, payload, ordering_key)
     SELECT 'slack.post',
            jsonb_build_object('channel', 'C' || lpad((g % $2)::text, 7, '0'), 'text', $3 || ' ' || g),
            CASE WHEN $4 THEN 'channel:' || (g % $2) ELSE $3 || ':' || g END
     FROM generate_series(1, $1::int) g`,
    [n, opts.channels, opts.tag, opts.keyPerChannel],
  );
  await db.pool.query(`SELECT pg_notify('toban_outbox', '')`);
}

async function count(db: BenchDb, where: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM outbox WHERE ${where}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

async function maxId(db: BenchDb): Promise<number> {
  const { rows } = await db.pool.query<{ id: string | null }>(`SELECT max(id) AS id FROM outbox`);
  return Number(rows[0]?.id ?? 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Enqueues `n` rows and waits until all are delivered; rows/s from the enqueue to the last delivery. */
async function measure(db: BenchDb, n: number, tag: string): Promise<number> {
  const from = await maxId(db);
  const start = performance.now();
  await enqueuePosts(db, n, { channels: 2_000, tag, keyPerChannel: false });
  const deadline = start + 600_000;
  while ((await count(db, `id > $1 AND state = 'delivered'`, [from])) < n) {
    if (performance.now() > deadline) throw new Error(`${tag}: not delivered within 10 minutes`);
    await sleep(50);
  }
  return n / ((performance.now() - start) / 1000);
}

async function throughput(log: Log, admin: string): Promise<void> {
  const rows = Number(process.env.BENCH_OUTBOX_ROWS ?? 5_000);
  const fill = Number(process.env.BENCH_OUTBOX_FILL ?? 1_000_000);
  const rounds = Number(process.env.BENCH_OUTBOX_ROUNDS ?? 3);
  // Two databases side by side, one empty and one holding the delivered rows, each with its own
  // toban process; measurements alternate between them, so a load that comes and goes on the
  // machine (other processes share the two cores) falls on both alike.
  const empty = await database(admin, `toban_bench_outbox_empty_${process.pid}`);
  const full = await database(admin, `toban_bench_outbox_full_${process.pid}`);
  const slack = await startFakeSlack();
  const tobans: TobanProcess[] = [];
  try {
    for (const db of [empty, full]) {
      const toban = await spawnToban([], tobanEnv(db, slack));
      tobans.push(toban);
      await toban.waitHealthy();
      await measure(db, 500, 'warmup');
    }
    const t0 = performance.now();
    await full.pool.query(
      `INSERT INTO outbox (kind, payload, ordering_key, state, attempts, first_attempt_at, delivered_at, result)
       SELECT 'slack.post', jsonb_build_object('channel', 'C0FILL', 'text', 'old ' || g), 'fill:' || g,
              'delivered', 1, now(), now(), '{"ts":"1.000001"}'
       FROM generate_series(1, $1::int) g`,
      [fill],
    );
    // Both tables start vacuumed: a table that has held a million delivered rows for a while has
    // been vacuumed by autovacuum long ago; the point is what claims read, not the one-off vacuum
    // of a bulk insert competing for the two cores.
    for (const db of [empty, full]) await db.pool.query('VACUUM (ANALYZE) outbox');
    await full.pool.query('CHECKPOINT').catch(() => {}); // superuser only; it only evens out the I/O
    const filledIn = (performance.now() - t0) / 1000;
    const figures = { empty: [] as number[], full: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      figures.empty.push(await measure(empty, rows, `empty${r}`));
      figures.full.push(await measure(full, rows, `full${r}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const e = median(figures.empty);
    const f = median(figures.full);
    const delivered = await count(full, `state = 'delivered'`);
    const each = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    log(
      `throughput, ${rows} posts over 2,000 channels per measurement, one toban process (4 workers) per database, fake Slack in the bench process, ${rounds} alternating rounds:`,
    );
    log(`  empty table:                            median ${e.toFixed(0)} rows/s  (${each(figures.empty)})`);
    log(
      `  ${delivered.toLocaleString('en')} delivered rows in the table:  median ${f.toFixed(0)} rows/s  (${each(figures.full)}); ${((f / e - 1) * 100).toFixed(1)} % against empty; filled and vacuumed in ${filledIn.toFixed(0)} s`,
    );
  } finally {
    for (const t of tobans) await t.kill('SIGTERM');
    await slack.close();
    await empty.drop();
    await full.drop();
  }
}

/**
 * Writes a head for `key` that cannot go for an hour (as if out on a lease or waiting for a retry),
 * then `n` due rows behind it, as writers would (the rows after the head wait for their turn).
 */
async function blockKey(db: BenchDb, key: string, n: number): Promise<void> {
  await db.pool.query(
    `INSERT INTO outbox (kind, payload, ordering_key, attempts, first_attempt_at, next_attempt_at)
     VALUES ('slack.post', '{"channel":"C0BLOCKED","text":"blocked head"}', $1, 1, now(), now() + interval '1 hour')`,
    [key],
  );
  await db.pool.query(
    `INSERT INTO outbox (kind, payload, ordering_key)
     SELECT 'slack.post', jsonb_build_object('channel', 'C0BLOCKED', 'text', 'behind ' || g), $2
     FROM generate_series(1, $1::int) g`,
    [n, key],
  );
}

async function backlog(log: Log, admin: string): Promise<void> {
  const rows = Number(process.env.BENCH_OUTBOX_ROWS ?? 5_000);
  const behind = Number(process.env.BENCH_OUTBOX_BACKLOG ?? 5_000);
  const rounds = Number(process.env.BENCH_OUTBOX_ROUNDS ?? 3);
  // As in throughput(): two databases, alternating rounds, so a passing load falls on both alike.
  const clear = await database(admin, `toban_bench_outbox_clear_${process.pid}`);
  const blocked = await database(admin, `toban_bench_outbox_blocked_${process.pid}`);
  const slack = await startFakeSlack();
  const tobans: TobanProcess[] = [];
  try {
    for (const db of [clear, blocked]) {
      const toban = await spawnToban([], tobanEnv(db, slack));
      tobans.push(toban);
      await toban.waitHealthy();
      await measure(db, 500, 'warmup');
    }
    await blockKey(blocked, 'channel:C0BLOCKED', behind);
    for (const db of [clear, blocked]) await db.pool.query('VACUUM (ANALYZE) outbox');
    const figures = { clear: [] as number[], blocked: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      figures.clear.push(await measure(clear, rows, `clear${r}`));
      figures.blocked.push(await measure(blocked, rows, `blocked${r}`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const c = median(figures.clear);
    const b = median(figures.blocked);
    const each = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const waiting = await count(blocked, `state = 'pending' AND ordering_key = 'channel:C0BLOCKED'`);
    log(
      `blocked backlog, ${rows} posts over 2,000 channels per measurement, one toban process (4 workers) per database, ${rounds} alternating rounds:`,
    );
    log(`  no backlog:                              median ${c.toFixed(0)} rows/s  (${each(figures.clear)})`);
    log(
      `  ${behind.toLocaleString('en')} due rows behind one blocked key:  median ${b.toFixed(0)} rows/s  (${each(figures.blocked)}); ${((b / c - 1) * 100).toFixed(1)} % against no backlog; still waiting behind it: ${waiting.toLocaleString('en')}`,
    );
  } finally {
    for (const t of tobans) await t.kill('SIGTERM');
    await slack.close();
    await clear.drop();
    await blocked.drop();
  }
}

async function killLoop(log: Log, admin: string): Promise<void> {
  const rows = Number(process.env.BENCH_OUTBOX_KILL_ROWS ?? 20_000);
  const kills = Number(process.env.BENCH_OUTBOX_KILLS ?? 20);
  const db = await database(admin, `toban_bench_outbox_kill_${process.pid}`);
  const slack = await startFakeSlack();
  // Short Slack calls allow a short lease, so a killed process's rows come back within seconds.
  const env = tobanEnv(db, slack, { TOBAN_SLACK_TIMEOUT_SECONDS: '1', TOBAN_OUTBOX_LEASE_SECONDS: '8' });
  const start = performance.now();
  let toban: TobanProcess | undefined;
  let heldBack = 0;
  const deliveredAtKill: number[] = [];
  try {
    toban = await spawnToban([], env);
    await toban.waitHealthy();
    await enqueuePosts(db, rows, { channels: 2_000, tag: 'kill', keyPerChannel: true });
    for (let k = 0; k < kills; k++) {
      // Slack acts on the next posts but answers after the client gave up: unknown outcomes, some
      // of them still open when the process dies.
      slack.failNext('chat.postMessage', { delayMs: 1_500 }, 6);
      heldBack += 6;
      await sleep(1_000 + Math.random() * 2_000);
      await toban.kill('SIGKILL');
      deliveredAtKill.push(await count(db, `state = 'delivered'`));
      toban = await spawnToban([], env);
      await toban.waitHealthy();
    }
    const deadline = performance.now() + 600_000;
    while ((await count(db, `state = 'pending'`)) > 0 && performance.now() < deadline) await sleep(250);
    const seconds = (performance.now() - start) / 1000;
    const delivered = await count(db, `state = 'delivered'`);
    const dead = await count(db, `state = 'dead'`);
    const perRow = new Map<string, number>();
    for (const m of slack.messages) {
      const id = (m.metadata as { event_payload?: { outbox_id?: unknown } } | undefined)?.event_payload
        ?.outbox_id;
      if (id !== undefined) perRow.set(String(id), (perRow.get(String(id)) ?? 0) + 1);
    }
    const duplicates = [...perRow.values()].filter((n) => n > 1).length;
    const lost = rows - [...perRow.keys()].length;
    const lookups = slack.callsTo('conversations.history').length;
    log(
      `kill -9 loop: ${rows.toLocaleString('en')} posts over 2,000 channels, ${kills} SIGKILLs of the toban process while delivering, ${heldBack} answers held back past the 1 s client timeout:`,
    );
    log(
      `  delivered ${delivered.toLocaleString('en')}, dead ${dead}, pending ${rows - delivered - dead}; in Slack: ${perRow.size.toLocaleString('en')} rows posted, lost ${lost}, channel-visible duplicates ${duplicates}`,
    );
    log(
      `  ${slack.callsTo('chat.postMessage').length.toLocaleString('en')} chat.postMessage calls, ${lookups} "already posted?" look-ups; delivered at each kill: ${deliveredAtKill.join(' ')}; ${seconds.toFixed(0)} s in all`,
    );
  } finally {
    await toban?.kill('SIGTERM');
    await slack.close();
    await db.drop();
  }
}

export async function benchOutbox(opts: { log: Log }): Promise<void> {
  const s = await server();
  try {
    const wanted = (process.env.BENCH_OUTBOX_PARTS ?? 'throughput,backlog,kill').split(',');
    if (wanted.includes('throughput')) await throughput(opts.log, s.admin);
    if (wanted.includes('backlog')) await backlog(opts.log, s.admin);
    if (wanted.includes('kill')) await killLoop(opts.log, s.admin);
  } finally {
    await s.stop();
  }
}

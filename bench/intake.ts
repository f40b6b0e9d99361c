// `npm run bench -- intake`: the alert intake (POST /hooks/alerts/:source) on real PostgreSQL, beside
// a bare node:http server in the same run that does one 5-statement transaction per webhook (the
// floor any intake with the same durability pays). Figures, never pass/fail:
//
// 1. single-alert webhooks/s and p50/p99 latency with N concurrent keep-alive clients, toban and bare;
// 2. alerts/s in 100-alert batches, toban: 100 alerts of one group (as Alertmanager sends them), and
//    100 alerts of 100 new groups (generic source);
// 3. the CPU each request cost, PostgreSQL's backends and this process's, so that a run on a busy
//    machine still says where the time goes.
//
// Both servers run in this process, with the load generator (so they share its CPU alike); toban's
// route is the real one (router, auth, zod, normalisation, the 5-statement transaction, outbox rows)
// without the outbox worker, so it measures intake, not Slack delivery. Storms and kill -9 are not
// measured here yet.
//
// Settings: BENCH_DATABASE_URL (else an embedded server), BENCH_INTAKE_CLIENTS (default 16),
// BENCH_INTAKE_SECONDS (per phase, default 10), BENCH_INTAKE_GROUPS (default 500).
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { ManualClock } from '../src/app/clock.ts';
import type { AppContext } from '../src/core/context.ts';
import { createLogger } from '../src/core/log.ts';
import { createMetrics } from '../src/core/metrics.ts';
import { loadConfig } from '../src/config/load.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { createPool } from '../src/db/pool.ts';
import { createRouter } from '../src/http/router.ts';
import { createRoutes } from '../src/http/routes.ts';
import { staticDirectory } from '../src/services/directory.ts';
import { benchBot } from './bot-role.ts';
import { backendCpuMs, cpuSince, percentile } from './common.ts';

type Log = (line: string) => void;
const TOKEN = 'bench-intake-token';
const BARE_APP = 'toban-bench-bare';
const TOBAN_APP = 'toban-bench-intake';
/** How many groups the webhooks spread over (BENCH_INTAKE_GROUPS; more than 10 new ones in a channel fold into a storm). */
const GROUPS = Number(process.env.BENCH_INTAKE_GROUPS ?? 500);

async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An Alertmanager webhook of one alert: one of 500 groups, a fingerprint of its own. */
function oneAlert(i: number): string {
  const group = i % GROUPS;
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="Bench${group}"}`,
    status: 'firing',
    receiver: 'toban',
    groupLabels: { alertname: `Bench${group}` },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: { alertname: `Bench${group}`, service: 'bench', instance: `host-${i}` },
        annotations: { summary: 'bench' },
        startsAt: '2026-11-30T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prom:9090/graph',
        fingerprint: `fp-${process.pid}-${i}`,
      },
    ],
  });
}

/** `clients` loops POSTing bodies for `seconds`; latencies in ms. */
async function load(
  url: string,
  clients: number,
  seconds: number,
  body: (i: number) => string,
): Promise<{ count: number; failed: number; latencies: number[]; elapsed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const post = (text: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${TOKEN}`,
            'content-length': Buffer.byteLength(text),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const text = body(next++);
        const t0 = performance.now();
        const status = await post(text);
        latencies.push(performance.now() - t0);
        if (status !== 202) failed++;
      }
    }),
  );
  agent.destroy();
  return { count: latencies.length, failed, latencies, elapsed: (performance.now() - start) / 1000 };
}

type Loaded = Awaited<ReturnType<typeof load>> & { pgCpuMs: number; nodeCpuMs: number };

/**
 * `load`, with the CPU it cost: the PostgreSQL backends named `appName` (read from /proc) and this
 * process (both servers' code and the load generator's).
 */
async function measured(
  admin: pg.Client,
  appName: string,
  ...args: Parameters<typeof load>
): Promise<Loaded> {
  const before = await backendCpuMs(admin, appName);
  const node = process.cpuUsage();
  const r = await load(...args);
  const used = process.cpuUsage(node);
  const pgCpuMs = cpuSince(before, await backendCpuMs(admin, appName));
  return { ...r, pgCpuMs, nodeCpuMs: (used.user + used.system) / 1000 };
}

function report(log: Log, name: string, r: Loaded, perRequest = 1): void {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  log(
    `${name}: ${(r.count / r.elapsed).toFixed(0)} requests/s` +
      (perRequest > 1 ? ` = ${((r.count * perRequest) / r.elapsed).toFixed(0)} alerts/s` : '') +
      `, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms` +
      ` (${r.count} requests, ${r.failed} not 202)` +
      `; CPU per request: PostgreSQL ${(r.pgCpuMs / r.count).toFixed(2)} ms, this process ${(r.nodeCpuMs / r.count).toFixed(2)} ms`,
  );
}

/** The floor: read the body, parse it, one transaction of 5 statements, 202. */
async function bareServer(ownerUrl: string) {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 10, application_name: BARE_APP });
  await pool.query(`
    CREATE TABLE IF NOT EXISTS bare_payloads (id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS bare_groups (id bigserial PRIMARY KEY, key text UNIQUE NOT NULL, n int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS bare_alerts (id bigserial PRIMARY KEY, group_id bigint NOT NULL, fingerprint text NOT NULL, status text NOT NULL, UNIQUE (group_id, fingerprint));
    CREATE TABLE IF NOT EXISTS bare_outbox (id bigserial PRIMARY KEY, payload jsonb NOT NULL);`);
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          groupKey: string;
          alerts: { fingerprint: string; status: string }[];
        };
        const a = body.alerts[0]!;
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query('INSERT INTO bare_payloads (body) VALUES ($1)', [body]);
          const g = await c.query<{ id: string }>(
            'INSERT INTO bare_groups (key) VALUES ($1) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id',
            [body.groupKey],
          );
          const id = g.rows[0]!.id;
          await c.query(
            'INSERT INTO bare_alerts (group_id, fingerprint, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [id, a.fingerprint, a.status],
          );
          await c.query('UPDATE bare_groups SET n = n + 1, version = version + 1 WHERE id = $1', [id]);
          await c.query('INSERT INTO bare_outbox (payload) VALUES ($1)', [{ group: id }]);
          await c.query('COMMIT');
          res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
        } catch (err) {
          await c.query('ROLLBACK').catch(() => {});
          res.writeHead(500).end(String(err));
        } finally {
          c.release();
        }
      })();
    });
  });
  return { ...server, close: async () => (await server.close(), await pool.end()) };
}

async function tobanServer(botUrl: string) {
  const pool = createPool(botUrl, { max: 10, applicationName: TOBAN_APP });
  const config = loadConfig({ ALERT_WEBHOOK_TOKEN: TOKEN, LOG_LEVEL: 'error' }, '/nonexistent-dir-for-bench');
  const ctx: AppContext = {
    config,
    pool,
    ledgerPool: pool,
    clock: new ManualClock('2026-11-30T01:00:00Z'),
    log: createLogger('error'),
    directory: staticDirectory({}, {}, {}, []),
    metrics: createMetrics(),
    outboxTransport: 'slack',
  };
  const router = createRouter(ctx.log);
  createRoutes(ctx, router, undefined, TOKEN);
  const server = await listen((req, res) => void router.handle(req, res));
  return { ...server, close: async () => (await server.close(), await pool.end()) };
}

export async function benchIntake({ log }: { log: Log }): Promise<void> {
  const clients = Number(process.env.BENCH_INTAKE_CLIENTS ?? 16);
  const seconds = Number(process.env.BENCH_INTAKE_SECONDS ?? 10);
  const base = process.env.BENCH_DATABASE_URL;
  const embedded = base
    ? undefined
    : await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? embedded!.url;
  const name = `toban_bench_intake_${process.pid}`;
  const adminRun = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await adminRun(`CREATE DATABASE ${name}`);
  const adminRunIn = async (url: string, sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  const owner = new URL(admin);
  owner.pathname = `/${name}`;
  const bot = await benchBot(admin, owner.toString());
  const bare = await bareServer(owner.toString());
  const toban = await tobanServer(bot.url);
  const stats = new pg.Client({ connectionString: admin });
  await stats.connect();
  try {
    log(
      `PostgreSQL: ${base ? 'BENCH_DATABASE_URL' : 'embedded'}; ${clients} clients, ${seconds} s per phase`,
    );
    // Warm both (JIT, connections, plans) before measuring.
    await load(`${bare.url}/hooks/alerts/alertmanager`, clients, 1, oneAlert);
    await load(`${toban.url}/hooks/alerts/alertmanager`, clients, 1, (i) => oneAlert(i + 1e7));
    // A server in use has statistics on its tables (autovacuum; migration 0490 makes it analyze the
    // alert tables often); this database was made a second ago, so analyze it as autovacuum would.
    await adminRunIn(owner.toString(), 'ANALYZE');
    if (!process.env.BENCH_ONLY)
      report(
        log,
        'bare server, 1 alert/webhook',
        await measured(stats, BARE_APP, `${bare.url}/`, clients, seconds, (i) => oneAlert(i + 2e7)),
      );
    report(
      log,
      'toban intake, 1 alert/webhook',
      await measured(stats, TOBAN_APP, `${toban.url}/hooks/alerts/alertmanager`, clients, seconds, (i) =>
        oneAlert(i + 3e7),
      ),
    );
    // Alertmanager sends a group's alerts together: 100 alerts of one of the 500 groups per webhook.
    const amBatch = (i: number) => {
      const one = JSON.parse(oneAlert(i)) as { alerts: Record<string, unknown>[] };
      const alert = one.alerts[0]!;
      one.alerts = Array.from({ length: 100 }, (_, j) => ({
        ...alert,
        labels: { alertname: `Bench${i % GROUPS}`, service: 'bench', instance: `host-${i}-${j}` },
        fingerprint: `fp-${process.pid}-b${i}-${j}`,
      }));
      return JSON.stringify(one);
    };
    const batchClients = Math.min(clients, 4);
    report(
      log,
      `toban intake, 100 alerts/webhook in one group (Alertmanager), ${batchClients} clients`,
      await measured(stats, TOBAN_APP, `${toban.url}/hooks/alerts/alertmanager`, batchClients, seconds, (i) =>
        amBatch(i + 4e7),
      ),
      100,
    );
    // 100 alerts of 100 new groups per webhook: the costliest batch (a group and a storm fold each).
    const spread = (i: number) =>
      JSON.stringify(
        Array.from({ length: 100 }, (_, j) => ({
          title: `batch alert ${j}`,
          status: 'firing',
          dedup_key: `b-${i}-${j}-${crypto.randomBytes(3).toString('hex')}`,
          labels: { service: 'bench' },
        })),
      );
    report(
      log,
      `toban intake, 100 alerts/webhook in 100 new groups (generic), ${batchClients} clients`,
      await measured(stats, TOBAN_APP, `${toban.url}/hooks/alerts/generic`, batchClients, seconds, spread),
      100,
    );
  } finally {
    await stats.end();
    await toban.close();
    await bare.close();
    await adminRun(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await bot.drop();
    await embedded?.stop();
  }
}

// Slash-command acknowledgement latency of the real `toban` process in Slack HTTP mode.
// Signed /oncall requests are sent open-loop at a fixed rate (each at its scheduled instant,
// whether or not earlier ones were answered, so a stall shows up as latency instead of hiding it).
// Latency = response received − scheduled send. RSS is read from /proc for the toban process.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { benchBot } from './bot-role.ts';
import { spawn } from 'node:child_process';
import { signSlackRequest } from '../test/helpers/slack-sign.ts';
import { spawnToban, tempDataDir } from '../test/helpers/toban-process.ts';

const SECRET = 'bench-secret';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function benchDatabase(): Promise<{ url: string; botUrl: string; stop: () => Promise<void> }> {
  const base = process.env.BENCH_DATABASE_URL;
  const server = base ? undefined : await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? server?.url ?? '';
  const name = `toban_bench_ack_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const bot = await benchBot(admin, u.toString());
  return {
    url: u.toString(),
    botUrl: bot.url,
    async stop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
      await bot.drop();
      await server?.stop();
    },
  };
}

export async function benchAck(opts: {
  log: (line: string) => void;
  rate?: number;
  seconds?: number;
}): Promise<void> {
  const rate = opts.rate ?? Number(process.env.BENCH_ACK_RATE ?? 200);
  const seconds = opts.seconds ?? Number(process.env.BENCH_ACK_SECONDS ?? 15);
  const db = await benchDatabase();
  const fake = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/fake-slack-server.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const slackUrl = await new Promise<string>((resolve) =>
    fake.stdout.once('data', (c: Buffer) => resolve(c.toString().trim())),
  );
  const responseUrl = (name: string) => slackUrl.replace(/\/api\/$/, `/respond/${name}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const delivered = async () =>
    Number(
      (
        await pool.query(
          `SELECT count(*) AS n FROM outbox WHERE kind = 'slack.respond' AND state = 'delivered'`,
        )
      ).rows[0].n,
    );
  const toban = await spawnToban([], {
    DATABASE_URL: db.botUrl,
    DATABASE_OWNER_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackUrl,
    ALERT_WEBHOOK_TOKEN: 'bench',
    LOG_LEVEL: 'warn',
  });
  try {
    await toban.waitHealthy();
    const pid = toban.proc.pid ?? 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
    const send = (i: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const body = new URLSearchParams({
          command: '/oncall',
          text: '',
          user_id: 'U0BBB',
          channel_id: 'C0ALERTS',
          team_id: 'T0TEAM',
          response_url: responseUrl(`bench-${i}`),
          trigger_id: `t${i}`,
        }).toString();
        const headers = {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000)),
        };
        const req = http.request(
          { host: '127.0.0.1', port: toban.port, path: '/slack/events', method: 'POST', agent, headers },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200
                ? resolve(res.statusCode)
                : reject(new Error(`status ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    await new Promise((r) => setTimeout(r, 2000));
    const startedRss = rssMb(pid);
    // Warm up (JIT, pool connections), then let the process settle before reading idle RSS.
    const warmup = 200;
    for (let i = 0; i < warmup; i++) await send(-1 - i);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = rssMb(pid);

    const total = rate * seconds;
    const latencies: number[] = [];
    let errors = 0;
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 100);
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(
        send(i).then(
          () => void latencies.push(performance.now() - due),
          () => void errors++,
        ),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - start) / 1000;
    // Every acknowledged command is also answered (through the outbox) before we stop measuring RSS.
    const drainStart = performance.now();
    let answered = await delivered();
    while (answered < total + warmup && performance.now() - drainStart < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
      answered = await delivered();
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    clearInterval(sampler);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const f = (x: number) => x.toFixed(2);
    opts.log(
      `ack latency, signed /oncall at ${rate} req/s for ${seconds} s (${total} requests, ${errors} errors, sent in ${elapsed.toFixed(1)} s):`,
    );
    opts.log(
      `  p50 ${f(percentile(latencies, 50))} ms   p99 ${f(percentile(latencies, 99))} ms   max ${f(latencies[latencies.length - 1] ?? NaN)} ms`,
    );
    const serverSide = await (await fetch(`${toban.baseUrl}/metrics`)).text();
    const bucket = (le: string) =>
      Number(new RegExp(`toban_ack_seconds_bucket\\{le="${le}"\\} (\\d+)`).exec(serverSide)?.[1] ?? NaN);
    const count = Number(/toban_ack_seconds_count (\d+)/.exec(serverSide)?.[1] ?? NaN);
    opts.log(
      `  server side (request arrival to response sent): ${((bucket('0.005') / count) * 100).toFixed(2)}% within 5 ms, ${((bucket('0.01') / count) * 100).toFixed(2)}% within 10 ms, of ${count}`,
    );
    opts.log(
      `  toban RSS: after start ${startedRss.toFixed(0)} MB, idle ${idleRss.toFixed(0)} MB, peak under load ${peakRss.toFixed(0)} MB; ${answered - warmup} of ${total} answers delivered to response_url, the last ${drainSeconds.toFixed(1)} s after the last request`,
    );
  } finally {
    await toban.kill('SIGTERM');
    fake.stdin.end();
    await pool.end();
    await db.stop();
  }
}

// Slash-command acknowledgement latency of the real `toban` process in Slack HTTP mode, beside a bare
// Bolt 5.1 app that only acks (bench/bare-bolt-app.ts), in the same run.
//
// Load: signed /oncall requests, open loop (each at its scheduled instant, whether or not earlier ones
// were answered, so a stall shows up as latency instead of hiding it), `rate` per second to each of
// the two, interleaved: the bare app's request i leaves half a period after toban's, so whatever else
// loads the machine falls on both alike. Every request carries its own response_url, as Slack sends
// them. Latency = response received − scheduled send.
//
// toban runs as production does: compiled (dist/, built first if stale), with the Node options of
// bin/toban.js's #! line, migrations with DATABASE_OWNER_URL (the owner), the bot as DATABASE_URL, a
// login role in toban_app. Both are warmed up with the same load for 5 s first. toban's RSS is read
// from /proc; the time its answers reach their response_urls is taken from the fake Slack; CPU time
// per command (toban, the PostgreSQL backends serving it, the bare app) from /proc.
//
// Environment: BENCH_ACK_RATE (default 200 per second, each), BENCH_ACK_SECONDS (15),
// BENCH_DATABASE_URL (a running PostgreSQL's superuser URL; default an embedded one),
// BENCH_TOBAN_NODE_ARGS (extra Node options for toban, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
// BENCH_ACK_METRICS=1 (also print toban's GC and outbox metrics).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { benchBot } from './bot-role.ts';
import { signSlackRequest } from '../test/helpers/slack-sign.ts';
import { freePort, spawnToban, tempDataDir } from '../test/helpers/toban-process.ts';
import { build, percentile } from './common.ts';

const SECRET = 'bench-secret';
const WARMUP_SECONDS = 5;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in ms (all its threads). */
function cpuMs(pid: number, only?: 'system'): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((only ? 0 : Number(fields[11])) + Number(fields[12])) * 10;
  } catch {
    return 0; // gone
  }
}

/** The server processes of toban's own connections (application_name toban…) to `database`. */
async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'toban%'`,
      [database],
    );
    return rows.map((r) => r.pid);
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const epochNow = () => performance.timeOrigin + performance.now();

/** A fresh database: migrated by its owner (the server's superuser), used by a bot login role in toban_app. */
async function benchDatabase(): Promise<{
  ownerUrl: string;
  botUrl: string;
  name: string;
  stop: () => Promise<void>;
}> {
  const base = process.env.BENCH_DATABASE_URL;
  const server = base ? undefined : await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? server?.url ?? '';
  const name = `toban_bench_ack_${process.pid}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const ownerUrl = new URL(admin);
  ownerUrl.pathname = `/${name}`;
  const bot = await benchBot(admin, ownerUrl.toString());
  return {
    ownerUrl: ownerUrl.toString(),
    botUrl: bot.url,
    name,
    async stop() {
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await bot.drop();
      await server?.stop();
    },
  };
}

/** A helper process (tsx) that prints one line when ready; the line is returned. */
async function helper(
  file: string,
  env: Record<string, string> = {},
): Promise<{
  proc: ChildProcessByStdio<Writable, Readable, null>;
  first: string;
  lines: readline.Interface;
}> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve(file)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = readline.createInterface({ input: proc.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  return { proc, first, lines };
}

interface Target {
  port: number;
  agent: http.Agent;
}

function send(target: Target, responseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams({
      token: 'verification-token-unused',
      team_id: 'T0TEAM',
      team_domain: 'bench',
      channel_id: 'C0ALERTS',
      channel_name: 'alerts',
      user_id: 'U0BBB',
      user_name: 'bench',
      command: '/oncall',
      text: '',
      api_app_id: 'A0BENCH',
      response_url: responseUrl,
      trigger_id: crypto.randomBytes(8).toString('hex'),
    }).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000)),
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: '/slack/events',
        method: 'POST',
        agent: target.agent,
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(res.statusCode) : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `rate` signed /oncall per second to each target for `seconds`, open loop: toban's request i at
 * i·period, the bare app's half a period later. Resolves when every request has been answered.
 * toban's requests carry response_url `<prefix>-i`, the bare app's `bare<prefix>-i`.
 */
async function openLoop(
  toban: Target,
  bare: Target,
  responseUrl: (name: string) => string,
  prefix: string,
  rate: number,
  seconds: number,
) {
  const total = rate * seconds;
  const period = 1000 / rate;
  const tobanLatencies: number[] = [];
  const bareLatencies: number[] = [];
  let tobanErrors = 0;
  let bareErrors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  const fire = (target: Target, name: string, due: number, into: number[], failed: () => void) =>
    inflight.push(
      send(target, responseUrl(name)).then(
        () => void into.push(performance.now() - due),
        () => failed(),
      ),
    );
  for (let j = 0; j < 2 * total; j++) {
    const i = j >> 1;
    const due = start + i * period + (j & 1 ? period / 2 : 0);
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (j & 1) fire(bare, `bare${prefix}-${i}`, due, bareLatencies, () => bareErrors++);
    else fire(toban, `${prefix}-${i}`, due, tobanLatencies, () => tobanErrors++);
  }
  await Promise.all(inflight);
  return {
    total,
    start,
    elapsed: (performance.now() - start) / 1000,
    tobanLatencies,
    bareLatencies,
    tobanErrors,
    bareErrors,
  };
}

/** Counts of toban_ack_seconds by bucket (le, in seconds) and in all. */
async function ackHistogram(baseUrl: string): Promise<{ buckets: Map<string, number>; count: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets = new Map<string, number>();
  for (const m of text.matchAll(/toban_ack_seconds_bucket\{le="([^"]+)"\} (\d+)/g))
    buckets.set(m[1]!, Number(m[2]));
  return { buckets, count: Number(/toban_ack_seconds_count (\d+)/.exec(text)?.[1] ?? NaN) };
}

function summary(latencies: number[]): { p50: number; p99: number; max: number } {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export async function benchAck(opts: {
  log: (line: string) => void;
  rate?: number;
  seconds?: number;
}): Promise<void> {
  const rate = opts.rate ?? Number(process.env.BENCH_ACK_RATE ?? 200);
  const seconds = opts.seconds ?? Number(process.env.BENCH_ACK_SECONDS ?? 15);
  build();
  const db = await benchDatabase();
  const fake = await helper('bench/fake-slack-server.ts');
  const slackUrl = fake.first.trim();
  const responseUrl = (name: string) => slackUrl.replace(/\/api\/$/, `/respond/${name}`);
  const answers = async (prefix: string) => {
    const line = new Promise<string>((r) => fake.lines.once('line', r));
    fake.proc.stdin.write(`stats ${prefix}\n`);
    return JSON.parse(await line) as { answers: number; distinct: number; lastAt: number };
  };
  const barePort = await freePort();
  const bare = await helper('bench/bare-bolt-app.ts', {
    PORT: String(barePort),
    SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackUrl,
  });
  const toban = await spawnToban(
    [],
    {
      DATABASE_OWNER_URL: db.ownerUrl,
      DATABASE_URL: db.botUrl,
      TOBAN_DATA_DIR: tempDataDir(),
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackUrl,
      ALERT_WEBHOOK_TOKEN: 'bench',
      LOG_LEVEL: 'warn',
    },
    { nodeArgs: process.env.BENCH_TOBAN_NODE_ARGS?.split(/\s+/).filter(Boolean) },
  );
  const agentOptions = { keepAlive: true, maxSockets: 128 };
  const tobanTarget: Target = { port: toban.port, agent: new http.Agent(agentOptions) };
  const bareTarget: Target = { port: barePort, agent: new http.Agent(agentOptions) };
  try {
    await toban.waitHealthy();
    const pid = toban.proc.pid ?? 0;
    await sleep(2000);
    const startedRss = rssMb(pid);
    // Warm up both with the same load for a few seconds (JIT, pool connections), wait for toban's
    // answers, let it settle, read idle RSS.
    const warm = await openLoop(tobanTarget, bareTarget, responseUrl, 'warm', rate, WARMUP_SECONDS);
    for (let t = 0; t < 600 && (await answers('warm-')).distinct < warm.total; t++) await sleep(100);
    await sleep(3000);
    const idleRss = rssMb(pid);
    const before = await ackHistogram(toban.baseUrl);
    const loadBefore = os.loadavg()[0]!;
    // CPU used from the load's start until the last answer: toban, the PostgreSQL backends serving
    // it, the bare app. Unlike latency, hardly moved by what else runs on the machine.
    const bePids = await backendPids(db.ownerUrl, db.name);
    const cpuOf = () => ({
      toban: cpuMs(pid),
      tobanSystem: cpuMs(pid, 'system'),
      backends: bePids.reduce((sum, p) => sum + cpuMs(p), 0),
      bare: cpuMs(bare.proc.pid ?? 0),
    });
    const cpuBefore = cpuOf();

    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 50);
    const load = await openLoop(tobanTarget, bareTarget, responseUrl, 'bench', rate, seconds);
    const { total, start, elapsed, tobanLatencies, bareLatencies, tobanErrors, bareErrors } = load;
    const period = 1000 / rate;
    const loadEnd = performance.timeOrigin + start + (total - 1) * period;

    // Every acknowledged command is answered at its response_url: wait for the last (60 s at most).
    let got = await answers('bench-');
    const waitUntil = epochNow() + 60_000;
    while (got.distinct < total && epochNow() < waitUntil) {
      await sleep(100);
      got = await answers('bench-');
    }
    clearInterval(sampler);
    const cpuAfter = cpuOf();
    const newBackends = (await backendPids(db.ownerUrl, db.name)).filter((p) => !bePids.includes(p));
    const loadAfter = os.loadavg()[0]!;
    const after = await ackHistogram(toban.baseUrl);
    if (process.env.BENCH_ACK_METRICS) {
      const text = await (await fetch(`${toban.baseUrl}/metrics`)).text();
      const wanted =
        /^toban_(nodejs_gc_duration_seconds_sum|nodejs_heap_size_used_bytes|outbox_|slack_requests_total)/;
      for (const line of text.split('\n')) if (wanted.test(line)) opts.log(`  metric ${line}`);
    }
    const t = summary(tobanLatencies);
    const b = summary(bareLatencies);
    const f = (x: number) => x.toFixed(2);
    opts.log(
      `signed /oncall, open loop, ${rate} req/s to each of toban and a bare Bolt 5.1 app (interleaved) for ${seconds} s; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    );
    opts.log(
      `  toban:    p50 ${f(t.p50)} ms   p99 ${f(t.p99)} ms   max ${f(t.max)} ms   (${total} requests, ${tobanErrors} errors, sent in ${elapsed.toFixed(1)} s)`,
    );
    opts.log(
      `  bare app: p50 ${f(b.p50)} ms   p99 ${f(b.p99)} ms   max ${f(b.max)} ms   (${total} requests, ${bareErrors} errors)`,
    );
    opts.log(`  p99 ratio toban / bare: ${(t.p99 / b.p99).toFixed(2)}×`);
    const n = after.count - before.count;
    const within = (le: string) =>
      (((after.buckets.get(le) ?? NaN) - (before.buckets.get(le) ?? NaN)) / n) * 100;
    opts.log(
      `  toban server side (request arrival to response sent): ${within('0.002').toFixed(2)}% within 2 ms, ${within('0.005').toFixed(2)}% within 5 ms, ${within('0.01').toFixed(2)}% within 10 ms, of ${n}`,
    );
    opts.log(
      `  toban RSS: after start ${startedRss.toFixed(0)} MB, idle after warm-up ${idleRss.toFixed(0)} MB, peak under load ${peakRss.toFixed(0)} MB`,
    );
    const per = (k: keyof typeof cpuAfter) => ((cpuAfter[k] - cpuBefore[k]) / total).toFixed(2);
    opts.log(
      `  CPU per command: toban ${per('toban')} ms (${per('tobanSystem')} in the kernel) + its PostgreSQL backends ${per('backends')} ms${newBackends.length ? ` (and ${newBackends.length} connections opened meanwhile, not counted)` : ''}; bare app ${per('bare')} ms`,
    );
    const lag = got.lastAt ? ((got.lastAt - loadEnd) / 1000).toFixed(2) : 'n/a';
    opts.log(
      `  toban answers: ${got.distinct} of ${total} commands answered at their response_url (${got.answers - got.distinct} twice); the last ${lag} s after the load's last request`,
    );
  } finally {
    tobanTarget.agent.destroy();
    bareTarget.agent.destroy();
    await toban.kill('SIGTERM');
    bare.proc.stdin.end();
    fake.proc.stdin.end();
    await db.stop();
  }
}

// `npm run bench -- storm`: an alert storm against the real `toban` process (HTTP mode, built dist/)
// and a fake Slack Web API that refuses like Slack does (bench/slack-limits.ts: 1 post per second
// per channel with a short burst, Tier 3 chat.update at 50 per minute per workspace, 429 with
// Retry-After). Issue 9, "What it must show": 10,000 Alertmanager alerts over 500 groups, sent
// evenly over 60 s (webhooks of 20 alerts, one group each; even groups carry service=billing, which
// the built-in routes send to C0FINANCE, the others go to C0ALERTS), then wait (at most 5 minutes)
// until every group is visible in Slack: its own message posted, or its id listed in a storm
// summary as Slack received it (post or update). Figures, never pass/fail:
// alerts sent/accepted, webhook answers not 202, Slack writes per channel per minute (max and mean
// over the minutes from the first webhook to the last write, by method), 429s, the time from the
// first webhook until every group was visible.
//
// Settings: BENCH_DATABASE_URL (a PostgreSQL server's superuser URL; else an embedded one),
// BENCH_STORM_ALERTS (10000), BENCH_STORM_GROUPS (500), BENCH_STORM_PER_WEBHOOK (20),
// BENCH_STORM_SECONDS (60), BENCH_STORM_WAIT_SECONDS (300), BENCH_STORM_CHANNELS (2: the built-in
// routes; another number routes the groups round-robin to that many channels C0STORM0…),
// BENCH_STORM_REPLICAS (1; 2 runs two toban processes on the one database, the webhooks sent to
// each in turn, as two replicas behind a load balancer: Slack's pace must hold between them).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { DEMO_CONFIG_YAML } from '../src/demo/config.ts';
import { spawnToban, tempDataDir } from '../test/helpers/toban-process.ts';
import { benchBot } from './bot-role.ts';
import { build } from './common.ts';
import { POST_BURST, startLimitedSlack, type LimitedCall } from './slack-limits.ts';

type Log = (line: string) => void;
const TOKEN = 'bench-storm';
const SEVERITIES = ['critical', 'warning', 'info'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Webhook `i`: `n` new firing alerts of group `g`, as Alertmanager sends a group's notification. */
function webhook(i: number, g: number, n: number, channels: number): string {
  const labels = {
    alertname: `Storm${g}`,
    service: g % 2 === 0 ? 'billing' : `svc${g % 7}`,
    severity: SEVERITIES[g % 3]!,
    storm_channel: String(g % channels),
  };
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="Storm${g}"}`,
    status: 'firing',
    receiver: 'toban',
    groupLabels: { alertname: `Storm${g}` },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://am:9093',
    truncatedAlerts: 0,
    alerts: Array.from({ length: n }, (_, j) => ({
      status: 'firing',
      labels: { ...labels, instance: `host-${i}-${j}` },
      annotations: { summary: `storm ${g}` },
      startsAt: '2026-11-30T13:30:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prom:9090/graph',
      fingerprint: `fp-${i}-${j}`,
    })),
  });
}

/**
 * The built-in configuration with its routes replaced: label storm_channel="k" goes to C0STORMk,
 * k < `channels` (each with the built-in escalation policy).
 */
function stormConfig(channels: number): string {
  const routes = Array.from(
    { length: channels },
    (_, k) => `  - { match: { storm_channel: "${k}" }, channel: C0STORM${k}, policy: default }`,
  );
  const [head, tail] = DEMO_CONFIG_YAML.split(/^routes:\n(?: {2}- .*\n)+/m);
  if (tail === undefined) throw new Error('bench: the built-in configuration has no routes to replace');
  return `${head}routes:\n${routes.join('\n')}\n${tail}`;
}

/** The group ids a storm summary lists (views/alert-storm.ts: ranges after "/alerts show <id>"). */
export function summaryIds(blocks: unknown): Set<number> {
  const texts: string[] = [];
  for (const b of Array.isArray(blocks) ? (blocks as { type?: string; text?: { text?: string } }[]) : [])
    if (b.type === 'section' && typeof b.text?.text === 'string') texts.push(b.text.text);
  // Long lists are split over several sections, possibly inside a number: join them back as sent.
  const all = texts.join('');
  const marker = all.indexOf('/alerts show <id>');
  const ids = new Set<number>();
  if (marker < 0) return ids;
  const rest = all.slice(all.indexOf(':', marker + '/alerts show <id>`'.length) + 1);
  for (const m of rest.matchAll(/(\d+)(?:–(\d+))?/g)) {
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    for (let k = from; k <= to; k++) ids.add(k);
  }
  return ids;
}

interface Visibility {
  /** Group id → Date.now() when Slack first showed it (own post or a summary listing it). */
  seen: Map<number, number>;
  /** Groups stored. */
  groups: number;
  /** Groups shown by a message of their own. */
  ownPosts: number;
}

/**
 * Which groups Slack shows, from the calls Slack accepted: a group's own post (its outbox row's ref
 * alert-group:<id>, read from the post's metadata) or a storm summary's post or update listing it.
 */
async function visibility(db: pg.Pool, calls: readonly LimitedCall[]): Promise<Visibility> {
  const groups = await db.query<{ id: string }>('SELECT id::text FROM alert_groups');
  const refs = new Map(
    (
      await db.query<{ id: string; ref: string }>(
        `SELECT id::text, payload->>'ref' AS ref FROM outbox
         WHERE kind = 'slack.post' AND payload->>'ref' IS NOT NULL`,
      )
    ).rows.map((r) => [r.id, r.ref]),
  );
  const summaries = new Set<string>(); // channel + ts of every storm summary Slack holds
  const seen = new Map<number, number>();
  const own = new Set<number>();
  const see = (id: number, at: number) => {
    if (!seen.has(id)) seen.set(id, at);
  };
  for (const c of calls) {
    if (c.status !== 200 || c.answer?.ok !== true || !c.body) continue;
    if (c.method === 'chat.postMessage') {
      const meta = c.body.metadata as { event_payload?: { outbox_id?: string | number } } | undefined;
      const ref = refs.get(String(meta?.event_payload?.outbox_id ?? ''));
      const group = ref && /^alert-group:(\d+)$/.exec(ref)?.[1];
      if (group) {
        own.add(Number(group));
        see(Number(group), c.at);
      }
      if (ref?.startsWith('alert-storm:')) {
        summaries.add(`${c.channel} ${String(c.answer.ts)}`);
        for (const id of summaryIds(c.body.blocks)) see(id, c.at);
      }
    } else if (c.method === 'chat.update' && summaries.has(`${c.channel} ${String(c.body.ts)}`)) {
      for (const id of summaryIds(c.body.blocks)) see(id, c.at);
    }
  }
  const known = new Set(groups.rows.map((r) => Number(r.id)));
  for (const id of seen.keys()) if (!known.has(id)) seen.delete(id);
  return { seen, groups: known.size, ownPosts: own.size };
}

/** Per method and channel: accepted calls per minute since `from`, over `minutes` minutes. */
function perMinute(calls: readonly LimitedCall[], from: number, minutes: number) {
  const out = new Map<string, number[]>();
  for (const c of calls) {
    if (c.status === 429 || c.at < from) continue;
    const key = `${c.method} ${c.channel ?? '(workspace)'}`;
    const counts = out.get(key) ?? new Array<number>(minutes).fill(0);
    const m = Math.min(minutes - 1, Math.floor((c.at - from) / 60_000));
    counts[m]! += 1;
    out.set(key, counts);
  }
  return out;
}

/** Most accepted calls of `method` (any channel) in any 60 s window: Slack's tiers count so. */
function maxInWindow(calls: readonly LimitedCall[], method: string): number {
  const at = calls.filter((c) => c.method === method && c.status !== 429).map((c) => c.at);
  let best = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export async function benchStorm({ log }: { log: Log }): Promise<void> {
  const alerts = Number(process.env.BENCH_STORM_ALERTS ?? 10_000);
  const groups = Number(process.env.BENCH_STORM_GROUPS ?? 500);
  const perWebhook = Number(process.env.BENCH_STORM_PER_WEBHOOK ?? 20);
  const seconds = Number(process.env.BENCH_STORM_SECONDS ?? 60);
  const waitSeconds = Number(process.env.BENCH_STORM_WAIT_SECONDS ?? 300);
  const channels = Number(process.env.BENCH_STORM_CHANNELS ?? 2);
  const replicas = Math.max(1, Number(process.env.BENCH_STORM_REPLICAS ?? 1));
  const webhooks = Math.ceil(alerts / perWebhook);

  build();
  const base = process.env.BENCH_DATABASE_URL;
  const embedded = base
    ? undefined
    : await startEmbeddedPostgres({ dataDir: path.resolve('.toban/bench-pg') });
  const admin = base ?? embedded!.url;
  const name = `toban_bench_storm_${process.pid}`;
  const adminRun = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await adminRun(`CREATE DATABASE ${name}`);
  const owner = new URL(admin);
  owner.pathname = `/${name}`;
  const bot = await benchBot(admin, owner.toString());
  const db = new pg.Pool({ connectionString: owner.toString(), max: 2 });
  const slack = await startLimitedSlack();
  const configDir = tempDataDir();
  const configPath = channels === 2 ? undefined : path.join(configDir, 'bench-toban.yml');
  if (configPath) fs.writeFileSync(configPath, stormConfig(channels));
  const tobans = [];
  for (let r = 0; r < replicas; r++)
    tobans.push(
      await spawnToban([], {
        DATABASE_OWNER_URL: owner.toString(),
        DATABASE_URL: bot.url,
        TOBAN_DATA_DIR: tempDataDir(),
        ...(configPath ? { TOBAN_CONFIG: configPath } : {}),
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: 'bench-secret',
        SLACK_API_URL: slack.url,
        ALERT_WEBHOOK_TOKEN: TOKEN,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      }),
    );
  try {
    for (const toban of tobans) await toban.waitHealthy(60_000);
    log(
      `PostgreSQL: ${base ? 'BENCH_DATABASE_URL' : 'embedded'}; ${replicas} toban process(es); ` +
        `${alerts} alerts over ${groups} groups in ${channels} channels, ` +
        `${webhooks} Alertmanager webhooks of ${perWebhook} alerts, evenly over ${seconds} s; ` +
        `fake Slack: chat.postMessage 1/s per channel (burst ${POST_BURST}), ` +
        `Tier 3 (chat.update) 50 per 60 s per workspace`,
    );
    const urls = tobans.map((t) => `${t.baseUrl}/hooks/alerts/alertmanager`);
    const statuses = new Map<number, number>();
    let accepted = 0;
    let sent = 0;
    const send = async (i: number) => {
      const n = Math.min(perWebhook, alerts - i * perWebhook);
      const body = webhook(i, i % groups, n, channels);
      // Alertmanager sends a webhook not answered 2xx again; the first answer is the one counted.
      for (let attempt = 0; attempt < 5; attempt++) {
        let status = 0;
        try {
          // Each attempt to the next replica, as a load balancer would.
          const res = await fetch(urls[(i + attempt) % urls.length]!, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          status = res.status;
          const answer = (await res.json().catch(() => ({}))) as { accepted?: number };
          if (status === 202) accepted += answer.accepted ?? 0;
        } catch {
          // refused or timed out: status 0
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 202) break;
        await sleep(1000);
      }
    };
    const first = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < webhooks; i++) {
      const due = first + (i * seconds * 1000) / webhooks;
      if (due > Date.now()) await sleep(due - Date.now());
      sent += Math.min(perWebhook, alerts - i * perWebhook);
      pending.push(send(i));
    }
    await Promise.all(pending);
    const lastWebhook = Date.now();

    let vis = await visibility(db, slack.calls);
    const cap = first + waitSeconds * 1000;
    while ((vis.seen.size < vis.groups || vis.groups < groups) && Date.now() < cap) {
      await sleep(1000);
      vis = await visibility(db, slack.calls);
    }
    // Writes after the last group is visible (the summary's "storm over", escalation) still count
    // against Slack's limits: let the storm end (30 s without a new group) and its last update go.
    await sleep(40_000);
    vis = await visibility(db, slack.calls);

    const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
    const other = [...statuses].filter(([s]) => s !== 202 && s < 500).reduce((n, [, k]) => n + k, 0);
    log(
      `alerts sent ${sent}, accepted ${accepted}; webhook answers: ${statuses.get(202) ?? 0} × 202, ` +
        `${fiveXX} × 5xx, ${other} other (refused, 4xx); sending took ${((lastWebhook - first) / 1000).toFixed(1)} s`,
    );
    const calls = slack.calls.filter((c) => c.at >= first);
    const lastWrite = Math.max(first, ...calls.map((c) => c.at));
    const minutes = Math.max(1, Math.ceil((lastWrite - first) / 60_000));
    log(`Slack calls per minute, minutes 1–${minutes} from the first webhook (accepted calls; max / mean):`);
    for (const [key, counts] of [...perMinute(calls, first, minutes)].sort()) {
      const total = counts.reduce((a, b) => a + b, 0);
      log(
        `  ${key.padEnd(36)} max ${String(Math.max(...counts)).padStart(3)}/min, mean ` +
          `${(total / minutes).toFixed(1).padStart(5)}/min (${total} in all)`,
      );
    }
    log(
      `  chat.update, whole workspace: at most ${maxInWindow(calls, 'chat.update')} in any 60 s ` +
        `(Tier 3: 50); chat.postMessage: ${maxInWindow(calls, 'chat.postMessage')}`,
    );
    const refused = calls.filter((c) => c.status === 429);
    const byMethod = new Map<string, number>();
    for (const c of refused) {
      const key = `${c.method} ${c.channel ?? ''}`.trim();
      byMethod.set(key, (byMethod.get(key) ?? 0) + 1);
    }
    log(
      `429s answered by the fake Slack: ${refused.length}` +
        (refused.length ? ` (${[...byMethod].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''),
    );
    const times = [...vis.seen.values()];
    if (vis.seen.size >= vis.groups && vis.groups >= groups)
      log(
        `every group visible (${vis.groups} groups: ${vis.ownPosts} own posts, the rest in storm ` +
          `summaries) ${((Math.max(...times) - first) / 1000).toFixed(1)} s after the first webhook`,
      );
    else
      log(
        `NOT every group visible after ${waitSeconds} s: ${vis.seen.size} of ${vis.groups} groups stored` +
          ` (${groups} sent)`,
      );
  } finally {
    for (const toban of tobans) await toban.kill('SIGTERM');
    await db.end();
    await slack.close();
    await adminRun(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await bot.drop();
    await embedded?.stop();
  }
}

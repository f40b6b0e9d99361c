// Shared set-up of the outbox suites: a worker with the Slack deliverer and a real WebClient
// talking to the fake Slack Web API, a movable scheduling clock, and row read-outs.
import { createLogger } from '../../src/core/log.ts';
import { createMetrics, type Metrics } from '../../src/core/metrics.ts';
import { ChannelLimiter } from '../../src/integrations/slack/channel-limiter.ts';
import { createSlackClient } from '../../src/integrations/slack/client.ts';
import type { Transport } from '../../src/outbox/deliverer.ts';
import { enqueue as enqueueFor } from '../../src/outbox/enqueue.ts';
import type { OutboxItem } from '../../src/outbox/kinds/index.ts';
import type { Queryable } from '../../src/db/pool.ts';
import { createSlackDeliverer } from '../../src/outbox/slack-deliverer.ts';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/outbox/worker.ts';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { LogCapture } from './context.ts';
import { freshDatabase, type TestDatabase } from './db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from './fake-slack.ts';

/**
 * The worker's scheduling clock, moved by hand. It starts a second ahead of the database's clock
 * (rows are stamped with the database's now(), and must be due at once) and moves only when told.
 */
export class TestClock {
  private t = Date.now() + 1_000;
  now = (): Date => new Date(this.t);
  ms = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface SlackWorkerOptions extends Partial<OutboxWorkerOptions> {
  limiter?: ChannelLimiter;
  /** The workspace-wide chat.update pace; by default as loose as `limiter`'s, so suites do not wait. */
  updateLimiter?: ChannelLimiter;
  summaryUpdateLimiter?: ChannelLimiter;
  /**
   * Slack's own paces kept in the database, shared by every worker of the suite (production's
   * default), instead of the loose in-memory ones; the limiters above are then ignored.
   */
  sharedPace?: boolean;
  /** The WebClient's (and response_url's) per-request timeout. */
  clientTimeoutMs?: number;
  token?: string;
}

export interface SlackWorker {
  worker: OutboxWorker;
  logs: LogCapture;
  metrics: Metrics;
}

export async function startSlackWorker(
  db: TestDatabase,
  slack: FakeSlack,
  opts: SlackWorkerOptions = {},
): Promise<SlackWorker> {
  const { limiter, updateLimiter, summaryUpdateLimiter, sharedPace, clientTimeoutMs, token, ...rest } = opts;
  const loose = () => new ChannelLimiter({ perSecond: 1000, burst: 10 });
  const logs = new LogCapture();
  const log = createLogger('debug', logs);
  const metrics = createMetrics();
  const timeoutMs = clientTimeoutMs ?? 5_000;
  const client = createSlackClient({
    token: token ?? 'xoxb-test-token',
    apiUrl: slack.url,
    timeoutMs,
    logger: log,
  });
  const worker = await startOutboxWorker({
    pool: db.pool,
    listenUrl: db.url,
    deliverer: createSlackDeliverer({
      client,
      pool: db.pool,
      ...(sharedPace
        ? {}
        : {
            limiter: limiter ?? loose(),
            updateLimiter: updateLimiter ?? loose(),
            summaryUpdateLimiter: summaryUpdateLimiter ?? loose(),
          }),
      log,
      callTimeoutMs: timeoutMs,
      now: rest.now,
    }),
    log,
    metrics,
    pollMs: 100,
    retryBaseMs: 20,
    leaseMarginMs: 100,
    ...rest,
  });
  return { worker, logs, metrics };
}

export interface RowView {
  state: string;
  attempts: number;
  last_error: string | null;
  result: Record<string, unknown> | null;
}

export async function row(db: TestDatabase, id: string): Promise<RowView> {
  const { rows } = await db.pool.query<RowView>(
    `SELECT state, attempts, last_error, result FROM outbox WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`no outbox row ${id}`);
  return rows[0];
}

/** Polls the row until it reaches `state` (a condition, not a duration: the timeout only bounds a hang). */
export async function until(db: TestDatabase, id: string, state: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await row(db, id)).state !== state) {
    if (Date.now() > deadline)
      throw new Error(`row ${id} did not become ${state}: ${JSON.stringify(await row(db, id))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls until `condition` holds (a condition, not a duration: the timeout only bounds a hang). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function counterValue(
  metrics: Metrics,
  name: keyof Metrics,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics[name] as unknown as {
    get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }>;
  };
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((s, v) => s + v.value, 0);
}

/** The outbox ids carried by messages in the fake Slack (posts carry their row id as metadata). */
export function postsPerRow(slack: FakeSlack): Map<string, number> {
  const per = new Map<string, number>();
  for (const m of slack.messages) {
    const id = (m.metadata as { event_payload?: { outbox_id?: unknown } } | undefined)?.event_payload
      ?.outbox_id;
    if (id === undefined) continue;
    per.set(String(id), (per.get(String(id)) ?? 0) + 1);
  }
  return per;
}

/** Writes a row as a toban in Slack mode would (or for `transport`): the suites' shorthand for enqueue(). */
export function enqueue(
  db: Queryable,
  item: OutboxItem,
  transport: Transport = 'slack',
): Promise<string | undefined> {
  return enqueueFor(db, item, transport);
}

/** One outbox suite's fixtures: its database, the fake Slack of the running test, its workers. */
export interface OutboxSuite {
  readonly db: TestDatabase;
  readonly slack: FakeSlack;
  /** Workers started here are stopped after each test. */
  readonly workers: OutboxWorker[];
  /** Starts a Slack worker on the suite's database and fake Slack, stopped after the test. */
  start(opts?: SlackWorkerOptions): Promise<SlackWorker>;
}

/**
 * Registers the hooks every outbox suite shares (call at the top of a test file): a fresh database
 * for the file, loopback-only network, and for each test empty outbox tables, a new fake Slack, and
 * its workers stopped after it.
 */
export function outboxSuite(): OutboxSuite {
  let db: TestDatabase | undefined;
  let slack: FakeSlack | undefined;
  const workers: OutboxWorker[] = [];
  let restoreNetwork: () => void = () => {};
  beforeAll(async () => {
    restoreNetwork = onlyLocalNetwork();
    db = await freshDatabase();
  });
  afterAll(async () => {
    restoreNetwork();
    await db?.drop();
  });
  beforeEach(async () => {
    await db!.ownerPool.query(
      'TRUNCATE outbox, slack_messages, slack_rate_pauses, slack_paces, slack_pace_slots',
    );
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await slack?.close();
  });
  return {
    get db() {
      if (!db) throw new Error('outboxSuite: the database is made in beforeAll');
      return db;
    },
    get slack() {
      if (!slack) throw new Error('outboxSuite: the fake Slack is made in beforeEach');
      return slack;
    },
    workers,
    async start(opts = {}) {
      const started = await startSlackWorker(this.db, this.slack, opts);
      workers.push(started.worker);
      return started;
    },
  };
}

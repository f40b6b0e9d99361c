// Silences through the outbox against a fake Alertmanager (test/helpers/fake-alertmanager.ts), and
// local mutes without ALERTMANAGER_URL. What it holds: a create whose outcome was unknown (the fake
// stored the silence but answered after the client gave up) makes one silence, not two; a 500 is
// retried, a 400 is not; an expire answered 404 is done; unsilencing before the create was delivered
// still expires the right silence; the same request key makes one silence; a local mute mutes the
// alerts it matches until it ends or is unsilenced, and writes nothing to the outbox.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import { UserError } from '../../src/core/errors.ts';
import { parseMatcher, type Matcher } from '../../src/domain/silence.ts';
import { createAlertmanagerClient } from '../../src/integrations/alertmanager/client.ts';
import { withAlertmanager } from '../../src/outbox/alertmanager-deliverer.ts';
import { PermanentError, type Deliverer } from '../../src/outbox/deliverer.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { isMutedNow, silence, unsilence } from '../../src/services/alerts/silences.ts';
import { demoConfig, LogCapture, testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeAlertmanager, type FakeAlertmanager } from '../helpers/fake-alertmanager.ts';
import { row, until } from '../helpers/outbox.ts';

const HOUR = 3_600_000;
/** The Alertmanager client's per-request timeout here; the fake's late answer comes well after it. */
const TIMEOUT_MS = 300;

let db: TestDatabase;
let am: FakeAlertmanager;
const workers: OutboxWorker[] = [];

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages, alert_silences RESTART IDENTITY CASCADE');
  am = await startFakeAlertmanager({ hangMs: TIMEOUT_MS * 5 });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await am.close();
});

/** Nothing but Alertmanager kinds is written here; anything else reaching Slack is a mistake. */
const notSlack: Deliverer = {
  transport: 'slack',
  deadlineMs: 1_000,
  async deliver(r) {
    throw new PermanentError(`not an Alertmanager kind: ${r.kind}`);
  },
};

async function startWorker(): Promise<OutboxWorker> {
  const worker = await startOutboxWorker({
    pool: db.pool,
    listenUrl: db.url,
    deliverer: withAlertmanager(notSlack, {
      client: createAlertmanagerClient(am.url, { timeoutMs: TIMEOUT_MS }),
      callTimeoutMs: TIMEOUT_MS,
    }),
    log: createLogger('debug', new LogCapture()),
    metrics: createMetrics(),
    pollMs: 50,
    retryBaseMs: 20,
    retryMaxMs: 100,
    settleMs: 50,
    leaseMs: 3_000,
    leaseMarginMs: 100,
  });
  workers.push(worker);
  return worker;
}

const m = (word: string): Matcher => parseMatcher(word) as Matcher;

function createItem(silenceId: string) {
  const now = Date.now();
  return {
    kind: 'alertmanager.silence-create' as const,
    payload: {
      silenceId,
      matchers: [m('service=billing'), m('env!=prod')],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + HOUR).toISOString(),
      createdBy: 'U0AAA',
      comment: 'deploy',
    },
    orderingKey: `alert-silence:${silenceId}`,
  };
}

function amContext(clock = new ManualClock(new Date())) {
  return testContext(db.pool, { config: demoConfig({ ALERTMANAGER_URL: am.url }), clock });
}

describe('alertmanager.silence-create', () => {
  it('creates the silence with its matchers and the marker toban:<id> in the comment', async () => {
    await startWorker();
    const id = (await enqueue(db.pool, createItem('7'), 'slack'))!;
    await until(db, id, 'delivered');
    expect(am.silences).toHaveLength(1);
    expect(am.silences[0]).toMatchObject({
      createdBy: 'U0AAA',
      comment: 'deploy [toban:7]',
      matchers: [
        { name: 'service', value: 'billing', isRegex: false, isEqual: true },
        { name: 'env', value: 'prod', isRegex: false, isEqual: false },
      ],
    });
    expect((await row(db, id)).result).toEqual({ alertmanagerId: am.silences[0]!.id });
  });

  it('creates it once when the first answer never came (Alertmanager had stored it): the retry finds it by its marker', async () => {
    am.postFaults.push('store-then-hang');
    await startWorker();
    const id = (await enqueue(db.pool, createItem('8'), 'slack'))!;
    await until(db, id, 'delivered');
    const r = await row(db, id);
    expect(r.attempts).toBe(2);
    expect(r.result).toEqual({ alertmanagerId: am.silences[0]!.id, found: true });
    expect(am.silences).toHaveLength(1);
    expect(am.requests.filter((q) => q === 'POST /api/v2/silences')).toHaveLength(1);
  });

  it('retries after a 500 and then creates it', async () => {
    am.postFaults.push('500');
    await startWorker();
    const id = (await enqueue(db.pool, createItem('9'), 'slack'))!;
    await until(db, id, 'delivered');
    expect((await row(db, id)).attempts).toBe(2);
    expect(am.silences).toHaveLength(1);
    expect(am.requests).toEqual(['POST /api/v2/silences', 'GET /api/v2/silences', 'POST /api/v2/silences']);
  });

  it('gives up at once on a 400 (Alertmanager refuses the silence itself)', async () => {
    am.postFaults.push('400');
    await startWorker();
    const id = (await enqueue(db.pool, createItem('10'), 'slack'))!;
    await until(db, id, 'dead');
    const r = await row(db, id);
    expect(r.attempts).toBe(1);
    expect(r.last_error).toMatch(/400.*invalid silence/);
    expect(am.silences).toHaveLength(0);
  });
});

describe('alertmanager.silence-expire', () => {
  it('counts a 404 (Alertmanager does not know the silence) as done', async () => {
    await startWorker();
    const id = (await enqueue(
      db.pool,
      {
        kind: 'alertmanager.silence-expire',
        payload: { silenceId: '11', alertmanagerId: 'gone' },
        orderingKey: 'alert-silence:11',
      },
      'slack',
    ))!;
    await until(db, id, 'delivered');
    const r = await row(db, id);
    expect(r.attempts).toBe(1);
    expect(r.result).toEqual({ expired: { gone: 'not-found' } });
    expect(am.requests).toEqual(['DELETE /api/v2/silence/gone']);
  });
});

describe('the silences service with ALERTMANAGER_URL', () => {
  it('creates the silence in Alertmanager and expires it there on unsilence', async () => {
    const ctx = amContext();
    await startWorker();
    const { silence: s, created } = await silence(ctx, {
      matchers: [m('service=billing')],
      durationMs: 4 * HOUR,
      by: 'U0AAA',
      comment: 'maintenance',
      key: 'action:1',
    });
    expect(created).toBe(true);
    expect(s.backend).toBe('alertmanager');
    await until(db, s.createOutboxId!, 'delivered');
    expect(am.silences).toHaveLength(1);
    expect(am.silences[0]!.comment).toBe(`maintenance [toban:${s.id}]`);
    expect(Date.parse(am.silences[0]!.endsAt) - Date.parse(am.silences[0]!.startsAt)).toBe(4 * HOUR);

    // The same click again makes no second silence.
    const again = await silence(ctx, {
      matchers: [m('service=billing')],
      durationMs: 4 * HOUR,
      by: 'U0AAA',
      key: 'action:1',
    });
    expect(again).toMatchObject({ created: false, silence: { id: s.id } });

    const un = await unsilence(ctx, s.id, 'U0BBB');
    expect(un.changed).toBe(true);
    const expire = await db.pool.query<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id::text, payload FROM outbox WHERE kind = 'alertmanager.silence-expire'`,
    );
    expect(expire.rows[0]!.payload).toEqual({ silenceId: s.id, alertmanagerId: am.silences[0]!.id });
    await until(db, expire.rows[0]!.id, 'delivered');
    expect(am.silences[0]!.status.state).toBe('expired');
    expect((await unsilence(ctx, s.id, 'U0BBB')).changed).toBe(false);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(rows[0].n).toBe(2);
  });

  it('expires the right silence when unsilenced before the create was delivered', async () => {
    const ctx = amContext();
    const { silence: s } = await silence(ctx, { matchers: [m('job=node')], durationMs: HOUR, by: 'U0AAA' });
    await unsilence(ctx, s.id, 'U0AAA');
    // Nothing was delivered yet: the expire row has no Alertmanager id and finds it by its marker.
    await startWorker();
    const { rows } = await db.pool.query<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id::text, payload FROM outbox WHERE kind = 'alertmanager.silence-expire'`,
    );
    expect(rows[0]!.payload).toEqual({ silenceId: s.id });
    await until(db, rows[0]!.id, 'delivered');
    expect(am.silences.map((x) => x.status.state)).toEqual(['expired']);
  });
});

describe('local mutes (no ALERTMANAGER_URL)', () => {
  it('mutes matching alerts until the silence ends, and writes nothing to the outbox', async () => {
    const clock = new ManualClock('2026-11-30T10:00:00Z');
    const ctx = testContext(db.pool, { clock });
    const { silence: s } = await silence(ctx, {
      matchers: [m('service=billing'), m('alertname=~Disk.*')],
      durationMs: 2 * HOUR,
      by: 'U0AAA',
    });
    expect(s.backend).toBe('local');
    expect(await isMutedNow(ctx, { service: 'billing', alertname: 'DiskFull' })).toBe(true);
    expect(await isMutedNow(ctx, { service: 'billing', alertname: 'HighCPU' })).toBe(false);
    expect(await isMutedNow(ctx, { service: 'payments', alertname: 'DiskFull' })).toBe(false);
    clock.advance(2 * HOUR);
    expect(await isMutedNow(ctx, { service: 'billing', alertname: 'DiskFull' })).toBe(false);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(rows[0].n).toBe(0);
  });

  it('stops muting once unsilenced', async () => {
    const ctx = testContext(db.pool, { clock: new ManualClock('2026-11-30T10:00:00Z') });
    const { silence: s } = await silence(ctx, {
      matchers: [m('service=billing')],
      durationMs: HOUR,
      by: 'U0AAA',
    });
    expect(await isMutedNow(ctx, { service: 'billing' })).toBe(true);
    expect((await unsilence(ctx, s.id, 'U0BBB')).changed).toBe(true);
    expect(await isMutedNow(ctx, { service: 'billing' })).toBe(false);
  });

  it('refuses matchers that would mute everything, and an unknown silence', async () => {
    const ctx = testContext(db.pool);
    await expect(
      silence(ctx, { matchers: [m('env!=prod')], durationMs: HOUR, by: 'U0AAA' }),
    ).rejects.toMatchObject({ key: 'silence.matches_everything' });
    await expect(unsilence(ctx, '999', 'U0AAA')).rejects.toBeInstanceOf(UserError);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM alert_silences`);
    expect(rows[0].n).toBe(0);
  });
});

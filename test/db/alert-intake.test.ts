// POST /hooks/alerts/:source against real PostgreSQL (issue 9 items 2 and 3): each source's fixture
// is stored as groups, alerts and one Slack post; a repeat changes nothing; a resolve updates the
// message; out-of-order deliveries end in the newest state; after a resolve the next trigger opens a
// new group; refusals store nothing; and a request costs the same statements for 1 alert or 100.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { ManualClock } from '../../src/app/clock.ts';
import { testContext } from '../helpers/context.ts';
import { fixture, recordingPool, startIntakeServer, type IntakeServer } from '../helpers/alert-intake.ts';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import { STORM_THRESHOLD } from '../../src/domain/alert-storm.ts';
import { serveSnsTestCerts, signSns } from '../helpers/sns.ts';

const TOKEN = 'test-alert-token-0123456789';
let db: TestDatabase;
let server: IntakeServer;
let ctx: ReturnType<typeof testContext>;
const statements: string[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  // After every time the payloads carry: a start after receipt counts as the receipt time.
  ctx = testContext(recordingPool(db.pool, statements), { clock: new ManualClock('2026-12-01T00:00:00Z') });
  server = await startIntakeServer(ctx, TOKEN);
  // The cloudwatch fixtures are signed with the test key, whose certificate SNS's hosts serve here.
  serveSnsTestCerts();
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'DELETE FROM outbox; DELETE FROM alerts; DELETE FROM alert_groups; DELETE FROM alert_payloads; DELETE FROM alert_storms',
  );
  statements.length = 0;
});

async function counts() {
  const { rows } = await db.pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM alert_payloads) AS payloads, (SELECT count(*) FROM alert_groups) AS groups,
            (SELECT count(*) FROM alerts) AS alerts, (SELECT count(*) FROM outbox) AS outbox`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

async function outbox() {
  const { rows } = await db.pool.query<{
    kind: string;
    payload: Record<string, unknown>;
    idempotency_key: string;
  }>('SELECT kind, payload, idempotency_key FROM outbox ORDER BY id');
  return rows;
}

async function groups() {
  const { rows } = await db.pool.query<{
    id: string;
    state: string;
    firing_count: number;
    resolved_count: number;
    version: number;
    channel: string;
  }>('SELECT id::text, state, firing_count, resolved_count, version, channel FROM alert_groups ORDER BY id');
  return rows;
}

/** An Alertmanager v4 webhook of one alert. */
function am(
  status: 'firing' | 'resolved',
  startsAt: string,
  endsAt?: string,
  fingerprint = 'fp1',
  labels = {},
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="LedgerLag"}',
    status,
    receiver: 'toban',
    groupLabels: { alertname: 'LedgerLag' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status,
        labels: { alertname: 'LedgerLag', service: 'ledger', ...labels },
        annotations: { summary: 'ledger lags' },
        startsAt,
        endsAt: endsAt ?? '0001-01-01T00:00:00Z',
        generatorURL: 'http://prom:9090/graph',
        fingerprint,
      },
    ],
  };
}

const FIRING: [string, string][] = [
  ['alertmanager', 'alertmanager-firing.json'],
  ['grafana', 'grafana-firing.json'],
  ['datadog', 'datadog-template-triggered.json'],
  ['cloudwatch', 'cloudwatch-sns-alarm.json'],
  ['sentry', 'sentry-event-alert.json'],
  ['generic', 'generic-batch.json'],
];

describe('POST /hooks/alerts/:source', () => {
  it.each(FIRING)(
    "stores %s's firing fixture (%s): 202, groups, alerts and one post per group, with the buttons",
    async (source, file) => {
      const res = await server.post(source, signSns(fixture(file)));
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBeGreaterThan(0);
      const c = await counts();
      expect(c.payloads).toBe(1);
      expect(c.alerts).toBe(res.body.accepted);
      expect(c.groups).toBeGreaterThan(0);
      const rows = await outbox();
      expect(rows.map((r) => r.kind)).toEqual(Array(c.groups).fill('slack.post'));
      for (const r of rows) {
        expect(r.payload.ref).toMatch(/^alert-group:\d+$/);
        expect(JSON.stringify(r.payload.blocks)).toContain(ALERT_ACTIONS.acknowledge);
      }
      // The same payload again: a receipt, nothing else.
      const again = await server.post(source, signSns(fixture(file)));
      expect(again).toEqual(res);
      expect(await counts()).toEqual({ ...c, payloads: 2 });
    },
  );

  it('routes by toban.yml: service=billing goes to C0FINANCE, the rest to the catch-all', async () => {
    await server.post('alertmanager', fixture('alertmanager-firing.json')); // service: billing
    await server.post('alertmanager', am('firing', '2026-11-20T00:00:00Z'));
    expect((await groups()).map((g) => g.channel)).toEqual(['C0FINANCE', 'C0ALERTS']);
  });

  it('resolves the group with its last alert: one update of the message and one line in its thread', async () => {
    await server.post('alertmanager', fixture('alertmanager-firing.json'));
    const res = await server.post('alertmanager', fixture('alertmanager-resolved.json'));
    expect(res.status).toBe(202);
    const [g] = await groups();
    expect(g).toMatchObject({ state: 'resolved', firing_count: 0, resolved_count: 1 });
    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual(['slack.post', 'slack.update', 'slack.post']);
    expect(rows[1]!.payload.ref).toBe(rows[0]!.payload.ref);
    expect(rows[2]!.payload.threadRef).toBe(rows[0]!.payload.ref);
    // Resolved twice: nothing more.
    await server.post('alertmanager', fixture('alertmanager-resolved.json'));
    expect(await outbox()).toHaveLength(3);
  });

  it('ends out-of-order deliveries in the state of the newest startsAt/endsAt', async () => {
    // The resolve (10:05) arrives before the firing it ends (10:00): the alert stays resolved.
    await server.post('alertmanager', am('resolved', '2026-11-20T10:00:00Z', '2026-11-20T10:05:00Z'));
    await server.post('alertmanager', am('firing', '2026-11-20T10:00:00Z'));
    expect(await groups()).toMatchObject([{ state: 'resolved' }]);
    expect(await outbox()).toEqual([]); // nobody was ever shown a firing alert
    // Firing again at 10:10, then the stale resolve of 10:05 again: firing.
    await server.post('alertmanager', am('firing', '2026-11-20T10:10:00Z'));
    await server.post('alertmanager', am('resolved', '2026-11-20T10:00:00Z', '2026-11-20T10:05:00Z'));
    const gs = await groups();
    expect(gs).toMatchObject([{ state: 'resolved' }, { state: 'open', firing_count: 1 }]);
    expect((await outbox()).map((r) => r.kind)).toEqual(['slack.post']);
  });

  it('opens a new group for the next trigger after a resolve (PagerDuty semantics)', async () => {
    await server.post('alertmanager', am('firing', '2026-11-20T10:00:00Z'));
    await server.post('alertmanager', am('resolved', '2026-11-20T10:00:00Z', '2026-11-20T10:05:00Z'));
    await server.post('alertmanager', am('firing', '2026-11-20T11:00:00Z'));
    const gs = await groups();
    expect(gs).toMatchObject([{ state: 'resolved' }, { state: 'open', firing_count: 1, version: 1 }]);
    const posts = (await outbox()).filter((r) => r.kind === 'slack.post' && r.payload.ref);
    expect(posts.map((r) => r.payload.ref)).toEqual(gs.map((g) => `alert-group:${g.id}`));
  });

  it("keeps a group's counts and worst firing severity as its alerts fire and resolve", async () => {
    const state = async () =>
      (
        await db.pool.query<{
          state: string;
          severity: string;
          f: number;
          r: number;
          resolved_at: Date | null;
        }>(
          `SELECT state, severity, firing_count AS f, resolved_count AS r, resolved_at FROM alert_groups ORDER BY id`,
        )
      ).rows;
    const at = '2026-11-20T10:00:00Z';
    await server.post('alertmanager', am('firing', at, undefined, 'w', { severity: 'warning' }));
    expect(await state()).toMatchObject([{ state: 'open', severity: 'warning', f: 1, r: 0 }]);
    // A worse alert joins: the group is as bad as its worst.
    await server.post('alertmanager', am('firing', at, undefined, 'c', { severity: 'critical' }));
    await server.post('alertmanager', am('firing', at, undefined, 'i', { severity: 'info' }));
    expect(await state()).toMatchObject([{ severity: 'critical', f: 3, r: 0 }]);
    // The critical one resolves: the worst left, the next worst is the group's.
    await server.post(
      'alertmanager',
      am('resolved', at, '2026-11-20T10:30:00Z', 'c', { severity: 'critical' }),
    );
    expect(await state()).toMatchObject([{ state: 'open', severity: 'warning', f: 2, r: 1 }]);
    // The info one resolves: the warning stays.
    await server.post('alertmanager', am('resolved', at, '2026-11-20T10:20:00Z', 'i', { severity: 'info' }));
    expect(await state()).toMatchObject([{ state: 'open', severity: 'warning', f: 1, r: 2 }]);
    // The critical one fires again (a later start): counted back.
    await server.post(
      'alertmanager',
      am('firing', '2026-11-20T10:40:00Z', undefined, 'c', { severity: 'critical' }),
    );
    expect(await state()).toMatchObject([{ severity: 'critical', f: 2, r: 1 }]);
    // Both resolve in one delivery: the group resolves at the latest end among its alerts.
    const both = am('resolved', at, '2026-11-20T10:50:00Z', 'w', { severity: 'warning' });
    both.alerts.push({
      ...am('resolved', '2026-11-20T10:40:00Z', '2026-11-20T10:45:00Z', 'c', { severity: 'critical' })
        .alerts[0]!,
    });
    await server.post('alertmanager', both);
    expect(await state()).toMatchObject([
      { state: 'resolved', severity: 'critical', f: 0, r: 3, resolved_at: new Date('2026-11-20T10:50:00Z') },
    ]);
    // The same deliveries again change nothing.
    await server.post('alertmanager', both);
    expect(await state()).toMatchObject([{ state: 'resolved', f: 0, r: 3 }]);
  });

  it('re-fires an alert inside a group still open: the message is updated and the thread says so', async () => {
    await server.post('alertmanager', am('firing', '2026-11-20T10:00:00Z', undefined, 'a'));
    await server.post('alertmanager', am('firing', '2026-11-20T10:00:00Z', undefined, 'b'));
    await server.post('alertmanager', am('resolved', '2026-11-20T10:00:00Z', '2026-11-20T10:05:00Z', 'a'));
    await server.post('alertmanager', am('firing', '2026-11-20T10:20:00Z', undefined, 'a'));
    expect(await groups()).toMatchObject([{ state: 'open', firing_count: 2, resolved_count: 0, version: 4 }]);
    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual([
      'slack.post',
      'slack.update',
      'slack.update',
      'slack.update',
      'slack.post',
    ]);
    expect(rows[4]!.payload.threadRef).toBeDefined();
  });

  it('refuses a missing or wrong token with 401 and stores nothing', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${Buffer.from('x:wrong').toString('base64')}` },
    ];
    for (const headers of refused) {
      const res = await server.post('alertmanager', fixture('alertmanager-firing.json'), headers);
      expect(res.status).toBe(401);
    }
    expect(await counts()).toEqual({ payloads: 0, groups: 0, alerts: 0, outbox: 0 });
  });

  it("takes the token as Basic auth's password (Amazon SNS) and as Grafana's and Sentry's HMAC key", async () => {
    const basic = { authorization: `Basic ${Buffer.from(`sns:${TOKEN}`).toString('base64')}` };
    expect(
      (await server.post('cloudwatch', signSns(fixture('cloudwatch-sns-alarm.json')), basic)).status,
    ).toBe(202);
    const crypto = await import('node:crypto');
    const body = JSON.stringify(fixture('grafana-firing.json'));
    const sig = crypto.createHmac('sha256', TOKEN).update(body).digest('hex');
    expect((await server.post('grafana', body, { 'x-grafana-alerting-signature': sig })).status).toBe(202);
    expect(
      (await server.post('grafana', body, { 'x-grafana-alerting-signature': '0'.repeat(64) })).status,
    ).toBe(401);
    // With a timestamp header Grafana signs `timestamp:body`; a stale or altered timestamp is refused.
    const at = (ms: number) => String(Math.floor(ms / 1000));
    const now = ctx.clock.now().getTime();
    const signedAt = (ts: string) => crypto.createHmac('sha256', TOKEN).update(`${ts}:${body}`).digest('hex');
    const withTs = (ts: string, signed = ts) => ({
      'x-grafana-alerting-signature': signedAt(signed),
      'x-grafana-alerting-timestamp': ts,
    });
    expect((await server.post('grafana', body, withTs(at(now)))).status).toBe(202);
    expect((await server.post('grafana', body, withTs(at(now - 10 * 60_000)))).status).toBe(401);
    expect((await server.post('grafana', body, withTs(at(now), at(now - 1000)))).status).toBe(401);
    expect((await server.post('grafana', body, withTs('soon', 'soon'))).status).toBe(401);
    const sbody = JSON.stringify(fixture('sentry-event-alert.json'));
    const ssig = crypto.createHmac('sha256', TOKEN).update(sbody).digest('hex');
    expect((await server.post('sentry', sbody, { 'sentry-hook-signature': ssig })).status).toBe(202);
  });

  it('answers 400 naming the field for a bad body, and stores nothing', async () => {
    const bad = fixture('alertmanager-firing.json') as { alerts: { labels: unknown }[] };
    bad.alerts[0]!.labels = 'oops';
    const res = await server.post('alertmanager', bad);
    expect(res).toEqual({ status: 400, body: { error: expect.stringMatching(/^alerts\[0\]\.labels: /) } });
    expect((await server.post('generic', '{not json')).status).toBe(400);
    expect(await counts()).toEqual({ payloads: 0, groups: 0, alerts: 0, outbox: 0 });
  });

  it('stores text PostgreSQL refuses as is (NUL, unpaired surrogates) with U+FFFD in their place (found by the fuzz)', async () => {
    const res = await server.post('generic', {
      title: 'a\u0000b\ud800',
      status: 'firing',
      dedup_key: 'k\u0000',
    });
    expect(res.status).toBe(202);
    const { rows } = await db.pool.query<{ title: string }>('SELECT title FROM alert_groups');
    expect(rows).toEqual([{ title: 'a\uFFFDb\uFFFD' }]);
  });

  it('keeps the body as received, integers beyond 2^53 exact', async () => {
    const text =
      '{"title":"big","status":"firing","dedup_key":"big-1","labels":{},"order":12345678901234567890}';
    expect((await server.post('generic', text)).status).toBe(202);
    const { rows } = await db.pool.query<{ order: string }>(
      `SELECT body->>'order' AS order FROM alert_payloads`,
    );
    expect(rows).toEqual([{ order: '12345678901234567890' }]);
  });

  it('stores a body jsonb would refuse as sent (a number beyond numeric) through its parsed value', async () => {
    const text = '{"title":"huge","status":"firing","dedup_key":"huge-1","x":1e99999,"y":"\\u0000"}';
    const res = await server.post('generic', text);
    expect(res.status).toBe(202);
    const { rows } = await db.pool.query<{ x: unknown; y: string }>(
      `SELECT body->'x' AS x, body->>'y' AS y FROM alert_payloads`,
    );
    // JSON.parse made the number Infinity, which JSON writes as null.
    expect(rows).toEqual([{ x: null, y: '\uFFFD' }]);
  });

  it('answers 400 for a body nested more than 100 levels deep, and stores nothing (found by the fuzz: 10,000 levels answered 500)', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const body = (n: number) => `{"title":"deep","status":"firing","labels":{},"extra":${deep(n)}}`;
    const res = await server.post('generic', body(10_000));
    expect(res).toEqual({ status: 400, body: { error: 'body: nested more than 100 levels deep' } });
    expect(await counts()).toEqual({ payloads: 0, groups: 0, alerts: 0, outbox: 0 });
    // 100 levels in all (the body's object is the first) is still taken, and stored as sent.
    expect((await server.post('generic', body(98))).status).toBe(202);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT jsonb_array_length(body->'extra')::int AS n FROM alert_payloads`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("takes a start after receipt (the sender's clock ahead) as the receipt time, so a later resolve ends it", async () => {
    const ahead = new Date(ctx.clock.now().getTime() + 5 * 60_000).toISOString();
    await server.post('generic', { title: 'skew', status: 'firing', dedup_key: 'skew', starts_at: ahead });
    await server.post('generic', {
      title: 'far',
      status: 'firing',
      dedup_key: 'far',
      starts_at: '9999-12-31T23:59:59Z',
    });
    ctx.clock.advance(1_000);
    await server.post('generic', { title: 'skew', status: 'resolved', dedup_key: 'skew' });
    await server.post('generic', { title: 'far', status: 'resolved', dedup_key: 'far' });
    expect((await groups()).map((g) => g.state)).toEqual(['resolved', 'resolved']);
  });

  it('counts the alerts it accepted, by source, in toban_alerts_accepted_total', async () => {
    const before = async () =>
      (await ctx.metrics.alertsAccepted.get()).values.find((v) => v.labels.source === 'generic')?.value ?? 0;
    const start = await before();
    await server.post('generic', [
      { title: 'a', status: 'firing', dedup_key: 'm1' },
      { title: 'b', status: 'firing', dedup_key: 'm2' },
    ]);
    await server.post('generic', { title: 'bad' }); // 400: not counted
    expect((await before()) - start).toBe(2);
  });

  it('answers 404 for an unknown source', async () => {
    expect((await server.post('nagios', { a: 1 })).status).toBe(404);
  });

  it('costs the same statements for 1 alert as for 100: one per table, not one per alert', async () => {
    const batch = (n: number, offset: number) =>
      Array.from({ length: n }, (_, i) => ({
        title: `disk ${offset + i}`,
        status: 'firing',
        dedup_key: `k${offset + i}`,
      }));
    const run = async (body: unknown) => {
      statements.length = 0;
      expect((await server.post('generic', body)).status).toBe(202);
      return statements.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK)/.test(s.trim()));
    };
    const one = await run(batch(1, 0));
    const hundred = await run(batch(100, 1));
    // payload with the keys' locks, groups, alerts with their groups' counts, the channel's storm lock
    // and load, outbox
    expect(one).toHaveLength(6);
    // 100 new groups in one channel start a storm (services/alerts/storm.ts): 4 statements more
    // (the storm, the fold, the summary's contents, its shown version), whatever the batch's size.
    expect(hundred).toHaveLength(one.length + 4);
    // The first groups up to the threshold are posted; the rest fold into one summary post.
    expect((await counts()).outbox).toBe(STORM_THRESHOLD + 1);
  });
});

// Escalation, running (issue 9 item 6) against PostgreSQL on a moved clock: two app instances (two
// schedulers, each with its own pool, on one database and one ManualClock) run the escalation job
// every minute. A group opened through the intake walks the demo policy (rotation:primary, wait 5m;
// user:U0LEAD, wait 10m; channel) at 0, 5 and 15 minutes, each step once; acknowledging stops it;
// the rotation step pages whoever is on duty when it falls due (the demo's primary rotation hands
// off on Mondays at 10:00 JST).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { alertEscalationJob } from '../../src/jobs/alert-escalation.ts';
import { escalateDue } from '../../src/services/alerts/escalation.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { testContext } from '../helpers/context.ts';
import { jst } from '../helpers/jst.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { replicaFactory, type Replica } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);

beforeAll(async () => {
  db = await freshDatabase();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE alert_notifications, alerts, alert_groups, alert_payloads, outbox, job_firings RESTART IDENTITY CASCADE',
  );
});
afterEach(async () => {
  await replicas.stopAll();
});
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const MINUTE = 60_000;
const wall = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

function instance(name: string, clock: ManualClock): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  const ctx: AppContext = { ...testContext(r.pool as Pool), clock };
  r.scheduler.register(alertEscalationJob(ctx));
  return { ...r, ctx };
}

/** A firing generic alert through the intake service at the clock's now; the group's id. */
async function fire(ctx: AppContext, key: string): Promise<string> {
  const res = await intakeAlerts(ctx, {
    source: 'generic',
    body: { title: `Ledger lag ${key}`, status: 'firing', severity: 'critical', dedup_key: key },
  });
  if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
  return res.groups[0]!;
}

async function walk(clock: ManualClock, xs: Replica[], to: string, stepMs = MINUTE): Promise<void> {
  const end = jst(to).getTime();
  while (clock.now().getTime() < end) {
    clock.set(new Date(Math.min(end, clock.now().getTime() + stepMs)));
    await Promise.all(xs.map((x) => x.scheduler.tick()));
  }
}

async function notifications(group: string) {
  const { rows } = await db.pool.query<{ key: string; sent_at: Date; targets: unknown }>(
    'SELECT key, sent_at, targets FROM alert_notifications WHERE group_id = $1 ORDER BY sent_at, key',
    [group],
  );
  return rows.map((r) => ({ key: r.key, at: wall(r.sent_at), targets: r.targets }));
}

interface Row {
  kind: string;
  idempotency_key: string;
  payload: { channel?: string; user?: string; text: string; threadRef?: string; ref?: string };
}
async function outbox(): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT kind, idempotency_key, payload FROM outbox WHERE kind IN ('slack.post', 'slack.dm', 'slack.update') ORDER BY id`,
  );
  return rows;
}

describe('the demo policy on a moved clock', () => {
  it('notifies rotation:primary at 0, U0LEAD at 5 and the channel at 15 minutes, each once across two replicas', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const group = await fire(a.ctx, 'lag-1');
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await walk(clock, [a, b], '2024-04-10 12:30');

    expect(await notifications(group)).toEqual([
      { key: 'step:0:0', at: '2024-04-10 12:00', targets: [{ kind: 'user', userId: 'U0CCC' }] },
      { key: 'step:0:1', at: '2024-04-10 12:05', targets: [{ kind: 'user', userId: 'U0LEAD' }] },
      { key: 'step:0:2', at: '2024-04-10 12:15', targets: [{ kind: 'channel' }] },
    ]);
    const rows = (await outbox()).filter((r) => !(r.kind === 'slack.post' && r.payload.ref)); // not the group's own post
    const ref = `alert-group:${group}`;
    // A run writes the people's DMs last, once it knows every group paging them (one DM per person).
    expect(rows.map((r) => [r.kind, r.payload.user ?? r.payload.threadRef ?? r.payload.ref])).toEqual([
      ['slack.post', ref],
      ['slack.update', ref],
      ['slack.dm', 'U0CCC'],
      ['slack.post', ref],
      ['slack.update', ref],
      ['slack.dm', 'U0LEAD'],
      ['slack.post', ref],
      ['slack.update', ref],
    ]);
    const threads = rows.filter((r) => r.kind === 'slack.post').map((r) => r.payload.text);
    expect(threads[0]).toContain('<@U0CCC>');
    expect(threads[1]).toContain('<@U0LEAD>');
    expect(threads[2]).toContain('<!here>');
    const updates = rows.filter((r) => r.kind === 'slack.update');
    expect(updates.at(-1)!.payload.text).toBeDefined();
    expect(JSON.stringify(updates.at(-1)!.payload)).toContain('エスカレーション段階 3');
    const { rows: g } = await db.pool.query(
      'SELECT escalation_step, version FROM alert_groups WHERE id = $1',
      [group],
    );
    expect(g[0]).toEqual({ escalation_step: 3, version: 4 });
  });

  it('sends each step once when two replicas run the service at the same instant and a run is repeated', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const group = await fire(a.ctx, 'lag-2');
    const first = await Promise.all([escalateDue(a.ctx, clock.now()), escalateDue(b.ctx, clock.now())]);
    expect(first.flat().map((n) => n.key)).toEqual(['step:0:0']);
    expect(await escalateDue(a.ctx, clock.now())).toEqual([]);
    clock.advance(20 * MINUTE); // late: both remaining steps at once, in order
    const late = await Promise.all([escalateDue(a.ctx, clock.now()), escalateDue(b.ctx, clock.now())]);
    expect(late.flat().map((n) => n.key)).toEqual(['step:0:1', 'step:0:2']);
    expect((await notifications(group)).map((n) => n.key)).toEqual(['step:0:0', 'step:0:1', 'step:0:2']);
  });

  it('stops when the group is acknowledged', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const group = await fire(a.ctx, 'lag-3');
    await walk(clock, [a, b], '2024-04-10 12:03');
    await db.pool.query(
      `UPDATE alert_groups SET acknowledged_by = 'U0CCC', acknowledged_at = $2 WHERE id = $1`,
      [group, clock.now()],
    );
    await walk(clock, [a, b], '2024-04-10 12:40');
    expect((await notifications(group)).map((n) => n.key)).toEqual(['step:0:0']);
  });

  it('pages whoever is on duty in the rotation when the step falls due, across a handoff', async () => {
    // Primary hands off on Mondays at 10:00 JST: U0BBB's week ends and U0CCC's begins.
    const clock = new ManualClock(jst('2024-04-08 09:58'));
    const a = instance('a', clock);
    const before = await fire(a.ctx, 'before-handoff');
    await walk(clock, [a], '2024-04-08 10:01');
    const after = await fire(a.ctx, 'after-handoff');
    await walk(clock, [a], '2024-04-08 10:02'); // before U0LEAD's step (10:03)
    expect((await notifications(before))[0]).toMatchObject({
      key: 'step:0:0',
      targets: [{ userId: 'U0BBB' }],
    });
    expect((await notifications(after))[0]).toMatchObject({
      key: 'step:0:0',
      targets: [{ userId: 'U0CCC' }],
    });
    const dms = (await outbox()).filter((r) => r.kind === 'slack.dm').map((r) => r.payload.user);
    expect(dms).toEqual(['U0BBB', 'U0CCC']);
  });

  it('pages who holds the rotation when the job runs, not who held it when the step fell due', async () => {
    // Opened at 09:58 while no replica ran the job; the first run, at 10:01, is after the handoff.
    const clock = new ManualClock(jst('2024-04-08 09:58'));
    const a = instance('a', clock);
    const group = await fire(a.ctx, 'missed');
    clock.set(jst('2024-04-08 10:01'));
    await a.scheduler.tick();
    expect(await notifications(group)).toEqual([
      { key: 'step:0:0', at: '2024-04-08 10:01', targets: [{ kind: 'user', userId: 'U0CCC' }] },
    ]);
  });

  it('leaves resolved groups alone', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const group = await fire(a.ctx, 'lag-4');
    await intakeAlerts(a.ctx, {
      source: 'generic',
      body: { title: 'Ledger lag lag-4', status: 'resolved', severity: 'critical', dedup_key: 'lag-4' },
    });
    await walk(clock, [a], '2024-04-10 12:20');
    expect(await notifications(group)).toEqual([]);
  });
});

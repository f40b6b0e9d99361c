// A storm escalated as ONE page (issue 9 items 6 and 8) against PostgreSQL on a moved clock: 12 new
// groups in one channel make a storm (10 posted, 2 folded into the summary); two app instances run
// the escalation job every minute. The storm walks the demo policy (rotation:primary, wait 5m;
// user:U0LEAD, wait 10m; channel) from its start: one line in the summary's thread and one DM per
// person per step, each once; Acknowledge all on the summary acknowledges every open folded group once
// and stops it; a group folded in after it restarts the escalation from step 1, once; resolved groups
// do not count. The posted groups keep their own escalation.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actions } from '../../handlers/index.ts';
import { ManualClock } from '../../src/app/clock.ts';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { alertEscalationJob } from '../../src/jobs/alert-escalation.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { acknowledgeStorm, escalateStormsDue } from '../../src/services/alerts/storm-escalation.ts';
import { acknowledgeStormGroups, lockStorm } from '../../src/db/alert-storm-escalation.ts';
import { STORM_ACTIONS } from '../../src/views/alert-storm.ts';
import { demoConfig, testContext } from '../helpers/context.ts';
import { jst } from '../helpers/jst.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { replicaFactory, type Replica } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);
let auditFrom = '0';

beforeAll(async () => {
  db = await freshDatabase();
});
beforeEach(async () => {
  await db.ownerPool.query(
    `TRUNCATE alert_storm_notifications, alert_notifications, alerts, alert_groups, alert_storms,
              alert_payloads, outbox, job_firings RESTART IDENTITY CASCADE`,
  );
  auditFrom = (await db.pool.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_log`)).rows[0].id;
});
afterEach(async () => {
  await replicas.stopAll();
});
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const MINUTE = 60_000;
function instance(name: string, clock: ManualClock, config = demoConfig()): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  const ctx: AppContext = { ...testContext(r.pool as Pool), clock, config };
  r.scheduler.register(alertEscalationJob(ctx));
  return { ...r, ctx };
}

/** A firing generic alert opening group `key` through the intake at the clock's now; the group's id. */
async function fire(ctx: AppContext, key: string, severity = 'error'): Promise<string> {
  const res = await intakeAlerts(ctx, {
    source: 'generic',
    body: { title: `Ledger lag ${key}`, status: 'firing', severity, dedup_key: key },
  });
  if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
  return res.groups[0]!;
}

/** 12 new groups in C0ALERTS at once: 10 posted, the last 2 folded into one storm. */
async function storm(ctx: AppContext, severities: string[] = []) {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await fire(ctx, `storm-${i}`, severities[i] ?? 'error'));
  const { rows } = await db.pool.query<{ id: string; storm: string }>(
    'SELECT id::text, storm_id::text AS storm FROM alert_groups WHERE storm_id IS NOT NULL ORDER BY id',
  );
  expect(rows.map((r) => r.id)).toEqual(ids.slice(10));
  return { stormId: rows[0]!.storm, posted: ids.slice(0, 10), folded: ids.slice(10) };
}

async function walk(clock: ManualClock, xs: Replica[], to: string, stepMs = MINUTE): Promise<void> {
  const end = jst(to).getTime();
  while (clock.now().getTime() < end) {
    clock.set(new Date(Math.min(end, clock.now().getTime() + stepMs)));
    await Promise.all(xs.map((x) => x.scheduler.tick()));
  }
}

async function stormSteps(stormId: string) {
  const { rows } = await db.pool.query<{ epoch: number; key: string; policy: string; targets: unknown }>(
    `SELECT epoch, key, policy, targets FROM alert_storm_notifications WHERE storm_id = $1
      ORDER BY epoch, sent_at, key`,
    [stormId],
  );
  return rows;
}

interface Row {
  kind: string;
  idempotency_key: string;
  payload: {
    channel?: string;
    user?: string;
    text: string;
    threadRef?: string;
    ref?: string;
    blocks?: unknown[];
  };
}
/** The storm's outbox rows (its post, updates, thread lines) and the DMs its steps sent (a job's keys carry its firing first). */
async function stormOutbox(stormId: string): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT kind, idempotency_key, payload FROM outbox
      WHERE ordering_key = $1 OR idempotency_key LIKE '%' || $1 || ':%' ORDER BY id`,
    [`alert-storm:${stormId}`],
  );
  return rows;
}
const threadLines = (rows: Row[]) => rows.filter((r) => r.kind === 'slack.post' && r.payload.threadRef);
const dms = (rows: Row[]) => rows.filter((r) => r.kind === 'slack.dm');
/** Every DM to `user` (a storm's step may ride in the run's digest, keyed by the person, not the storm). */
async function dmsTo(user: string): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT kind, idempotency_key, payload FROM outbox WHERE kind = 'slack.dm' AND payload->>'user' = $1 ORDER BY id`,
    [user],
  );
  return rows;
}

function press(ctx: AppContext, stormId: string, userId: string, key?: string) {
  const handler = actions.find((a) => a.actionId === STORM_ACTIONS.acknowledgeAll)!;
  return handler.run(
    { actionId: STORM_ACTIONS.acknowledgeAll, value: stormId, userId, locale: 'en', ...(key ? { key } : {}) },
    ctx,
  );
}

describe('a storm on a moved clock', () => {
  it('pages step 1 once across two replicas and re-runs, then step 2 after its wait, in the summary thread', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const s = await storm(a.ctx, [
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'warning',
      'critical',
    ]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    // A re-run (after kill -9, or a second replica late) finds nothing more to send.
    expect(
      await Promise.all([escalateStormsDue(a.ctx, clock.now()), escalateStormsDue(b.ctx, clock.now())]),
    ).toEqual([[], []]);

    expect(await stormSteps(s.stormId)).toEqual([
      { epoch: 0, key: 'step:0:0', policy: 'default', targets: [{ kind: 'user', userId: 'U0CCC' }] },
    ]);
    let rows = await stormOutbox(s.stormId);
    expect(threadLines(rows)).toHaveLength(1);
    const line = threadLines(rows)[0]!;
    expect(line.payload.channel).toBe('C0ALERTS');
    expect(line.payload.threadRef).toBe(`alert-storm:${s.stormId}`);
    // The whole storm in one line (Japanese, the demo's team language): 2 open groups, the worst critical one.
    expect(line.payload.text).toContain('<@U0CCC>');
    expect(line.payload.text).toContain('未確認のグループ 2 件');
    expect(line.payload.text).toContain(`#${s.folded[1]}`);
    expect(line.payload.text).toContain('エスカレーション段階 1');
    // The run paged U0CCC for the 10 posted groups and the storm: ONE DM, the storm's line in it.
    const ccc = await dmsTo('U0CCC');
    expect(ccc).toHaveLength(1);
    expect(ccc[0]!.payload.text).toContain('11 件');
    expect(JSON.stringify(ccc[0]!.payload.blocks)).toContain('<#C0ALERTS> のストーム: 未確認のグループ 2 件');
    expect(dms(rows)).toEqual([]);
    // The summary shows the step reached.
    const update = rows.filter((r) => r.kind === 'slack.update').at(-1)!;
    expect(JSON.stringify(update.payload.blocks)).toContain('エスカレーション段階 1');
    // Folded groups are not paged one by one; posted groups keep their own escalation.
    const perGroup = await db.pool.query<{ group_id: string }>(
      'SELECT group_id::text FROM alert_notifications',
    );
    expect(new Set(perGroup.rows.map((r) => r.group_id))).toEqual(new Set(s.posted));

    await walk(clock, [a, b], '2024-04-10 12:04');
    expect(await stormSteps(s.stormId)).toHaveLength(1);
    await walk(clock, [a, b], '2024-04-10 12:05');
    expect((await stormSteps(s.stormId)).map((n) => [n.key, n.targets])).toEqual([
      ['step:0:0', [{ kind: 'user', userId: 'U0CCC' }]],
      ['step:0:1', [{ kind: 'user', userId: 'U0LEAD' }]],
    ]);
    rows = await stormOutbox(s.stormId);
    expect(threadLines(rows)).toHaveLength(2);
    expect(threadLines(rows)[1]!.payload.text).toContain('<@U0LEAD>');
    expect(await dmsTo('U0CCC')).toHaveLength(1);
    const lead = await dmsTo('U0LEAD');
    expect(lead).toHaveLength(1);
    expect(JSON.stringify(lead[0]!.payload.blocks)).toContain(
      '<#C0ALERTS> のストーム: 未確認のグループ 2 件、最も重いのは #' +
        s.folded[1] +
        ' Ledger lag storm-11: エスカレーション段階 2',
    );
    await walk(clock, [a, b], '2024-04-10 12:15');
    expect((await stormSteps(s.stormId)).map((n) => n.key)).toEqual(['step:0:0', 'step:0:1', 'step:0:2']);
    expect(threadLines(await stormOutbox(s.stormId)).at(-1)!.payload.text).toContain('<!here>');
  });

  it('walks the policy of the worst open group', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const base = demoConfig();
    const config = {
      ...base,
      escalation_policies: [
        ...base.escalation_policies,
        {
          id: 'urgent',
          steps: [{ notify: [{ kind: 'user' as const, userId: 'U0LEAD' }], waitMs: 0 }],
          repeat: 0,
        },
      ],
    };
    const a = instance('a', clock, config);
    const s = await storm(a.ctx);
    // The later folded group is critical and routed to another policy.
    await db.ownerPool.query(
      `UPDATE alert_groups SET severity = 'critical', policy = 'urgent' WHERE id = $1`,
      [s.folded[1]],
    );
    await escalateStormsDue(a.ctx, clock.now());
    expect(await stormSteps(s.stormId)).toMatchObject([
      { key: 'step:0:0', policy: 'urgent', targets: [{ userId: 'U0LEAD' }] },
    ]);
  });

  it('Acknowledge all acknowledges every open folded group once and stops the escalation', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const s = await storm(a.ctx);
    await walk(clock, [a, b], '2024-04-10 12:01');
    expect(await stormSteps(s.stormId)).toHaveLength(1);

    expect(await press(a.ctx, s.stormId, 'U0AAA', 'req-1')).toBeUndefined();
    const { rows: groups } = await db.pool.query(
      `SELECT id::text, acknowledged_by, acknowledged_at FROM alert_groups WHERE storm_id IS NOT NULL ORDER BY id`,
    );
    expect(groups).toEqual(
      s.folded.map((id) => ({ id, acknowledged_by: 'U0AAA', acknowledged_at: jst('2024-04-10 12:01') })),
    );
    const rows = await stormOutbox(s.stormId);
    const lines = threadLines(rows);
    expect(lines).toHaveLength(2); // step 1, then the acknowledge
    expect(lines[1]!.payload.text).toContain('<@U0AAA>');
    expect(lines[1]!.payload.text).toContain('2');
    // The summary says who acknowledged and has no button any more.
    const summary = JSON.stringify(rows.filter((r) => r.kind === 'slack.update').at(-1)!.payload.blocks);
    expect(summary).toContain('<@U0AAA>');
    expect(summary).not.toContain(STORM_ACTIONS.acknowledgeAll);
    const audits = await db.pool.query(
      `SELECT actor, args FROM audit_log WHERE id > $1 AND action = 'alerts.acknowledge_storm'`,
      [auditFrom],
    );
    expect(audits.rows).toEqual([
      { actor: 'U0AAA', args: expect.objectContaining({ storm: s.stormId, groups: s.folded }) },
    ]);

    // A second press changes nothing and says who acknowledged.
    const again = await press(a.ctx, s.stormId, 'U0BBB');
    expect(JSON.stringify(again)).toContain('U0AAA');
    await walk(clock, [a, b], '2024-04-10 12:40');
    expect(await stormSteps(s.stormId)).toHaveLength(1);
    expect(await stormOutbox(s.stormId)).toHaveLength(rows.length);
  });

  it('two concurrent presses change the storm once', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const s = await storm(a.ctx);
    const outcomes = await Promise.all([
      acknowledgeStorm(a.ctx, s.stormId, 'U0AAA'),
      acknowledgeStorm(b.ctx, s.stormId, 'U0BBB'),
    ]);
    const changed = outcomes.filter((o) => o.acknowledged.length > 0);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.acknowledged).toEqual(s.folded);
    const who = changed[0]!.storm.acknowledged_by;
    const { rows } = await db.pool.query(
      'SELECT DISTINCT acknowledged_by, version FROM alert_groups WHERE storm_id IS NOT NULL',
    );
    expect(rows).toEqual([{ acknowledged_by: who, version: expect.any(Number) }]);
    expect(threadLines(await stormOutbox(s.stormId))).toHaveLength(1);
    const audits = await db.pool.query(
      `SELECT 1 FROM audit_log WHERE id > $1 AND action = 'alerts.acknowledge_storm'`,
      [auditFrom],
    );
    expect(audits.rowCount).toBe(1);
    await escalateStormsDue(a.ctx, clock.now());
    expect(await stormSteps(s.stormId)).toEqual([]);
  });

  it('ten concurrent presses on a storm of many folded groups, beside the job and a delivery: no error, one change', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const s = await storm(a.ctx);
    for (let i = 0; i < 40; i++) await fire(a.ctx, `more-${i}`);
    const { rows: folded } = await db.pool.query<{ id: string }>(
      'SELECT id::text FROM alert_groups WHERE storm_id = $1 ORDER BY id',
      [s.stormId],
    );
    expect(folded).toHaveLength(42);
    clock.set(jst('2024-04-10 12:01'));
    const users = ['U0AAA', 'U0BBB', 'U0CCC', 'U0DDD', 'U0EEE', 'U0FFF', 'U0GGG', 'U0HHH', 'U0III', 'U0JJJ'];
    // The storm's row is locked before its groups everywhere (Acknowledge all, the escalation job,
    // a delivery to a folded group): none of these may fail with a deadlock.
    const [replies] = await Promise.all([
      Promise.all(users.map((u, i) => press((i % 2 ? b : a).ctx, s.stormId, u, `act:${u}`))),
      escalateStormsDue(b.ctx, clock.now()),
      fire(a.ctx, 'storm-11'),
      fire(b.ctx, 'more-7'),
    ]);
    expect(replies.filter((r) => r === undefined)).toHaveLength(1);
    const { rows: storms } = await db.pool.query('SELECT acknowledged_by FROM alert_storms WHERE id = $1', [
      s.stormId,
    ]);
    const who = storms[0].acknowledged_by as string;
    expect(users).toContain(who);
    // Every later press is told who acknowledged, with no error.
    for (const r of replies.filter((x) => x !== undefined)) expect(JSON.stringify(r)).toContain(who);
    const { rows } = await db.pool.query(
      'SELECT DISTINCT acknowledged_by FROM alert_groups WHERE storm_id = $1 AND state = $2',
      [s.stormId, 'open'],
    );
    expect(rows).toEqual([{ acknowledged_by: who }]);
    const acks = threadLines(await stormOutbox(s.stormId)).filter((r) =>
      r.idempotency_key.endsWith(':acknowledged'),
    );
    expect(acks).toHaveLength(1);
    expect(acks[0]!.payload.text).toContain(who);
    const audits = await db.pool.query(
      `SELECT 1 FROM audit_log WHERE id > $1 AND action = 'alerts.acknowledge_storm'`,
      [auditFrom],
    );
    expect(audits.rowCount).toBe(1);
  });

  it('a delivery to a folded group that folds a new one waits for Acknowledge all holding the storm, no deadlock', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const s = await storm(a.ctx);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      // Acknowledge all's first step: the storm's row.
      await lockStorm(client, s.stormId);
      // One delivery: storm-11 again (a folded group) and a new group that folds into the same storm.
      const delivery = intakeAlerts(a.ctx, {
        source: 'generic',
        body: [
          { title: 'Ledger lag storm-11', status: 'firing', severity: 'error', dedup_key: 'storm-11' },
          { title: 'Ledger lag fresh-1', status: 'firing', severity: 'error', dedup_key: 'fresh-1' },
        ],
      });
      // Wait until the delivery waits for a lock (it must wait for the storm, holding no group).
      for (let i = 0; i < 200; i++) {
        const { rows } = await db.ownerPool.query(
          `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND a.query LIKE '%alert_payloads%'`,
        );
        if (rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const { ids } = await acknowledgeStormGroups(client, s.stormId, 'U0AAA', clock.now());
      await client.query('COMMIT');
      expect(ids).toEqual(s.folded);
      expect((await delivery).status).toBe(202);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(
      `SELECT g.acknowledged_by, count(*)::int AS n FROM alert_groups g WHERE g.storm_id = $1
        GROUP BY 1 ORDER BY 1`,
      [s.stormId],
    );
    // The two folded before the press acknowledged; the new one folded after it, not.
    expect(rows).toEqual([
      { acknowledged_by: 'U0AAA', n: 2 },
      { acknowledged_by: null, n: 1 },
    ]);
  });

  it('a group folded in after Acknowledge all restarts the escalation from step 1, once', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const s = await storm(a.ctx);
    await escalateStormsDue(a.ctx, clock.now());
    clock.set(jst('2024-04-10 12:00:10'));
    await acknowledgeStorm(a.ctx, s.stormId, 'U0AAA');
    clock.set(jst('2024-04-10 12:00:20'));
    const late = await fire(a.ctx, 'late-1', 'critical');
    clock.set(jst('2024-04-10 12:00:30'));
    await fire(a.ctx, 'late-2'); // also folded, while the restarted escalation runs
    const { rows: folded } = await db.pool.query(
      'SELECT count(*)::int AS n FROM alert_groups WHERE storm_id = $1',
      [s.stormId],
    );
    expect(folded[0].n).toBe(4);
    clock.set(jst('2024-04-10 12:01'));
    const sent = await escalateStormsDue(a.ctx, clock.now());
    expect(sent.map((n) => [n.epoch, n.key])).toEqual([[1, 'step:0:0']]);
    const line = threadLines(await stormOutbox(s.stormId)).at(-1)!;
    expect(line.payload.text).toContain('未確認のグループ 2 件');
    expect(line.payload.text).toContain(`#${late}`);
    // The acknowledge is cleared, so the summary offers Acknowledge all again; nothing restarts twice.
    const { rows: st } = await db.pool.query(
      'SELECT acknowledged_by, escalation_epoch FROM alert_storms WHERE id = $1',
      [s.stormId],
    );
    expect(st).toEqual([{ acknowledged_by: null, escalation_epoch: 1 }]);
    clock.set(jst('2024-04-10 12:05'));
    expect((await escalateStormsDue(a.ctx, clock.now())).map((n) => [n.epoch, n.key])).toEqual([]);
    clock.set(jst('2024-04-10 12:06'));
    expect((await escalateStormsDue(a.ctx, clock.now())).map((n) => [n.epoch, n.key])).toEqual([
      [1, 'step:0:1'],
    ]);
  });

  it('resolved groups do not count, and a storm whose groups are all resolved stops', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const s = await storm(a.ctx);
    await db.pool.query(`UPDATE alert_groups SET state = 'resolved', resolved_at = $2 WHERE id = $1`, [
      s.folded[0],
      clock.now(),
    ]);
    await escalateStormsDue(a.ctx, clock.now());
    expect(threadLines(await stormOutbox(s.stormId))[0]!.payload.text).toContain('未確認のグループ 1 件');
    await db.pool.query(`UPDATE alert_groups SET state = 'resolved', resolved_at = $2 WHERE id = $1`, [
      s.folded[1],
      clock.now(),
    ]);
    clock.set(jst('2024-04-10 12:30'));
    expect(await escalateStormsDue(a.ctx, clock.now())).toEqual([]);
    expect(await stormSteps(s.stormId)).toHaveLength(1);
  });

  it('speaks English when the team does', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, { ...demoConfig(), locale: 'en' });
    const s = await storm(a.ctx);
    await escalateStormsDue(a.ctx, clock.now());
    await acknowledgeStorm(a.ctx, s.stormId, 'U0AAA');
    const rows = await stormOutbox(s.stormId);
    const [step, ack] = threadLines(rows).map((r) => r.payload.text);
    expect(step).toContain('Storm: 2 open groups not acknowledged');
    expect(step).toContain('Escalation step 1: <@U0CCC>');
    expect(dms(rows)[0]!.payload.text).toContain('alert storm in <#C0ALERTS>');
    expect(ack).toContain('<@U0AAA> acknowledged all 2 open groups of this storm');
    expect(JSON.stringify(rows.filter((r) => r.kind === 'slack.update').at(-1)!.payload.blocks)).toContain(
      'All acknowledged by <@U0AAA>',
    );
    // The first summary, before any press, carries the button.
    const post = rows.find((r) => r.kind === 'slack.post' && r.payload.ref)!;
    expect(JSON.stringify(post.payload.blocks)).toContain('Acknowledge all');
  });
});

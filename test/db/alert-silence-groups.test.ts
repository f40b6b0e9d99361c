// Silences shown where the on-call engineer looks (issue 9 items 5, 7 and 10) against PostgreSQL on a
// moved clock, with two app instances (two schedulers, each with its own pool, on one database and
// one ManualClock) running the escalation and silence jobs every minute:
// - a local mute made with `/alerts silence` updates the message of each open group it matches at
//   once (and only those), keeps escalation from paging them, and when it runs out the silence job
//   shows its end once however many replicas and runs try; escalation then sends what is owed;
// - a group opened while a mute is in force takes it at the escalation job's run instead of a page;
// - Unsilence on one group's message ends the silence on every group showing it;
// - with ALERTMANAGER_URL the silence goes to Alertmanager (outbox) and Alertmanager's groups show it;
// - one silence updates at most FANOUT_CAP messages at once, the job shows it on the rest.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actions } from '../../handlers/index.ts';
import { commands } from '../../commands/index.ts';
import { ManualClock } from '../../src/app/clock.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { alertEscalationJob } from '../../src/jobs/alert-escalation.ts';
import { alertSilenceJob } from '../../src/jobs/alert-silences.ts';
import { escalateDue } from '../../src/services/alerts/escalation.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { FANOUT_CAP, refreshSilenceGroups } from '../../src/services/alerts/silence-groups.ts';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import { fixture } from '../helpers/alert-intake.ts';
import { demoConfig, testContext } from '../helpers/context.ts';
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
    `TRUNCATE alert_notifications, alert_silences, alerts, alert_groups, alert_payloads, outbox, job_firings
     RESTART IDENTITY CASCADE`,
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
type Instance = Replica & { ctx: AppContext; dispatcher: Dispatcher };

function instance(name: string, clock: ManualClock, env: Record<string, string> = {}): Instance {
  const r = replicas.replica(name, clock);
  // English, so the messages and thread lines read as asserted below.
  const ctx: AppContext = {
    ...testContext(r.pool as Pool, { config: { ...demoConfig(env), locale: 'en' } }),
    clock,
  };
  r.scheduler.register(alertEscalationJob(ctx));
  r.scheduler.register(alertSilenceJob(ctx));
  return { ...r, ctx, dispatcher: new Dispatcher(ctx, { commands }) };
}

/** A firing generic alert with `labels` at the clock's now; its group's id. */
async function fire(ctx: AppContext, key: string, labels: Record<string, string>): Promise<string> {
  const res = await intakeAlerts(ctx, {
    source: 'generic',
    body: { title: `Lag ${key}`, status: 'firing', severity: 'critical', dedup_key: key, labels },
  });
  if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
  return res.groups[0]!;
}

function command(x: Instance, text: string, user = 'U0BBB', key?: string) {
  return x.dispatcher.run({ command: '/alerts', text, userId: user, locale: 'en', ...(key ? { key } : {}) });
}

async function walk(clock: ManualClock, xs: Instance[], to: string, stepMs = MINUTE): Promise<void> {
  const end = jst(to).getTime();
  while (clock.now().getTime() < end) {
    clock.set(new Date(Math.min(end, clock.now().getTime() + stepMs)));
    await Promise.all(xs.map((x) => x.scheduler.tick()));
  }
}

async function pages(group: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ key: string }>(
    'SELECT key FROM alert_notifications WHERE group_id = $1 ORDER BY key',
    [group],
  );
  return rows.map((r) => r.key);
}

interface Row {
  id: string;
  kind: string;
  idempotency_key: string;
  payload: { text: string; ref?: string; threadRef?: string; blocks?: unknown };
}
/** The Slack rows about group `id`'s message (its post, updates, thread lines), oldest first. */
async function rowsOf(group: string, after = '0'): Promise<Row[]> {
  const ref = `alert-group:${group}`;
  const { rows } = await db.pool.query<Row>(
    `SELECT o.id::text AS id, kind, idempotency_key, payload FROM outbox o
      WHERE o.id > $2 AND (payload->>'ref' = $1 OR payload->>'threadRef' = $1) ORDER BY o.id`,
    [ref, after],
  );
  return rows;
}
const lastOutboxId = async () =>
  (await db.pool.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM outbox')).rows[0]!.id;
const updates = (rows: Row[]) => rows.filter((r) => r.kind === 'slack.update');
const threadLines = (rows: Row[]) => rows.filter((r) => r.kind === 'slack.post' && r.payload.threadRef);

async function groupRow(id: string) {
  const { rows } = await db.pool.query<{
    silence_id: string | null;
    silenced_until: Date | null;
    silenced_by: string | null;
  }>('SELECT silence_id::text, silenced_until, silenced_by FROM alert_groups WHERE id = $1', [id]);
  return rows[0]!;
}

describe('a local mute made with /alerts silence', () => {
  it('shows on the matching open group at once, keeps it from being paged, and its end is shown once; escalation resumes', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const billing = await fire(a.ctx, 'ledger-1', { service: 'billing', env: 'prod' });
    const payouts = await fire(a.ctx, 'payouts-1', { service: 'payouts', env: 'prod' });
    const payoutsBefore = await rowsOf(payouts);

    const out = await command(a, 'silence service=billing 2h');
    expect(out.error).toBeUndefined();
    expect(out.reply!.message.text).toContain('local mute');
    expect(out.reply!.message.text).toContain('Open alert groups showing it: 1.');

    // The matching group's message shows the silence, who made it and Unsilence; its thread says so.
    const shown = await rowsOf(billing);
    const [update] = updates(shown);
    expect(update!.payload.text).toBeDefined();
    const blocks = JSON.stringify(update!.payload.blocks);
    expect(blocks).toContain(':mute: Silenced until');
    expect(blocks).toContain('by <@U0BBB>');
    expect(blocks).toContain(ALERT_ACTIONS.unsilence);
    expect(threadLines(shown).map((r) => r.payload.text)).toEqual([
      expect.stringMatching(/^:mute: Silenced by <@U0BBB> until .*: `service=billing`/),
    ]);
    expect(await groupRow(billing)).toMatchObject({ silence_id: '1', silenced_by: 'U0BBB' });
    // The other group is untouched.
    expect(await rowsOf(payouts)).toEqual(payoutsBefore);
    expect((await groupRow(payouts)).silence_id).toBeNull();

    // Two hours on both replicas, 10 minutes a tick: the muted group is never paged, the other is.
    await walk(clock, [a, b], '2024-04-10 13:50', 10 * MINUTE);
    expect(await pages(billing)).toEqual([]);
    expect(await pages(payouts)).toEqual(['step:0:0', 'step:0:1', 'step:0:2']);
    const beforeEnd = await lastOutboxId();

    // The mute runs out at 14:00: both replicas' jobs, then two more runs at the same instant.
    await walk(clock, [a, b], '2024-04-10 14:00', 10 * MINUTE);
    await Promise.all([refreshSilenceGroups(a.ctx, clock.now()), refreshSilenceGroups(b.ctx, clock.now())]);
    const after = await rowsOf(billing, beforeEnd);
    const ended = threadLines(after).filter((r) => r.payload.text.includes('The silence'));
    expect(ended.map((r) => r.payload.text)).toEqual([
      expect.stringMatching(/^:loud_sound: The silence `service=billing` ended/),
    ]);
    expect(updates(after).length).toBeGreaterThanOrEqual(1);
    for (const u of updates(after)) expect(JSON.stringify(u.payload.blocks)).not.toContain('Silenced until');
    expect(await groupRow(billing)).toEqual({ silence_id: null, silenced_until: null, silenced_by: null });
    expect(
      (await db.pool.query('SELECT ended_shown_at FROM alert_silences WHERE id = 1')).rows[0].ended_shown_at,
    ).toEqual(jst('2024-04-10 14:00'));

    // Escalation resumes where the clock is: every step that fell due meanwhile, once.
    await walk(clock, [a, b], '2024-04-10 14:02');
    expect(await pages(billing)).toEqual(['step:0:0', 'step:0:1', 'step:0:2']);
    const later = await rowsOf(billing, beforeEnd);
    expect(threadLines(later).filter((r) => r.payload.text.includes('The silence'))).toHaveLength(1);
  });

  it('is taken by a group opened while it is in force, at the escalation run, instead of a page', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    expect((await command(a, 'silence service=billing 1h')).reply!.message.text).toContain(
      'Open alert groups showing it: 0.',
    );
    clock.advance(MINUTE);
    const billing = await fire(a.ctx, 'ledger-2', { service: 'billing' });
    const other = await fire(a.ctx, 'other-2', { service: 'payouts' });
    // The intake does not look silences up: the new message does not show it yet.
    expect(JSON.stringify(updates(await rowsOf(billing)))).not.toContain('Silenced');

    const sent = await escalateDue(a.ctx, clock.now());
    expect(sent.map((n) => `${n.groupId}:${n.key}`)).toEqual([`${other}:step:0:0`]);
    expect(await pages(billing)).toEqual([]);
    expect(await groupRow(billing)).toMatchObject({ silence_id: '1', silenced_by: 'U0BBB' });
    const rows = await rowsOf(billing);
    expect(JSON.stringify(updates(rows).at(-1)!.payload.blocks)).toContain('by <@U0BBB>');
    expect(threadLines(rows)).toHaveLength(1);
    // The silence job finds nothing more to show, and escalation still sends nothing.
    expect(await refreshSilenceGroups(a.ctx, clock.now())).toEqual({ ended: [], silenced: [] });
    expect(await escalateDue(a.ctx, clock.now())).toEqual([]);
  });

  it('is taken by a group without an escalation policy through the silence job', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    await command(a, 'silence service=billing 1h');
    clock.advance(MINUTE);
    const billing = await fire(a.ctx, 'ledger-3', { service: 'billing' });
    await a.ctx.pool.query('UPDATE alert_groups SET policy = NULL'); // not an escalation candidate
    expect(await refreshSilenceGroups(a.ctx, clock.now())).toEqual({ ended: [], silenced: [billing] });
    expect(await refreshSilenceGroups(a.ctx, clock.now())).toEqual({ ended: [], silenced: [] });
    expect(threadLines(await rowsOf(billing))).toHaveLength(1);
  });
});

describe('Unsilence on a group showing a /alerts silence', () => {
  it('ends the silence on every group showing it, once', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const one = await fire(a.ctx, 'ledger-4', { service: 'billing' });
    const two = await fire(a.ctx, 'ledger-5', { service: 'billing', env: 'dev' });
    expect((await command(a, 'silence service=billing 4h')).reply!.message.text).toContain(
      'Open alert groups showing it: 2.',
    );
    const before = await lastOutboxId();
    clock.advance(10 * MINUTE);
    const press = () =>
      actions
        .find((x) => x.actionId === ALERT_ACTIONS.unsilence)!
        .run({ actionId: ALERT_ACTIONS.unsilence, value: one, userId: 'U0CCC', locale: 'en' }, a.ctx);
    await press();
    for (const g of [one, two]) {
      expect((await groupRow(g)).silence_id).toBeNull();
      const rows = await rowsOf(g, before);
      expect(threadLines(rows).map((r) => r.payload.text)).toEqual([
        expect.stringMatching(/^:loud_sound: Unsilenced by <@U0CCC>/),
      ]);
      expect(updates(rows)).toHaveLength(1);
    }
    // The job has nothing left to show; a second press is refused as the group shows no silence.
    expect(await refreshSilenceGroups(a.ctx, clock.now())).toEqual({ ended: [], silenced: [] });
    await expect(press()).rejects.toMatchObject({ key: 'alerts.not_silenced' });
  });
});

describe('with ALERTMANAGER_URL', () => {
  it('silences in Alertmanager through the outbox, and Alertmanager groups matching it show it', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, { ALERTMANAGER_URL: 'http://127.0.0.1:9/' });
    const res = await intakeAlerts(a.ctx, {
      source: 'alertmanager',
      body: fixture('alertmanager-firing.json'),
    });
    if (res.status !== 202) throw new Error('intake refused the fixture');
    const disk = res.groups[0]!;
    // A generic alert with the same labels: an Alertmanager silence does nothing to it.
    const generic = await fire(a.ctx, 'disk-generic', { alertname: 'DiskFull', service: 'billing' });
    const genericBefore = await rowsOf(generic);

    const out = await command(a, 'silence alertname=DiskFull 2h');
    expect(out.reply!.message.text).toContain('(Alertmanager)');
    const { rows: creates } = await db.pool.query(
      `SELECT payload FROM outbox WHERE kind = 'alertmanager.silence-create'`,
    );
    expect(creates).toHaveLength(1);
    expect(creates[0].payload.matchers).toEqual([{ name: 'alertname', op: '=', value: 'DiskFull' }]);
    const shown = await rowsOf(disk);
    expect(JSON.stringify(updates(shown).at(-1)!.payload.blocks)).toContain('by <@U0BBB>');
    expect(threadLines(shown).map((r) => r.payload.text)).toEqual([
      expect.stringMatching(/^:mute: Silenced by <@U0BBB> until .*: `alertname=DiskFull`/),
    ]);
    expect(await rowsOf(generic)).toEqual(genericBefore);
    // Nor does the escalation job mute the generic group with it.
    const sent = await escalateDue(a.ctx, clock.now());
    expect(sent.map((n) => n.groupId)).toEqual([generic]);

    // Its time runs out: the message shows the end (Alertmanager expires it by itself).
    clock.advance(2 * 60 * MINUTE);
    expect((await refreshSilenceGroups(a.ctx, clock.now())).ended).toEqual(['1']);
    expect((await groupRow(disk)).silence_id).toBeNull();
    expect(threadLines(await rowsOf(disk)).at(-1)!.payload.text).toMatch(
      /The silence `alertname=DiskFull` ended/,
    );
  });
});

describe('the fan-out cap', () => {
  it(`updates at most ${FANOUT_CAP} messages at once, says so, and the job shows the rest`, async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock);
    const n = FANOUT_CAP + 5;
    // Open groups with messages, written directly: the intake would fold so many into a storm.
    await db.ownerPool.query(
      `INSERT INTO alert_groups (source, group_key, state, opened_at, channel, severity, title, labels,
                                 first_seen, last_seen, has_message, firing_count)
       SELECT 'generic', 'k' || i, 'open', $1, 'C0ALERTS', 'warning', 'Queue ' || i,
              jsonb_build_object('service', 'queues'), $1, $1, true, 1
       FROM generate_series(1, $2) i`,
      [clock.now(), n],
    );
    const out = await command(a, 'silence service=queues 1h');
    expect(out.reply!.message.text).toContain(`It holds ${n} open alert groups: ${FANOUT_CAP} show it now`);
    const count = async () =>
      Number(
        (await db.pool.query(`SELECT count(*) FROM alert_groups WHERE silence_id IS NOT NULL`)).rows[0].count,
      );
    expect(await count()).toBe(FANOUT_CAP);
    clock.advance(MINUTE);
    expect((await refreshSilenceGroups(a.ctx, clock.now())).silenced).toHaveLength(5);
    expect(await count()).toBe(n);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'slack.update' AND payload->>'ref' LIKE 'alert-group:%'`,
    );
    expect(rows[0].n).toBe(n);
  });
});

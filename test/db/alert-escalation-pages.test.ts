// Escalation pages per person (issue 9 items 6 and 8, the outside tester's repro): a burst of groups
// spread over many channels (no channel reaching its storm threshold) used to DM the on-call person
// once per group, hundreds of DMs queued at Slack's ~1 DM/s ahead of any new page. Now each run
// (job tick) writes every group's thread line but ONE DM per person: the group's own DM when one
// group pages them, a digest listing them (worst severity first, at most 10 lines) when several do.
// Two replicas and re-runs write nothing twice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { Config } from '../../src/config/load.ts';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { alertEscalationJob } from '../../src/jobs/alert-escalation.ts';
import { escalateDue } from '../../src/services/alerts/escalation.ts';
import { escalateAllDue } from '../../src/services/alerts/storm-escalation.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { DEMO_USERS } from '../../src/demo/config.ts';
import { escalationDm } from '../../src/views/alert-escalation.ts';
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
    'TRUNCATE alert_notifications, alert_storm_notifications, alert_storms, alerts, alert_groups, alert_payloads, outbox, job_firings RESTART IDENTITY CASCADE',
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
const CHANNELS = 30;
/** The demo configuration with one route per service svc-<i> to channel C0CH<i>. */
function spreadConfig(locale?: 'en' | 'ja'): Config {
  const base = demoConfig();
  const routes = Array.from({ length: CHANNELS }, (_, i) => ({
    match: { service: `svc-${i}` },
    channel: `C0CH${i}`,
    policy: 'default',
  }));
  return { ...base, ...(locale ? { locale } : {}), routes: [...routes, ...base.routes] };
}

function instance(name: string, clock: ManualClock, config: Config): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  // U0LEAD reads English, the others the team's Japanese (demo config).
  const directory = staticDirectory({}, { U0LEAD: 'en' }, {}, Object.keys(DEMO_USERS));
  const ctx: AppContext = { ...testContext(r.pool as Pool), clock, config, directory };
  r.scheduler.register(alertEscalationJob(ctx));
  return { ...r, ctx };
}

/** A firing generic alert for service svc-<i> (so channel C0CH<i>); the group's id. */
async function fire(ctx: AppContext, i: number, severity: string, key = `lag-${i}`): Promise<string> {
  const res = await intakeAlerts(ctx, {
    source: 'generic',
    body: {
      title: `Queue lag ${i}`,
      status: 'firing',
      severity,
      dedup_key: key,
      labels: { service: `svc-${i}` },
    },
  });
  if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
  return res.groups[0]!;
}

interface Row {
  kind: string;
  idempotency_key: string;
  payload: { channel?: string; user?: string; text: string; threadRef?: string; blocks?: unknown[] };
}
async function rows(kind: 'slack.dm' | 'slack.post'): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT kind, idempotency_key, payload FROM outbox WHERE kind = $1 ORDER BY id`,
    [kind],
  );
  // Thread lines only: a group's own message is a slack.post without threadRef.
  return kind === 'slack.post' ? rows.filter((r) => r.payload.threadRef) : rows;
}
const dms = async (user: string) => (await rows('slack.dm')).filter((r) => r.payload.user === user);
const dmText = (r: Row) => JSON.stringify(r.payload.blocks);

describe('one page DM per person per escalation run', () => {
  it('folds 30 groups in 30 channels paging the on-call person into one digest, once across replicas and re-runs', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, spreadConfig());
    const b = instance('b', clock, spreadConfig());
    const groups: string[] = [];
    // Groups 0..26 warning, 27..29 critical: the critical ones must head the digest.
    for (let i = 0; i < CHANNELS; i++) groups.push(await fire(a.ctx, i, i >= 27 ? 'critical' : 'warning'));
    const { rows: shown } = await db.pool.query(
      'SELECT count(*)::int AS n FROM alert_groups WHERE has_message AND channel LIKE $1',
      ['C0CH%'],
    );
    expect(shown[0].n).toBe(CHANNELS); // no storm folded them

    const first = await Promise.all([escalateDue(a.ctx, clock.now()), escalateDue(b.ctx, clock.now())]);
    expect(first.flat()).toHaveLength(CHANNELS);
    expect(new Set(first.flat().map((n) => n.groupId))).toEqual(new Set(groups));

    const threads = await rows('slack.post');
    expect(threads).toHaveLength(CHANNELS);
    expect(new Set(threads.map((r) => r.payload.channel)).size).toBe(CHANNELS);
    expect(threads.every((r) => r.payload.text.includes('<@U0CCC>'))).toBe(true);

    const ccc = await dms('U0CCC');
    expect(ccc).toHaveLength(1);
    expect(await rows('slack.dm')).toHaveLength(1);
    const digest = ccc[0]!;
    expect(digest.payload.text).toContain('30 件');
    const body = dmText(digest);
    // Worst first: the three critical groups (ids 28..30) before any warning one, 10 lines, 20 more.
    const firstWarning = body.indexOf(':large_yellow_circle:');
    for (const id of groups.slice(27)) {
      expect(body).toContain(`#${id} Queue lag`);
      expect(body.indexOf(`#${id} Queue lag`)).toBeLessThan(firstWarning);
    }
    expect(body.match(/Queue lag/g)).toHaveLength(10);
    expect(body).toContain('ほか 20 件');
    expect(body).toContain('/alerts mine');

    // A re-run and a second replica at the same instant: nothing more.
    const again = await Promise.all([escalateDue(a.ctx, clock.now()), escalateDue(b.ctx, clock.now())]);
    expect(again.flat()).toEqual([]);
    expect(await rows('slack.dm')).toHaveLength(1);
    expect(await rows('slack.post')).toHaveLength(CHANNELS);

    // Step 2 (U0LEAD, 5 minutes on), through both replicas' schedulers ticking together: one digest
    // to U0LEAD, none more to U0CCC.
    clock.advance(5 * MINUTE);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(await dms('U0CCC')).toHaveLength(1);
    const lead = await dms('U0LEAD');
    expect(lead).toHaveLength(1);
    // In U0LEAD's language, not the team's.
    expect(lead[0]!.payload.text).toBe(':rotating_light: You are paged for 30 alerts at once:');
    expect(dmText(lead[0]!)).toContain('escalation step 2');
    expect(dmText(lead[0]!)).toContain('… and 20 more');
    expect(await rows('slack.post')).toHaveLength(2 * CHANNELS);
    const { rows: recorded } = await db.pool.query('SELECT count(*)::int AS n FROM alert_notifications');
    expect(recorded[0].n).toBe(2 * CHANNELS);
  });

  it('keeps the single DM when one group pages the person', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, spreadConfig());
    const group = await fire(a.ctx, 3, 'critical');
    expect((await escalateDue(a.ctx, clock.now())).map((n) => n.key)).toEqual(['step:0:0']);
    const ccc = await dms('U0CCC');
    expect(ccc).toHaveLength(1);
    expect(ccc[0]!.idempotency_key).toBe(`alert-group:${group}:step:0:0:dm:U0CCC`);
    expect(ccc[0]!.payload.text).toBe(escalationDm(1, 'Queue lag 3', 'C0CH3', 'ja').text);
  });

  it('says the digest in the configured language, without a "more" line when all fit', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, spreadConfig('en'));
    const groups = [
      await fire(a.ctx, 1, 'info'),
      await fire(a.ctx, 2, 'error'),
      await fire(a.ctx, 3, 'error'),
    ];
    await escalateDue(a.ctx, clock.now());
    const ccc = await dms('U0CCC');
    expect(ccc).toHaveLength(1);
    expect(ccc[0]!.payload.text).toBe(':rotating_light: You are paged for 3 alerts at once:');
    const body = dmText(ccc[0]!);
    // error #2, error #3, then info #1; each with its channel and step.
    const at = groups.map((id) => body.indexOf(`#${id} Queue lag`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at[1]).toBeLessThan(at[2]!);
    expect(at[2]).toBeLessThan(at[0]!);
    expect(body).toContain('<#C0CH2>: escalation step 1');
    expect(body).not.toContain('more');
  });
});

// The outside tester's second repro: storms paged apart from the digest (one DM per storm per
// step, on top of the digest), and `notify: channel` pinging the channel with <!here> once per group.
describe('one page DM per person per run, storms included; one <!here> per channel per run', () => {
  it('folds 10 groups in one channel and 2 storms in two others into one digest, and pings each channel once', async () => {
    const clock = new ManualClock(jst('2024-04-10 12:00'));
    const a = instance('a', clock, spreadConfig('en'));
    const b = instance('b', clock, spreadConfig('en'));
    // Channel C0CH0: 10 groups (the storm threshold is more than 10: all posted on their own).
    const plain: string[] = [];
    for (let k = 0; k < 10; k++) plain.push(await fire(a.ctx, 0, 'warning', `plain-${k}`));
    // Channels C0CH1 and C0CH2: 12 groups each, the first 10 posted, the 11th on folded into a storm.
    for (const i of [1, 2])
      for (let k = 0; k < 12; k++) await fire(a.ctx, i, k === 11 ? 'critical' : 'error', `st-${i}-${k}`);
    const { rows: storms } = await db.pool.query<{ id: string; channel: string }>(
      'SELECT id::text, channel FROM alert_storms ORDER BY id',
    );
    expect(storms.map((s) => s.channel)).toEqual(['C0CH1', 'C0CH2']);
    const { rows: posted } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM alert_groups WHERE has_message',
    );
    expect(posted[0]!.n).toBe(30);

    // Step 1 (the on-call U0CCC) on two replicas at once: ONE DM, listing the storms first.
    const first = await Promise.all([escalateAllDue(a.ctx, clock.now()), escalateAllDue(b.ctx, clock.now())]);
    expect(first.flatMap((r) => r.groups)).toHaveLength(30);
    expect(
      first
        .flatMap((r) => r.storms)
        .map((n) => n.stormId)
        .sort(),
    ).toEqual(storms.map((s) => s.id));
    expect(await rows('slack.dm')).toHaveLength(1);
    const ccc = await dms('U0CCC');
    expect(ccc).toHaveLength(1);
    expect(ccc[0]!.payload.text).toBe(':rotating_light: You are paged for 32 alerts at once:');
    const body = dmText(ccc[0]!);
    const stormAt = ['C0CH1', 'C0CH2'].map((c) => body.indexOf(`Storm in <#${c}>: 2 open groups, worst #`));
    expect(stormAt.every((i) => i >= 0)).toBe(true);
    expect(body.indexOf(`#${plain[0]} Queue lag 0 in <#C0CH0>`)).toBeLessThan(0); // beyond the 10 lines
    expect(Math.max(...stormAt)).toBeLessThan(body.indexOf('escalation step 1\\n:large_orange_circle:'));
    expect(body).toContain('… and 22 more');
    // Every thread line is written once: 30 groups' and 2 storms'.
    expect(await rows('slack.post')).toHaveLength(32);

    // A re-run on both replicas at the same instant: nothing more.
    const again = await Promise.all([escalateAllDue(a.ctx, clock.now()), escalateAllDue(b.ctx, clock.now())]);
    expect(again.flatMap((r) => [...r.groups, ...r.storms])).toEqual([]);
    expect(await rows('slack.dm')).toHaveLength(1);
    expect(await rows('slack.post')).toHaveLength(32);

    // Step 2 (U0LEAD at 5 minutes), through both replicas' jobs: one DM to U0LEAD, the storms in it.
    clock.advance(5 * MINUTE);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const lead = await dms('U0LEAD');
    expect(lead).toHaveLength(1);
    expect(dmText(lead[0]!)).toContain('Storm in <#C0CH1>: 2 open groups');
    expect(dmText(lead[0]!)).toContain('Storm in <#C0CH2>: 2 open groups');
    expect(await dms('U0CCC')).toHaveLength(1);

    // Step 3 (`notify: channel`, at 15 minutes): one <!here> per channel for the run.
    clock.advance(10 * MINUTE);
    const before = (await rows('slack.post')).length;
    const third = await Promise.all([escalateAllDue(a.ctx, clock.now()), escalateAllDue(b.ctx, clock.now())]);
    expect(third.flatMap((r) => r.groups)).toHaveLength(30);
    expect(third.flatMap((r) => r.storms)).toHaveLength(2);
    const lines = (await rows('slack.post')).slice(before);
    expect(lines).toHaveLength(32);
    for (const channel of ['C0CH0', 'C0CH1', 'C0CH2']) {
      const inChannel = lines.filter((r) => r.payload.channel === channel);
      expect(inChannel.filter((r) => r.payload.text.includes('<!here>'))).toHaveLength(1);
      expect(inChannel.length).toBeGreaterThan(1);
    }
    // In C0CH0 the lowest group carries it; the others point to it.
    const ch0 = lines.filter((r) => r.payload.channel === 'C0CH0');
    expect(ch0[0]!.payload.threadRef).toBe(`alert-group:${plain[0]}`);
    expect(ch0[0]!.payload.text).toContain('<!here>');
    for (const r of ch0.slice(1)) expect(r.payload.text).toContain(`(@here above, with #${plain[0]})`);
    // In a storm's channel the storm's line (written first) carries it.
    const ch1 = lines.filter((r) => r.payload.channel === 'C0CH1');
    expect(ch1[0]!.payload.threadRef).toBe(`alert-storm:${storms[0]!.id}`);
    expect(ch1[0]!.payload.text).toContain('<!here>');
    expect(ch1[1]!.payload.text).toContain('(@here above, with the storm summary)');
    // No DM for a channel step; a re-run writes nothing.
    expect(await rows('slack.dm')).toHaveLength(2);
    const last = await Promise.all([escalateAllDue(a.ctx, clock.now()), escalateAllDue(b.ctx, clock.now())]);
    expect(last.flatMap((r) => [...r.groups, ...r.storms])).toEqual([]);
    expect(await rows('slack.post')).toHaveLength(before + 32);
  });
});

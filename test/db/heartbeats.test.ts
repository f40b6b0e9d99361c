// Heartbeats, running (issue 9 item 9) against PostgreSQL over real HTTP: the demo's nightly-batch
// (every 24h, grace 30m) is checked every minute by two replicas; when late, one alert group is
// opened (once); the next POST /hooks/heartbeat/nightly-batch answers 204 and resolves it; a later
// late period opens a new group. An unknown name is 404, a missing or wrong token 401.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { heartbeatJob } from '../../src/jobs/heartbeats.ts';
import { startIntakeServer, type IntakeServer } from '../helpers/alert-intake.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { replicaFactory, type Replica } from '../helpers/scheduler.ts';

const TOKEN = 'test-alert-token-0123456789';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let db: TestDatabase;
const replicas = replicaFactory(() => db);
let servers: IntakeServer[] = [];

beforeAll(async () => {
  db = await freshDatabase();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE heartbeats, alert_notifications, alerts, alert_groups, alert_payloads, outbox, job_firings RESTART IDENTITY CASCADE',
  );
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await replicas.stopAll();
});
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

function instance(name: string, clock: ManualClock): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  const ctx: AppContext = { ...testContext(r.pool as Pool), clock };
  r.scheduler.register(heartbeatJob(ctx));
  return { ...r, ctx };
}

async function server(ctx: AppContext): Promise<IntakeServer> {
  const s = await startIntakeServer(ctx, TOKEN);
  servers.push(s);
  return s;
}

async function beat(
  s: IntakeServer,
  name: string,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
) {
  const res = await fetch(`${s.url}/hooks/heartbeat/${name}`, { method: 'POST', headers });
  await res.text();
  return res.status;
}

async function tickAt(clock: ManualClock, xs: Replica[], at: Date): Promise<void> {
  clock.set(at);
  await Promise.all(xs.map((x) => x.scheduler.tick()));
}

async function groups() {
  const { rows } = await db.pool.query<{
    state: string;
    group_key: string;
    opened_at: Date;
    channel: string;
  }>('SELECT state, group_key, opened_at, channel FROM alert_groups ORDER BY id');
  return rows;
}

describe('a late heartbeat', () => {
  it('opens one alert group when late, and the next beat resolves it', async () => {
    const t0 = new Date('2024-04-10T00:00:00Z');
    const clock = new ManualClock(t0);
    const a = instance('a', clock);
    const b = instance('b', clock);
    const s = await server(a.ctx);
    await tickAt(clock, [a, b], t0); // starts watching
    expect(await beat(s, 'nightly-batch')).toBe(204);
    const lastBeat = clock.now();

    // 24h + 30m after the beat it is late; every minute after, still late: one group.
    await tickAt(clock, [a, b], new Date(lastBeat.getTime() + 24 * HOUR + 29 * MINUTE));
    expect(await groups()).toEqual([]);
    for (let m = 30; m <= 33; m++)
      await tickAt(clock, [a, b], new Date(lastBeat.getTime() + 24 * HOUR + m * MINUTE));
    const late = await groups();
    expect(late).toEqual([
      {
        state: 'open',
        group_key: 'heartbeat:nightly-batch',
        opened_at: expect.any(Date),
        channel: 'C0ALERTS',
      },
    ]);
    const { rows: posts } = await db.pool.query(`SELECT 1 FROM outbox WHERE kind = 'slack.post'`);
    expect(posts).toHaveLength(1);

    clock.advance(5 * MINUTE);
    expect(await beat(s, 'nightly-batch')).toBe(204);
    expect((await groups()).map((g) => g.state)).toEqual(['resolved']);
    // A second beat changes nothing more.
    expect(await beat(s, 'nightly-batch')).toBe(204);
    expect((await groups()).map((g) => g.state)).toEqual(['resolved']);

    // The next late period is a new group.
    await tickAt(clock, [a, b], new Date(clock.now().getTime() + 25 * HOUR));
    expect((await groups()).map((g) => g.state)).toEqual(['resolved', 'open']);
  });

  it('counts from when toban started watching when it never beat', async () => {
    const t0 = new Date('2024-04-10T00:00:00Z');
    const clock = new ManualClock(t0);
    const a = instance('a', clock);
    await tickAt(clock, [a], t0);
    await tickAt(clock, [a], new Date(t0.getTime() + 24 * HOUR + 29 * MINUTE));
    expect(await groups()).toEqual([]);
    await tickAt(clock, [a], new Date(t0.getTime() + 24 * HOUR + 30 * MINUTE));
    expect((await groups()).map((g) => g.state)).toEqual(['open']);
  });
});

describe('POST /hooks/heartbeat/:name', () => {
  it('answers 404 for an unknown name and 401 without the token, storing nothing', async () => {
    const clock = new ManualClock(new Date('2024-04-10T00:00:00Z'));
    const s = await server({ ...testContext(db.pool), clock });
    expect(await beat(s, 'no-such-batch')).toBe(404);
    expect(await beat(s, 'nightly-batch', {})).toBe(401);
    expect(await beat(s, 'nightly-batch', { authorization: 'Bearer wrong-token' })).toBe(401);
    expect(await beat(s, 'no-such-batch', { authorization: 'Bearer wrong-token' })).toBe(401);
    const { rows } = await db.pool.query('SELECT name FROM heartbeats');
    expect(rows).toEqual([]);
    expect(await beat(s, 'nightly-batch')).toBe(204);
    const { rows: after } = await db.pool.query<{ name: string; last_beat_at: Date }>(
      'SELECT name, last_beat_at FROM heartbeats',
    );
    expect(after).toEqual([{ name: 'nightly-batch', last_beat_at: clock.now() }]);
  });
});

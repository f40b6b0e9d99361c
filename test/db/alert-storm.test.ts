// Storm summaries against real PostgreSQL (issue 9 item 8): a burst of new groups in one channel is
// folded into one summary post, updated a bounded number of times, with every group counted and
// listed; a quiet channel, and the same channel once the storm is over, get one post per group.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { refreshStormSummaries } from '../../src/services/alerts/storm.ts';
import {
  STORM_REFRESH_MS,
  STORM_THRESHOLD,
  STORM_WINDOW_MS,
  idRanges,
} from '../../src/domain/alert-storm.ts';

let db: TestDatabase;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  db = await freshDatabase();
  ctx = testContext(db.pool);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query(
    `DELETE FROM outbox; DELETE FROM alerts; DELETE FROM alert_groups; DELETE FROM alert_payloads;
     DELETE FROM alert_storms`,
  );
  ctx.clock.set(new Date('2024-04-10T01:00:00Z'));
});

let seq = 0;
/** One generic alert opening a group of its own (services other than billing go to C0ALERTS). */
function alert(service: string, severity = 'error') {
  seq += 1;
  return {
    title: `Disk full ${seq}`,
    status: 'firing',
    severity,
    dedup_key: `storm-${seq}`,
    labels: { service },
  };
}

async function fire(body: unknown) {
  const r = await intakeAlerts(ctx, { source: 'generic', body });
  expect(r.status).toBe(202);
}

/** Sends `n` alerts with `inFlight` requests at a time, moving the clock `stepMs` per request. */
async function burst(n: number, make: (i: number) => unknown, inFlight = 16, stepMs = 0) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = next++;
        if (stepMs) ctx.clock.advance(stepMs);
        await fire(make(i));
      }
    }),
  );
}

interface Row {
  id: string;
  kind: string;
  state: string;
  payload: { channel?: string; ref?: string; threadRef?: string; text: string; blocks?: unknown[] };
  idempotency_key: string;
}
async function outbox(): Promise<Row[]> {
  return (
    await db.pool.query<Row>('SELECT id::text, kind, state, payload, idempotency_key FROM outbox ORDER BY id')
  ).rows;
}
/** What the outbox worker would do: every pending row delivered. */
async function deliverAll() {
  await db.ownerPool.query(`UPDATE outbox SET state = 'delivered' WHERE state = 'pending'`);
}
async function groupsOf(channel: string) {
  return (
    await db.pool.query<{ id: string; storm_id: string | null; has_message: boolean }>(
      'SELECT id::text, storm_id::text, has_message FROM alert_groups WHERE channel = $1 ORDER BY id',
      [channel],
    )
  ).rows;
}
const textOf = (r: Row) => JSON.stringify(r.payload.blocks);

describe('a storm of new groups in one channel', () => {
  it('posts one summary, updates it a bounded number of times, and counts every group', async () => {
    // 500 groups over about 10 s, 16 requests at a time, the summary job running every 5 s.
    let refreshes = 0;
    let nextRefresh = ctx.clock.now().getTime() + STORM_REFRESH_MS;
    await burst(500, () => alert(`svc-${seq % 3}`, seq % 7 === 0 ? 'critical' : 'error'), 16, 20);
    // The job's ticks, as they would have come, and the worker delivering between them.
    const end = ctx.clock.now().getTime() + STORM_WINDOW_MS + STORM_REFRESH_MS;
    for (; nextRefresh <= end; nextRefresh += STORM_REFRESH_MS) {
      ctx.clock.set(new Date(nextRefresh));
      refreshes += (await refreshStormSummaries(ctx, ctx.clock.now())).length;
      await deliverAll();
    }

    const groups = await groupsOf('C0ALERTS');
    expect(groups).toHaveLength(500);
    const rows = await outbox();
    const posts = rows.filter((r) => r.kind === 'slack.post');
    const stormPosts = posts.filter((r) => r.payload.ref?.startsWith('alert-storm:'));
    const groupPosts = posts.filter((r) => r.payload.ref?.startsWith('alert-group:'));
    expect(stormPosts).toHaveLength(1);
    expect(groupPosts).toHaveLength(STORM_THRESHOLD);
    // Every group is posted on its own or folded into the storm, never both.
    const posted = new Set(groupPosts.map((r) => r.payload.ref!.slice('alert-group:'.length)));
    const folded = groups.filter((g) => g.storm_id !== null);
    expect(posted.size + folded.length).toBe(500);
    for (const g of folded) expect(posted.has(g.id)).toBe(false);
    expect(folded.every((g) => !g.has_message)).toBe(true);
    // The summary's updates: at most one per refresh, the last one saying the storm is over.
    const updates = rows.filter((r) => r.kind === 'slack.update');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(refreshes);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil((10_000 + STORM_WINDOW_MS) / STORM_REFRESH_MS) + 1);
    const last = updates.at(-1)!;
    expect(last.idempotency_key).toMatch(/:over$/);
    expect(last.payload.text).toContain(`${folded.length}`);
    // Every folded group's id is in the last summary (as ids or ranges of ids).
    for (const range of idRanges(folded.map((g) => g.id))) expect(textOf(last)).toContain(range);
    const storm = await db.pool.query<{ group_count: number }>('SELECT group_count FROM alert_storms');
    expect(storm.rows).toEqual([{ group_count: folded.length }]);
    // Nothing for any group's own message, not even an update of a folded group.
    expect(updates.every((r) => r.payload.ref?.startsWith('alert-storm:'))).toBe(true);
  });

  it('writes no update while the previous message of the storm is still in the outbox', async () => {
    await burst(STORM_THRESHOLD + 5, () => alert('svc'));
    ctx.clock.advance(STORM_REFRESH_MS);
    await fire(alert('svc'));
    ctx.clock.advance(STORM_REFRESH_MS);
    // The summary's post has not been delivered: the update waits, however many groups came.
    expect(await refreshStormSummaries(ctx, ctx.clock.now())).toEqual([]);
    await deliverAll();
    expect(await refreshStormSummaries(ctx, ctx.clock.now())).toHaveLength(1);
    // Nothing new since: no second update.
    ctx.clock.advance(STORM_REFRESH_MS);
    await deliverAll();
    expect(await refreshStormSummaries(ctx, ctx.clock.now())).toEqual([]);
  });

  it('posts the next group on its own once the storm is over', async () => {
    await burst(STORM_THRESHOLD + 20, () => alert('svc'));
    ctx.clock.advance(STORM_WINDOW_MS);
    await fire(alert('svc'));
    const groups = await groupsOf('C0ALERTS');
    const lastGroup = groups.at(-1)!;
    expect(lastGroup.storm_id).toBeNull();
    expect(lastGroup.has_message).toBe(true);
    const posts = (await outbox()).filter((r) => r.kind === 'slack.post');
    expect(posts.at(-1)!.payload.ref).toBe(`alert-group:${lastGroup.id}`);
  });
});

describe('a quiet channel', () => {
  it('gets one post per group, also while another channel storms', async () => {
    await burst(100, () => alert('svc'));
    for (let i = 0; i < STORM_THRESHOLD; i++) await fire(alert('billing'));
    const finance = await groupsOf('C0FINANCE');
    expect(finance).toHaveLength(STORM_THRESHOLD);
    expect(finance.every((g) => g.storm_id === null && g.has_message)).toBe(true);
    const posts = (await outbox()).filter(
      (r) => r.kind === 'slack.post' && r.payload.channel === 'C0FINANCE',
    );
    expect(posts.map((r) => r.payload.ref)).toEqual(finance.map((g) => `alert-group:${g.id}`));
    expect(await db.pool.query('SELECT 1 FROM alert_storms WHERE channel = $1', ['C0FINANCE'])).toMatchObject(
      {
        rowCount: 0,
      },
    );
  });
});

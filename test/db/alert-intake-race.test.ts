// Deliveries naming the same alert key, racing (found by the alert fuzz over HTTP, 16 requests in
// flight, and by an outside test with two replicas): they are serialized per key (db/alerts.ts
// storePayloadLockingKeys), so each sees what the one before it committed. Before that, two resolves of a
// never-seen alert each opened a hidden group (one left empty), and a firing and a resolve of a
// never-seen alert split it across an open, paged group and a resolved one. The races are made
// deterministic here: the first delivery's transaction is held just before its alerts statement,
// the second is sent, and only then is the first let go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** `pool`, whose clients wait for `gate` before the statement that inserts alerts; `reached` says they got there. */
function heldBeforeAlerts(pool: Pool, gate: Promise<void>, reached: () => void): Pool {
  return new Proxy(pool, {
    get(target, p) {
      if (p !== 'connect') {
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return async () => {
        const client = await target.connect();
        return new Proxy(client, {
          get(c, q) {
            const v = Reflect.get(c, q) as unknown;
            if (q !== 'query')
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(c) : v;
            return async (sql: string | { text: string }, ...rest: unknown[]) => {
              const text = typeof sql === 'string' ? sql : sql.text;
              if (/INSERT INTO alerts\b/.test(text)) {
                reached();
                await gate;
              }
              return (c.query as (...a: unknown[]) => unknown)(sql, ...rest);
            };
          },
        });
      };
    },
  });
}

/** Waits until some backend waits for an advisory lock (a delivery queued behind another). */
async function someoneWaitsForAKey(): Promise<void> {
  for (;;) {
    const { rows } = await db.ownerPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs delivery `first` held before its alerts statement, sends `second` meanwhile, and lets the
 * first go once the second either finished (no serialization: the race) or waits for the key.
 */
async function race(first: unknown, second: unknown): Promise<void> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let reached!: () => void;
  const atAlerts = new Promise<void>((r) => (reached = r));
  const held = intakeAlerts(testContext(heldBeforeAlerts(db.pool, gate, reached)), {
    source: 'generic',
    body: first,
  });
  await atAlerts;
  const next = intakeAlerts(testContext(db.pool), { source: 'generic', body: second });
  await Promise.race([next, someoneWaitsForAKey()]);
  open();
  expect(await held).toMatchObject({ status: 202, accepted: 1 });
  expect(await next).toMatchObject({ status: 202, accepted: 1 });
}

const groupsOf = async (key: string) =>
  (
    await db.pool.query<{ state: string; has_message: boolean; alerts: string[] }>(
      `SELECT g.state, g.has_message,
              (SELECT coalesce(array_agg(a.status ORDER BY a.id), '{}') FROM alerts a WHERE a.group_id = g.id) AS alerts
       FROM alert_groups g WHERE g.group_key = $1 ORDER BY g.id`,
      [key],
    )
  ).rows;

const resolved = (key: string) => ({
  title: 'Nightly ledger export failed',
  status: 'resolved',
  dedup_key: key,
  labels: { service: 'ledger' },
  starts_at: '2026-11-20T18:05:00+09:00',
  ends_at: '2026-11-20T18:40:00+09:00',
});
const firing = (key: string) => ({
  ...resolved(key),
  status: 'firing',
  ends_at: undefined,
});

describe('racing deliveries of one alert key', () => {
  it('two resolves of a never-seen alert leave one group holding the alert and no empty group', async () => {
    await race(resolved('race-rr'), resolved('race-rr'));
    expect(await groupsOf('race-rr')).toEqual([
      { state: 'resolved', has_message: false, alerts: ['resolved'] },
    ]);
    // Both deliveries are kept as receipts.
    const payloads = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alert_payloads WHERE body->>'dedup_key' = 'race-rr'`,
    );
    expect(payloads.rows[0]!.n).toBe(2);
  });

  it('a firing and its resolve of a never-seen alert end in one group, resolved (not one open, one hidden)', async () => {
    await race(firing('race-fr'), resolved('race-fr'));
    expect(await groupsOf('race-fr')).toEqual([
      { state: 'resolved', has_message: true, alerts: ['resolved'] },
    ]);
  });

  it('a resolve and a late firing of a never-seen alert end resolved, in one hidden group', async () => {
    await race(resolved('race-rf'), firing('race-rf'));
    expect(await groupsOf('race-rf')).toEqual([
      { state: 'resolved', has_message: false, alerts: ['resolved'] },
    ]);
  });

  it('a repeat of the firing racing the resolve of an open group posts nothing new', async () => {
    expect(
      await intakeAlerts(testContext(db.pool), { source: 'generic', body: firing('race-open') }),
    ).toMatchObject({
      status: 202,
    });
    await race(resolved('race-open'), firing('race-open'));
    await race(firing('race-open'), resolved('race-open'));
    expect(await groupsOf('race-open')).toEqual([
      { state: 'resolved', has_message: true, alerts: ['resolved'] },
    ]);
    const posts = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'slack.post' AND payload->>'ref' IS NOT NULL
         AND ordering_key IN (SELECT 'alert-group:' || id FROM alert_groups WHERE group_key = 'race-open')`,
    );
    expect(posts.rows[0]!.n).toBe(1);
  });

  it('twenty keys, each fired and resolved at once by separate connections, end one resolved group each', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `race-many-${i}`);
    await Promise.all(
      keys.flatMap((k) => [
        intakeAlerts(testContext(db.pool), { source: 'generic', body: firing(k) }),
        intakeAlerts(testContext(db.pool), { source: 'generic', body: resolved(k) }),
      ]),
    );
    const { rows } = await db.pool.query<{ key: string; groups: number; open: number }>(
      `SELECT group_key AS key, count(*)::int AS groups, count(*) FILTER (WHERE state = 'open')::int AS open
       FROM alert_groups WHERE group_key LIKE 'race-many-%' GROUP BY group_key ORDER BY group_key`,
    );
    expect(rows).toEqual(keys.sort().map((key) => ({ key, groups: 1, open: 0 })));
  });
});

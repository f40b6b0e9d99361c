// Two deliveries of the same resolve, for an alert toban has never stored, racing (found by the alert
// fuzz over HTTP, 16 requests in flight): each opens a hidden resolved group for the key (no unique
// index covers resolved groups), and when the first commits between the second's openGroups and its
// upsertAlerts, the second's alert goes to the first's group and its own group is left empty. The
// race is made deterministic here: the second delivery's transaction is held just before its alerts
// statement while the first runs to COMMIT.
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

describe('two racing deliveries of a resolve toban has never seen', () => {
  it('leave one group holding the alert and no empty group', async () => {
    const body = {
      title: 'Nightly ledger export failed',
      status: 'resolved',
      dedup_key: 'ledger-export-race',
      labels: { service: 'ledger' },
      ends_at: '2026-11-20T18:40:00+09:00',
    };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reached!: () => void;
    const atAlerts = new Promise<void>((r) => (reached = r));
    const second = intakeAlerts(testContext(heldBeforeAlerts(db.pool, gate, reached)), {
      source: 'generic',
      body,
    });
    await atAlerts; // the second has opened its group and waits before its alerts
    expect(await intakeAlerts(testContext(db.pool), { source: 'generic', body })).toMatchObject({
      status: 202,
      accepted: 1,
    });
    open();
    expect(await second).toMatchObject({ status: 202, accepted: 1 });

    const { rows } = await db.pool.query<{ state: string; alerts: number }>(
      `SELECT g.state, (SELECT count(*)::int FROM alerts a WHERE a.group_id = g.id) AS alerts
       FROM alert_groups g WHERE g.group_key = 'ledger-export-race' ORDER BY g.id`,
    );
    expect(rows).toEqual([{ state: 'resolved', alerts: 1 }]);
    // Both deliveries are kept as receipts.
    const payloads = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_payloads`);
    expect(payloads.rows[0]!.n).toBe(2);
  });
});

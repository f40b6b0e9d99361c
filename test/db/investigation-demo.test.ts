// The demo's investigation requests: a few open ones, assigned to whoever is on duty, loaded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInvestigationsDemo } from '../../src/demo/investigations.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

describe('demo investigation requests', () => {
  it('files three requests due after now (one taken), and loading twice adds nothing', async () => {
    // Friday 2024-04-26 11:00 in Tokyo: the next business days are Tue 30 Apr (after 昭和の日), 1 and 2 May.
    const ctx = testContext(db.ownerPool);
    ctx.clock.set('2024-04-26T02:00:00Z');
    expect(await loadInvestigationsDemo(ctx)).toBe(3);
    expect(await loadInvestigationsDemo(ctx)).toBe(0);
    const { rows } = await db.pool.query(
      `SELECT id::int, assignee, status, deadline FROM investigations ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 1, assignee: 'U0EEE', status: 'open', deadline: new Date('2024-04-30T09:00:00Z') },
      { id: 2, assignee: 'U0DDD', status: 'taken', deadline: new Date('2024-05-01T09:00:00Z') },
      { id: 3, assignee: 'U0EEE', status: 'open', deadline: new Date('2024-05-02T09:00:00Z') },
    ]);
    const ev = await db.pool.query(
      `SELECT investigation_id::int AS id, what FROM investigation_events ORDER BY id`,
    );
    expect(ev.rows).toEqual([
      { id: 1, what: 'filed' },
      { id: 2, what: 'filed' },
      { id: 2, what: 'taken' },
      { id: 3, what: 'filed' },
    ]);
  });
});

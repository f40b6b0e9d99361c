import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

describe('migrations', () => {
  it('creates the outbox and the firing table', async () => {
    const { rows } = await db.pool.query(
      `SELECT to_regclass('outbox') AS o, to_regclass('job_firings') AS j`,
    );
    expect(rows[0]).toEqual({ o: 'outbox', j: 'job_firings' });
  });

  it('refuses to change or delete an audit row', async () => {
    await db.pool.query(
      `INSERT INTO audit_log (actor, action, outcome) VALUES ('U1', 'ledger.balance', 'allowed')`,
    );
    await expect(db.pool.query(`UPDATE audit_log SET actor = 'U2'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});

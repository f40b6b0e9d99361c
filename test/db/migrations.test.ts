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

  it('refuses to change or delete an audit row, even for the owner', async () => {
    await db.pool.query(
      `INSERT INTO audit_log (actor, action, outcome) VALUES ('U1', 'ledger.balance', 'allowed')`,
    );
    await expect(db.ownerPool.query(`UPDATE audit_log SET actor = 'U2'`)).rejects.toThrow(/append-only/);
    await expect(db.ownerPool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('leaves the bot no table it owns and no superuser power', async () => {
    const { rows } = await db.pool.query<{ owned: string; superuser: boolean }>(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('public', 'ledger', 'sales')
                  AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    expect(rows[0]).toEqual({ owned: '0', superuser: false });
  });
});

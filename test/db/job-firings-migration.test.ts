// Migration 0220 (leases for scheduled firings) on rows the earlier scheduler wrote, and back down.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, '0220_job_firing_leases.sql'), 'utf8');
const [up, down] = sql.split('-- Down Migration');

describe('migration 0220_job_firing_leases', () => {
  it('gives rows of the earlier scheduler a state, and a lease to one cut off mid-run', async () => {
    await db.ownerPool.query(down!);
    await db.ownerPool.query(
      `INSERT INTO job_firings (job, fire_at, claimed_by, claimed_at, finished_at, error) VALUES
         ('j', '2024-04-10T01:00:00Z', 'a', '2024-04-10T01:00:01Z', '2024-04-10T01:00:02Z', NULL),
         ('j', '2024-04-10T02:00:00Z', 'a', '2024-04-10T02:00:01Z', '2024-04-10T02:00:02Z', 'boom'),
         ('j', '2024-04-10T03:00:00Z', 'a', '2024-04-10T04:00:00Z', '2024-04-10T04:00:00Z', 'skipped: 3600000 ms late'),
         ('j', '2024-04-10T05:00:00Z', 'a', '2024-04-10T05:00:01Z', NULL, NULL)`,
    );
    await db.ownerPool.query(up!.replace('-- Up Migration', ''));

    const { rows } = await db.ownerPool.query(
      `SELECT to_char(fire_at AT TIME ZONE 'UTC', 'HH24:MI') AS at, state, attempts,
              to_char(next_attempt_at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS next
       FROM job_firings ORDER BY fire_at`,
    );
    expect(rows).toEqual([
      { at: '01:00', state: 'succeeded', attempts: 1, next: null },
      { at: '02:00', state: 'failed', attempts: 1, next: null },
      { at: '03:00', state: 'skipped', attempts: 0, next: null },
      { at: '05:00', state: 'running', attempts: 1, next: '05:10:01' },
    ]);
    // An insert without a state (the earlier code) is refused.
    await expect(
      db.ownerPool.query(`INSERT INTO job_firings (job, fire_at, claimed_by) VALUES ('j', now(), 'old')`),
    ).rejects.toThrow(/state/);
  });
});

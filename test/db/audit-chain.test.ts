// The audit log against its own bot (issue 7, fault 5): the bot may only append the caller's
// columns; the time, the position and the hashes are the database's; the rows form one hash chain,
// also under concurrent appends; verify recomputes it and names the first row that was tampered with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/db/audit.ts';
import { verifyAuditChain } from '../../src/db/audit-chain.ts';
import { createPool } from '../../src/db/pool.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

async function appendSome(d: TestDatabase, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await audit(d.pool, {
      actor: `U${i}`,
      action: i % 2 ? 'ledger.balance' : 'sales.month',
      // Text that a naive canonical form would get wrong: separators, non-ASCII, nesting, numbers.
      args: { text: `売掛金\n2024-03-31 ${i}`, nested: { b: [1, 2.5, 'x'], a: null }, n: 10 ** 20 },
      outcome: i % 3 ? 'allowed' : 'refused',
      rowCount: i % 4 ? i : undefined,
      detail: i % 5 ? `detail:${i}\n-` : undefined,
    });
}

describe('the bot role on audit_log', () => {
  it('may append a row and gets the database time, position and hash', async () => {
    const before = new Date();
    await audit(db.pool, { actor: 'U0FIN1', action: 'ledger.balance', outcome: 'allowed' });
    const { rows } = await db.pool.query<{ at: Date; seq: string; hash: Buffer }>(
      `SELECT at, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    expect(rows[0]!.seq).toBe('1');
    expect(rows[0]!.hash).toHaveLength(32);
    expect(rows[0]!.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 60_000);
  });

  it.each([
    ['delete rows', `DELETE FROM audit_log`],
    ['update rows', `UPDATE audit_log SET detail = 'x'`],
    ['truncate', `TRUNCATE audit_log`],
    ['disable the triggers', `ALTER TABLE audit_log DISABLE TRIGGER ALL`],
    ['disable the chain trigger', `ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`],
    ['drop the append-only trigger', `DROP TRIGGER audit_log_no_change ON audit_log`],
    [
      'back-date a row',
      `INSERT INTO audit_log (actor, action, outcome, at) VALUES ('U1', 'x', 'allowed', '2020-01-01')`,
    ],
    [
      'choose the id',
      `INSERT INTO audit_log (id, actor, action, outcome) VALUES (999, 'U1', 'x', 'allowed')`,
    ],
    [
      'choose the hash',
      `INSERT INTO audit_log (actor, action, outcome, hash) VALUES ('U1', 'x', 'allowed', '\\x00')`,
    ],
    ['move the chain head', `UPDATE audit_chain_head SET seq = 0`],
    [
      'replace the chain function',
      `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    ],
  ])('may not %s', async (_what, sql) => {
    await expect(db.pool.query(sql)).rejects.toThrow(/permission denied|must be owner/);
  });

  it('cannot back-date even as the owner: the database sets the time', async () => {
    await db.ownerPool.query(
      `INSERT INTO audit_log (actor, action, outcome, at) VALUES ('OWNER', 'x', 'allowed', '2020-01-01')`,
    );
    const { rows } = await db.pool.query<{ at: Date }>(`SELECT at FROM audit_log WHERE actor = 'OWNER'`);
    expect(rows[0]!.at.getUTCFullYear()).toBeGreaterThan(2020);
  });
});

describe('the hash chain', () => {
  it('stays one chain when many connections append at once', async () => {
    const d = await freshDatabase();
    const pools = Array.from({ length: 4 }, () => createPool(d.url, { max: 4 }));
    try {
      await Promise.all(
        pools.flatMap((p, w) =>
          Array.from({ length: 4 }, (_, c) =>
            (async () => {
              for (let i = 0; i < 15; i++)
                await audit(p, { actor: `W${w}C${c}`, action: 'x', outcome: 'allowed', rowCount: i });
            })(),
          ),
        ),
      );
      const { rows } = await d.pool.query<{ n: string; min: string; max: string }>(
        `SELECT count(*) AS n, min(seq) AS min, max(seq) AS max FROM audit_log`,
      );
      expect(rows[0]).toEqual({ n: '240', min: '1', max: '240' });
      expect(await verifyAuditChain(d.pool)).toMatchObject({ ok: true, rows: 240, headSeq: '240' });
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await d.drop();
    }
  });

  it('verifies a good chain in batches, recomputed from the stored columns', async () => {
    const d = await freshDatabase();
    try {
      await appendSome(d, 23);
      expect(await verifyAuditChain(d.pool, { batchSize: 5 })).toMatchObject({ ok: true, rows: 23 });
    } finally {
      await d.drop();
    }
  });

  describe('after tampering by the owner (triggers off)', () => {
    let d: TestDatabase;
    const tamper = async (sql: string) => {
      const c = await d.ownerPool.connect();
      try {
        await c.query('BEGIN');
        await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
        await c.query(sql);
        await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    const idAt = async (seq: number) =>
      (await d.pool.query<{ id: string }>(`SELECT id FROM audit_log WHERE seq = $1`, [seq])).rows[0]!.id;

    beforeAll(async () => {
      d = await freshDatabase();
    });
    afterAll(async () => d?.drop());

    it('names a row whose content was changed', async () => {
      await appendSome(d, 12);
      const id = await idAt(7);
      await tamper(`UPDATE audit_log SET outcome = 'allowed', detail = 'fine' WHERE seq = 7`);
      expect(await verifyAuditChain(d.pool, { batchSize: 5 })).toEqual({
        ok: false,
        rows: 6,
        brokenId: id,
        brokenSeq: '7',
        reason: 'its content does not match its hash (changed after it was written)',
      });
    });

    it('names a row whose time was moved back, even with its hash recomputed', async () => {
      await tamper(
        `TRUNCATE audit_log; UPDATE audit_chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')`,
      );
      await appendSome(d, 5);
      const id = await idAt(3);
      await tamper(
        `UPDATE audit_log SET at = at - interval '30 days',
                hash = sha256(convert_to(audit_log_content(seq, id, at - interval '30 days', actor, action, args,
                                         outcome, row_count, detail, prev_hash), 'UTF8'))
          WHERE seq = 3`,
      );
      // Row 3 now hashes right (row 4 was chained to its old hash), but it is dated before row 2.
      expect(await verifyAuditChain(d.pool)).toMatchObject({
        ok: false,
        rows: 2,
        brokenId: id,
        brokenSeq: '3',
        reason: expect.stringMatching(/^its time \S+ is earlier than the time of row seq 2 /),
      });
    });

    it('names the row after one that was deleted', async () => {
      await tamper(
        `TRUNCATE audit_log; UPDATE audit_chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')`,
      );
      await appendSome(d, 6);
      const id = await idAt(4);
      await tamper(`DELETE FROM audit_log WHERE seq = 3`);
      expect(await verifyAuditChain(d.pool)).toEqual({
        ok: false,
        rows: 2,
        brokenId: id,
        brokenSeq: '4',
        reason: 'rows with seq 3 before it are missing',
      });
    });

    it('finds rows deleted from the end against the chain head', async () => {
      await tamper(
        `TRUNCATE audit_log; UPDATE audit_chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')`,
      );
      await appendSome(d, 6);
      await tamper(`DELETE FROM audit_log WHERE seq >= 5`);
      expect(await verifyAuditChain(d.pool)).toMatchObject({
        ok: false,
        rows: 4,
        brokenSeq: '5',
        reason: 'rows after seq 4 are missing (the chain head is at seq 6)',
      });
    });

    it('names a row dated before its predecessor, even with a correct hash', async () => {
      await tamper(
        `TRUNCATE audit_log; UPDATE audit_chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')`,
      );
      await appendSome(d, 3);
      // The owner appends a row 2.5 years in the past, hashed and chained exactly as the trigger would.
      await tamper(
        `WITH prev AS (SELECT at, hash FROM audit_log WHERE seq = 3),
              r AS (SELECT nextval('audit_log_id_seq') AS id, prev.at - interval '2 years 6 months' AS at,
                           prev.hash AS prev_hash FROM prev)
         INSERT INTO audit_log (id, at, actor, action, args, outcome, seq, prev_hash, hash)
         SELECT r.id, r.at, 'U9', 'ledger.balance', '{}', 'allowed', 4, r.prev_hash,
                sha256(convert_to(audit_log_content(4, r.id, r.at, 'U9', 'ledger.balance', '{}', 'allowed',
                                                    NULL, NULL, r.prev_hash), 'UTF8'))
           FROM r;
         UPDATE audit_chain_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4)`,
      );
      const id = await idAt(4);
      const result = await verifyAuditChain(d.pool);
      expect(result).toMatchObject({ ok: false, rows: 3, brokenId: id, brokenSeq: '4' });
      expect(result.ok ? '' : result.reason).toMatch(
        /^its time \d{4}-\d\d-\d\dT[\d:.]+Z is earlier than the time of row seq 3 \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
      );
    });

    it('names a row slipped in with the chain trigger off', async () => {
      await tamper(
        `TRUNCATE audit_log; UPDATE audit_chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')`,
      );
      await appendSome(d, 3);
      await tamper(
        `INSERT INTO audit_log (actor, action, outcome, at, seq, prev_hash, hash)
         SELECT 'U9', 'ledger.balance', 'allowed', '2020-01-01', 4, hash, hash FROM audit_log WHERE seq = 3`,
      );
      await tamper(`UPDATE audit_chain_head SET seq = 4`);
      expect(await verifyAuditChain(d.pool)).toMatchObject({ ok: false, brokenSeq: '4' });
    });
  });
});

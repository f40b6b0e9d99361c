// The one audited read of /ledger and /sales: exactly one row per request, fail closed.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import type { Pool } from '../../src/db/pool.ts';
import { auditedRead } from '../../src/services/audited-read.ts';

/** A pool that records each audit insert's parameters, or refuses them. */
function fakePool(refuse = false) {
  const inserts: unknown[][] = [];
  const pool = {
    query: async (_sql: string, params: unknown[]) => {
      if (refuse) throw new Error('audit_log is not writable');
      inserts.push(params);
      return { rowCount: 1, rows: [] };
    },
  } as unknown as Pool;
  return { pool, inserts };
}

const request = { actor: 'U0FIN1', action: 'ledger.balance', args: { account: '1130' } };

describe('auditedRead', () => {
  it('answers and writes one allowed row with the row count', async () => {
    const { pool, inserts } = fakePool();
    const out = await auditedRead({ pool }, request, async () => [1, 2, 3], { rowCount: (r) => r.length });
    expect(out).toEqual([1, 2, 3]);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]!.slice(0, 6)).toEqual([
      'U0FIN1',
      'ledger.balance',
      '{"account":"1130"}',
      'allowed',
      3,
      null,
    ]);
  });

  it("writes one error row with a UserError's key (or 'failed') and rethrows the read's error", async () => {
    const { pool, inserts } = fakePool();
    const failed = new UserError('error.timeout', { seconds: 1 });
    await expect(
      auditedRead({ pool }, request, () => Promise.reject(failed), { rowCount: () => 0 }),
    ).rejects.toBe(failed);
    await expect(
      auditedRead({ pool }, request, () => Promise.reject(new Error('secret detail')), { rowCount: () => 0 }),
    ).rejects.toThrow('secret detail');
    expect(inserts.map((p) => [p[3], p[5]])).toEqual([
      ['error', 'error.timeout'],
      ['error', 'failed'],
    ]);
  });

  it('gives no answer when its audit row cannot be written', async () => {
    const { pool } = fakePool(true);
    await expect(auditedRead({ pool }, request, async () => 'answer', { rowCount: () => 1 })).rejects.toThrow(
      'audit_log is not writable',
    );
  });
});

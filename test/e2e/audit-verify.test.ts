// `toban audit verify` (issue 7, fault 5; CONTRACT.md): exit 0 on an intact chain, exit 1 naming
// the first broken row after the owner changed one behind the triggers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/db/audit.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { tempDataDir } from '../helpers/toban-process.ts';

let db: TestDatabase;
const dataDir = tempDataDir();

beforeAll(async () => {
  db = await freshDatabase();
  for (let i = 1; i <= 30; i++)
    await audit(db.pool, {
      actor: `U${i}`,
      action: 'ledger.balance',
      args: { text: `売掛金 ${i}` },
      outcome: 'allowed',
    });
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function verify(
  args: string[] = ['verify'],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/toban.js'), 'audit', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        TOBAN_DATA_DIR: dataDir,
        DATABASE_OWNER_URL: db.ownerUrl,
        DATABASE_URL: db.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('toban audit verify', () => {
  it('says what is wrong with its arguments, then its usage, exit 1', async () => {
    const extra = await verify(['verify', '--x']);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toMatch(/^toban: toban audit verify takes no arguments, got "--x"\nusage:/);
    const other = await verify(['check']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^toban: toban audit: expected 'verify', got "check"\nusage:/);
  });

  it('passes an intact chain and prints its head', async () => {
    const r = await verify();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit log: 30 rows, chain intact; head seq 30, hash [0-9a-f]{64}\n$/);
  });

  it('exits 1 naming the row the owner changed', async () => {
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM audit_log WHERE seq = 17`);
    const c = await db.ownerPool.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
      await c.query(`UPDATE audit_log SET outcome = 'refused' WHERE seq = 17`);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `audit log: chain broken at row id ${rows[0]!.id} (seq 17): its content does not match its hash (changed after it was written)\n`,
    );
  });
});

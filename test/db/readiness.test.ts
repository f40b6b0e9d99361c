// /readyz says what is wrong (issue 7, fault 11): an unreachable database is not "every migration
// pending"; and it works as the bot's role, which needs SELECT on the migrations table. It answers
// in time when the database does not (security review, finding 7), and checks LEDGER_DATABASE_URL
// too when the ledger lives elsewhere.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/app/boot.ts';
import { StartupError } from '../../src/core/startup-errors.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createRoutes } from '../../src/http/routes.ts';
import { createRouter } from '../../src/http/router.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { freePort } from '../helpers/toban-process.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

async function readyz(
  pool: Pool,
  ledgerPool: Pool = pool,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ctx = testContext(pool, { ledgerPool });
  const router = createRouter(ctx.log);
  createRoutes(ctx, router);
  const server = http.createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const addr = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${addr.port}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('/readyz', () => {
  it('is ready for the bot role once every migration is applied', async () => {
    expect(await readyz(db.pool)).toEqual({ status: 200, body: { ok: true } });
  });

  it('says the database is unreachable, naming the address, instead of listing every migration', async () => {
    const port = await freePort(); // nothing listens there
    const down = createPool(`postgres://toban:pw@127.0.0.1:${port}/toban`, { max: 1 });
    try {
      const { status, body } = await readyz(down);
      expect(status).toBe(503);
      expect(body.pending).toBeUndefined();
      expect(body).toEqual({
        ok: false,
        error: expect.stringMatching(`^database unreachable: .*ECONNREFUSED 127.0.0.1:${port}`),
        code: 'E_DATABASE',
      });
    } finally {
      await down.end();
    }
  });

  it('answers 503 in a couple of seconds when the database does not answer (a frozen connection)', async () => {
    const target = new URL(db.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const frozen = createPool(proxy.via(db.url), { max: 2 });
    try {
      await frozen.query('SELECT 1'); // a pooled connection, as a running bot has
      proxy.freeze();
      expect(await readyz(frozen)).toEqual({
        status: 503,
        body: { ok: false, error: 'the database did not answer within 2 s', code: 'E_DATABASE' },
      });
    } finally {
      await proxy.cut();
      await frozen.end();
    }
  });

  it('reports a LEDGER_DATABASE_URL it cannot reach', async () => {
    const port = await freePort(); // nothing listens there
    const ledger = createPool(`postgres://toban:pw@127.0.0.1:${port}/ledger`, { max: 1 });
    try {
      const { status, body } = await readyz(db.pool, ledger);
      expect(status).toBe(503);
      expect(body).toEqual({
        ok: false,
        error: expect.stringMatching(
          `^LEDGER_DATABASE_URL: database unreachable: .*ECONNREFUSED 127.0.0.1:${port}`,
        ),
        code: 'E_DATABASE',
      });
    } finally {
      await ledger.end();
    }
  });

  it('reports a LEDGER_DATABASE_URL without a ledger schema its role may read', async () => {
    const other = createPool(db.ownerUrl.replace(/\/[^/]*$/, '/postgres'), { max: 1 });
    try {
      expect(await readyz(db.pool, other)).toEqual({
        status: 503,
        body: {
          ok: false,
          error: 'LEDGER_DATABASE_URL: the database has no schema "ledger" that this role may read',
          code: 'E_DATABASE',
        },
      });
      expect((await readyz(db.pool, db.pool)).status).toBe(200);
    } finally {
      await other.end();
    }
  });

  it('says which migrations are missing when some are', async () => {
    await db.ownerPool.query(`DELETE FROM pgmigrations WHERE name = '0240_audit_chain'`);
    const { status, body } = await readyz(db.pool);
    expect(status).toBe(503);
    expect(body).toEqual({
      ok: false,
      error: '1 migration(s) not applied',
      pending: ['0240_audit_chain'],
      code: 'E_NOT_READY',
    });
  });
});

describe('LEDGER_DATABASE_URL at start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-ledger-'));
  let db: TestDatabase; // its own: the tests above remove a migration's row
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const start = (ledgerUrl: string) =>
    boot({
      env: { TOBAN_DATA_DIR: dataDir, DATABASE_URL: db.url, LEDGER_DATABASE_URL: ledgerUrl },
      cwd: dataDir,
      logTo: 'file',
      warn: () => {},
    }).catch((e: unknown) => e);

  it('stops with one sentence when nothing answers there', async () => {
    const port = await freePort();
    const err = await start(`postgres://toban:pw@127.0.0.1:${port}/ledger`);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      `LEDGER_DATABASE_URL: nothing accepts connections at 127.0.0.1:${port} (connection refused); start PostgreSQL there or correct the host and port`,
    );
  });

  it('stops with one sentence when the database there has no ledger schema to read', async () => {
    const err = await start(db.ownerUrl.replace(/\/[^/]*$/, '/postgres'));
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(
      'LEDGER_DATABASE_URL: the database has no schema "ledger" that this role may read; point it at the database holding the ledger, or grant its role USAGE and SELECT on that schema',
    );
  });

  it('starts when it holds the ledger', async () => {
    const booted = await boot({
      env: { TOBAN_DATA_DIR: dataDir, DATABASE_URL: db.url, LEDGER_DATABASE_URL: db.url },
      cwd: dataDir,
      logTo: 'file',
      warn: () => {},
    });
    await booted.close();
  });
});

// /readyz says what is wrong (issue 7, fault 11): an unreachable database is not "every migration
// pending"; and it works as the bot's role, which needs SELECT on the migrations table.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createRoutes } from '../../src/http/routes.ts';
import { createRouter } from '../../src/http/router.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import { freePort } from '../helpers/toban-process.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

async function readyz(pool: Pool): Promise<{ status: number; body: Record<string, unknown> }> {
  const ctx = testContext(pool);
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
      });
    } finally {
      await down.end();
    }
  });

  it('says which migrations are missing when some are', async () => {
    await db.ownerPool.query(`DELETE FROM pgmigrations WHERE name = '0240_audit_chain'`);
    const { status, body } = await readyz(db.pool);
    expect(status).toBe(503);
    expect(body).toEqual({ ok: false, error: '1 migration(s) not applied', pending: ['0240_audit_chain'] });
  });
});

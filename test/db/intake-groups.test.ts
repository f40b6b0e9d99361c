// Slack requests arriving together are stored together (src/db/statement-group.ts): one INSERT for
// the requests that waited while an earlier one was under way, each acknowledged only once its own
// row is committed; a group the database loses fails every one of its acknowledgements as "cannot
// take commands", and a group with one bad row stores the others.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../../src/core/metrics.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { t } from '../../src/i18n/index.ts';
import { SlackIntake, type Admission } from '../../src/transport/slack-intake.ts';
import { LogCapture } from '../helpers/context.ts';
import { createLogger } from '../../src/core/log.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(`DELETE FROM slack_requests`);
});
afterEach(() => vi.restoreAllMocks());

function intake(pool: Pool, opts: { insertDeadlineMs?: number } = {}) {
  return new SlackIntake({
    pool,
    log: createLogger('silent', new LogCapture()),
    metrics: createMetrics(),
    defaultLocale: 'en',
    // One INSERT at a time, so whatever arrives meanwhile waits and goes together.
    insertConcurrency: 1,
    ...opts,
  });
}

const command = (key: string, text = 'x') => ({
  key,
  kind: 'command' as const,
  payload: { command: '/oncall', text, user_id: 'U0AAA', response_url: 'https://hooks.slack.com/x' },
  userId: 'U0AAA',
});

type QueryCall = unknown[];
/** A query's text and values, whether it was given as (text, values) or as a config object. */
function statement(call: QueryCall): { text: string; values: unknown } {
  const [first, second] = call;
  if (typeof first === 'string') return { text: first, values: second };
  const config = first as { text: string; values?: unknown };
  return { text: config.text, values: config.values ?? second };
}

/** The calls of `pool.query` that were the intake's INSERT (not the refusals written after a failure). */
function insertCalls(spy: { mock: { calls: QueryCall[] } }): QueryCall[] {
  return spy.mock.calls.filter((c) =>
    statement(c).text.includes('INSERT INTO slack_requests (key, kind, payload, lease_until)'),
  );
}
const inserts = (spy: { mock: { calls: QueryCall[] } }): number => insertCalls(spy).length;

async function storedState(key: string): Promise<string | undefined> {
  const { rows } = await db.ownerPool.query<{ state: string }>(
    `SELECT state FROM slack_requests WHERE key = $1`,
    [key],
  );
  return rows[0]?.state;
}

describe('requests stored together', () => {
  it('stores the requests that arrived during an INSERT in one more INSERT, each acked after its row committed', async () => {
    const queries = vi.spyOn(db.pool, 'query');
    const keys = Array.from({ length: 20 }, (_, i) => `sig:group-${i}`);
    const into = intake(db.pool);
    const visibleAtAck: (string | undefined)[] = [];
    const admissions = await Promise.all(
      keys.map((k) =>
        into.admit(command(k)).then(async (a) => {
          // Asked on another connection the moment the acknowledgement may go: the row is committed.
          visibleAtAck.push(await storedState(k));
          return a;
        }),
      ),
    );
    expect(admissions.map((a) => a.status)).toEqual(keys.map(() => 'new'));
    expect(new Set(admissions.map((a) => (a.status === 'new' ? a.request.id : ''))).size).toBe(20);
    expect(visibleAtAck).toEqual(keys.map(() => 'pending'));
    // The first alone (nothing was under way), the other 19 together.
    expect(inserts(queries)).toBe(2);
  });

  it('runs a replay that arrives beside its original once: the second of one key in a group is seen', async () => {
    const into = intake(db.pool);
    const [, a, b] = await Promise.all([
      into.admit(command('sig:first')),
      into.admit(command('sig:twice')),
      into.admit(command('sig:twice')),
    ]);
    expect([a?.status, b?.status].sort()).toEqual(['new', 'seen']);
  });

  it('stores the other requests of a group when one row is refused by the database', async () => {
    const into = intake(db.pool);
    // A NUL cannot be stored in jsonb: the group's INSERT fails, and each row is tried alone.
    const results = await Promise.all([
      into.admit(command('sig:lead')),
      into.admit(command('sig:good-1')),
      into.admit(command('sig:bad', 'nul \u0000 here')),
      into.admit(command('sig:good-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['new', 'new', 'unavailable', 'new']);
    expect(await storedState('sig:good-1')).toBe('pending');
    expect(await storedState('sig:good-2')).toBe('pending');
  });

  describe('when the database is lost under a group', () => {
    let proxy: TcpProxy;
    let pool: Pool;
    beforeEach(async () => {
      const u = new URL(db.url);
      proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
      pool = createPool(proxy.via(db.url), { max: 2 });
      await pool.query('SELECT 1');
    });
    afterEach(async () => {
      await proxy.close();
      await pool.end().catch(() => {});
    });

    it("fails every acknowledgement of the group as 'toban cannot take commands right now'", async () => {
      const into = intake(pool, { insertDeadlineMs: 30_000 });
      const queries = vi.spyOn(pool, 'query');
      proxy.freeze();
      const keys = Array.from({ length: 6 }, (_, i) => `sig:lost-${i}`);
      const pending: Promise<Admission>[] = keys.map((k) => into.admit(command(k)));
      // The first INSERT hangs, the other five wait for it; then every connection is dropped.
      await vi.waitFor(() => expect(inserts(queries)).toBe(1));
      await proxy.cut();
      const results = await Promise.all(pending);
      const cannot = { response_type: 'ephemeral', text: t('en', 'slack.unavailable') };
      expect(results).toEqual(keys.map(() => ({ status: 'unavailable', message: cannot })));
      // Five requests, one statement: the group failed as a whole, none was tried again alone.
      expect(inserts(queries)).toBe(2);
    });

    it('never marks an event refused: Slack retries it, and the retry must run', async () => {
      const into = intake(pool, { insertDeadlineMs: 300 });
      proxy.freeze();
      const event = {
        key: 'event:EvSlow',
        kind: 'event' as const,
        payload: { type: 'event_callback', event_id: 'EvSlow', event: { type: 'app_mention' } },
      };
      expect((await into.admit(event)).status).toBe('unavailable');
      proxy.thaw();
      const retry = intake(db.pool);
      // The INSERT under way may land late (then the retry is its duplicate and it is answered as
      // stored); else the retry is stored now. Either way the key is never 'refused'.
      const again = await retry.admit(event);
      const state = await storedState('event:EvSlow');
      expect(state).toBe('pending');
      if (again.status !== 'new') expect(again.status).toBe('seen');
      await new Promise((r) => setTimeout(r, 300)); // a refusal, were one written, would land by now
      expect(await storedState('event:EvSlow')).toBe('pending');
    });

    it('never stores a request still waiting for its INSERT when its acknowledgement gave up', async () => {
      const into = intake(pool, { insertDeadlineMs: 300 });
      const queries = vi.spyOn(pool, 'query');
      proxy.freeze();
      const under = into.admit(command('sig:under-way'));
      const waiting = into.admit(command('sig:waiting'));
      expect((await under).status).toBe('unavailable');
      expect((await waiting).status).toBe('unavailable');
      proxy.thaw();
      // The INSERT under way lands late (and is then marked refused); the waiting one never goes.
      await vi.waitFor(async () => expect(await storedState('sig:under-way')).toBe('refused'), {
        timeout: 10_000,
      });
      const stored = insertCalls(queries).map((c) => JSON.stringify(statement(c).values));
      expect(stored.filter((p) => p.includes('sig:under-way'))).toHaveLength(1);
      expect(stored.filter((p) => p.includes('sig:waiting'))).toHaveLength(0);
    });
  });
});

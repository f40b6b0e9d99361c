// A crash between accept and delivery loses nothing and duplicates nothing: the real process is
// killed with SIGKILL while Slack has accepted some posts it has not yet answered and other rows
// have not been tried; after a restart every row is delivered, each message exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { spawnToban, tempDataDir } from '../helpers/toban-process.ts';

let db: TestDatabase;
let slack: FakeSlack;

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
});

function env(): Record<string, string> {
  return {
    // As in production: migrations as the owner, the bot as a login role in toban_app.
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-crash',
    SLACK_SIGNING_SECRET: 'crash-secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook',
    // Short calls allow a short lease, so the dead process's rows come back quickly.
    TOBAN_SLACK_TIMEOUT_SECONDS: '1',
    TOBAN_OUTBOX_LEASE_SECONDS: '8',
  };
}

describe('outbox across a crash', () => {
  it('delivers every row exactly once after SIGKILL and restart', async () => {
    // Slack accepts the first posts but answers only after 5 s: the process dies before it learns the outcome.
    slack.failNext('chat.postMessage', { delayMs: 5_000 }, 4);
    const first = await spawnToban([], env());
    await first.waitHealthy();
    const rows = 8;
    const ids: string[] = [];
    for (let i = 0; i < rows; i++) {
      const id = await enqueue(db.pool, {
        kind: 'slack.post',
        orderingKey: `channel:C${i % 4}`,
        payload: { channel: `C${i % 4}`, text: `message ${i}` },
      });
      ids.push(String(id));
    }
    await slack.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2, 20_000);
    await first.kill('SIGKILL');

    // This test's rows only: toban's own jobs write rows too (the handoff job sets the on-call group).
    const pending = await db.pool.query(
      `SELECT count(*)::int AS n FROM outbox WHERE state = 'pending' AND id = ANY($1::bigint[])`,
      [ids],
    );
    expect(pending.rows[0].n).toBe(rows);

    const second = await spawnToban([], env());
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows: r } = await db.pool.query(
          `SELECT count(*)::int AS n FROM outbox WHERE state = 'delivered' AND id = ANY($1::bigint[])`,
          [ids],
        );
        if (r[0].n === rows) break;
        if (Date.now() > deadline)
          throw new Error(`only ${r[0].n} of ${rows} delivered:\n${second.stderr()}`);
        await new Promise((res) => setTimeout(res, 200));
      }
      // Each outbox row appears in Slack exactly once (posts carry their outbox id as metadata).
      const perRow = new Map<string, number>();
      for (const m of slack.messages) {
        const id = String(
          (m.metadata as { event_payload?: { outbox_id?: string | number } } | undefined)?.event_payload
            ?.outbox_id ?? '',
        );
        perRow.set(id, (perRow.get(id) ?? 0) + 1);
      }
      for (const id of ids) expect(perRow.get(id), `outbox row ${id}`).toBe(1);
      expect(slack.messages.filter((m) => /^message \d$/.test(m.text ?? ''))).toHaveLength(rows);
    } finally {
      await second.kill('SIGTERM');
    }
  }, 120_000);
});

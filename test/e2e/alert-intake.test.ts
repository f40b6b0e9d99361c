// An alert end to end (issue 9, "What it must show"): the real `toban` process in Slack HTTP mode on
// a fresh database, the fake Slack Web API. Alertmanager's firing fixture -> 202 -> one
// chat.postMessage in the routed channel (service=billing: C0FINANCE) with the buttons; the same
// payload again -> 202 and no second message; the resolved fixture -> chat.update of that message
// and a line in its thread; a bad token -> 401, a bad body -> 400 naming the field, an unknown
// source -> 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import { fixture } from '../helpers/alert-intake.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const TOKEN = 'e2e-alert-token';
let db: TestDatabase;
let slack: FakeSlack;
let toban: TobanProcess;

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
  toban = await spawnToban([], {
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: 'e2e-alert-signing-secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: TOKEN,
    HOST: '127.0.0.1',
  });
  await toban.waitHealthy();
}, 120_000);
afterAll(async () => {
  await toban?.kill('SIGTERM');
  await slack?.close();
  await db?.drop();
});

async function post(source: string, body: unknown, token = TOKEN) {
  const res = await fetch(`${toban.baseUrl}/hooks/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const topPosts = (calls: FakeSlackCall[]) =>
  calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);

describe('an Alertmanager alert through the real process', () => {
  it('posts once to the routed channel with the buttons, updates it on resolve, and refuses bad requests', async () => {
    expect(await post('alertmanager', fixture('alertmanager-firing.json'))).toEqual({
      status: 202,
      body: { accepted: 1 },
    });
    const [first] = topPosts(await slack.waitFor((c) => topPosts(c).length === 1, 30_000));
    expect(first!.body.channel).toBe('C0FINANCE');
    const blocks = JSON.stringify(first!.body.blocks);
    // Every button of a group not silenced (Unsilence replaces Silence only while it is).
    for (const id of Object.values(ALERT_ACTIONS).filter((a) => a !== ALERT_ACTIONS.unsilence))
      expect(blocks).toContain(id);
    expect(blocks).not.toContain(ALERT_ACTIONS.unsilence);
    expect(String(first!.body.text)).toContain('DiskFull');

    // Delivered again (Alertmanager repeats): accepted, nothing new to send.
    expect((await post('alertmanager', fixture('alertmanager-firing.json'))).status).toBe(202);
    const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM outbox`);
    expect(Number(rows[0]!.n)).toBe(1);

    expect((await post('alertmanager', fixture('alertmanager-resolved.json'))).status).toBe(202);
    const calls = await slack.waitFor(
      (c) =>
        c.some((x) => x.method === 'chat.update') &&
        c.some((x) => x.method === 'chat.postMessage' && !!x.body.thread_ts),
      30_000,
    );
    const update = calls.find((c) => c.method === 'chat.update')!;
    const posted = slack.messages.find((m) => m.channel === 'C0FINANCE' && !m.thread_ts)!;
    expect(update.body).toMatchObject({ channel: 'C0FINANCE', ts: posted.ts });
    expect(JSON.stringify(update.body.blocks)).not.toContain(ALERT_ACTIONS.acknowledge);
    // Still one message in the channel: the repeat posted nothing (its rows would have gone before the update).
    expect(topPosts(slack.calls)).toHaveLength(1);

    expect((await post('alertmanager', fixture('alertmanager-firing.json'), 'wrong')).status).toBe(401);
    const bad = await post('generic', { title: 'x', status: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^status: /);
    expect((await post('nagios', {})).status).toBe(404);
  }, 90_000);
});

describe('console mode: fire <source> [fixture]', () => {
  it('sends the fixture through the real HTTP intake and prints the group message the outbox delivers', async () => {
    const cdb = await freshDatabase();
    const shell = await spawnToban([], {
      DATABASE_OWNER_URL: cdb.ownerUrl,
      DATABASE_URL: cdb.url,
      TOBAN_DATA_DIR: tempDataDir(),
      TOBAN_CONFIG: '',
    });
    try {
      await shell.waitHealthy();
      shell.proc.stdin.write(
        'fire alertmanager\nfire alertmanager alertmanager-resolved\nfire cloudwatch\nfire nagios\n',
      );
      // The demo config's language is Japanese.
      await shell.waitFor(/知らないアラートソース/, 'stdout', 60_000);
      const out = shell.stdout();
      expect(out).toContain('→ POST /hooks/alerts/alertmanager（alertmanager-firing）: 202 {"accepted":1}');
      expect(out).toContain('（alertmanager-resolved）: 202 {"accepted":1}');
      // Signed by console mode's demo key, whose certificate it knows without fetching (no network here).
      expect(out).toContain('→ POST /hooks/alerts/cloudwatch（cloudwatch-sns-alarm）: 202 {"accepted":1}');
      expect(out).toMatch(/\[C0FINANCE への投稿\]\n== :red_circle: DiskFull ==/);
      expect(out).toMatch(/\[C0FINANCE のメッセージ更新\]\n== :large_green_circle: DiskFull ==/);
      shell.proc.stdin.end();
      expect(await shell.exit()).toBe(0);
    } finally {
      if (shell.proc.exitCode === null) await shell.kill('SIGTERM');
      await cdb.drop();
    }
  }, 120_000);
});

// A real Alertmanager (Debian's prometheus-alertmanager) delivers to the real toban process (issue 9,
// "What it must show"): Alertmanager's webhook receiver points at toban's
// POST /hooks/alerts/alertmanager with a Bearer token (http_config.authorization), group_wait and
// group_interval 1 s. An alert posted to Alertmanager's /api/v2/alerts reaches toban, is stored and
// posted once to the routed channel (fake Slack API) with the buttons; posting it again with endsAt
// in the past makes Alertmanager send the resolve, and toban updates that message (chat.update), no
// new post. Then the Silence button on a second alert's message (block_actions, the modal,
// view_submission) creates a silence in this Alertmanager (ALERTMANAGER_URL), whose /api/v2/alerts
// then shows the alert suppressed. Without the binary the suite is skipped, saying so.
// Alertmanager's configuration: https://prometheus.io/docs/alerting/0.25/configuration/ (webhook_config,
// http_config's authorization); its webhook body is the v4 payload the alertmanager source parses.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import {
  alertmanagerPresent,
  eventually,
  skipNotice,
  startAlertmanager,
  type AlertmanagerProcess,
} from '../helpers/alertmanager-process.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';
import { postSigned } from '../helpers/slack-sign.ts';
import { freePort, spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

skipNotice('alertmanager-webhook');

const TOKEN = 'e2e-alertmanager-token';
const SECRET = 'e2e-alertmanager-signing-secret';
/** An admin and a member of the primary rotation in the demo config: may silence. */
const PRESSER = 'U0AAA';

/** Alertmanager's configuration: every alert to toban, grouped by alertname, flushed after 1 s. */
function alertmanagerConfig(tobanPort: number): string {
  return `
global:
  resolve_timeout: 5m
route:
  receiver: toban
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: toban
    webhook_configs:
      - url: http://127.0.0.1:${tobanPort}/hooks/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${TOKEN}
`;
}

interface AmAlert {
  labels: Record<string, string>;
  fingerprint: string;
  status: { state: string; silencedBy: string[] };
}

describe.skipIf(!alertmanagerPresent)('a real Alertmanager delivering to the real toban process', () => {
  let db: TestDatabase;
  let slack: FakeSlack;
  let am: AlertmanagerProcess | undefined;
  let toban: TobanProcess | undefined;

  beforeAll(async () => {
    db = await freshDatabase();
    slack = await startFakeSlack();
    // Each needs the other's address: toban's port is chosen first and given to both.
    const tobanPort = await freePort();
    am = await startAlertmanager(alertmanagerConfig(tobanPort));
    toban = await spawnToban(
      [],
      {
        DATABASE_OWNER_URL: db.ownerUrl,
        DATABASE_URL: db.url,
        TOBAN_DATA_DIR: tempDataDir(),
        SLACK_BOT_TOKEN: 'xoxb-e2e-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        ALERT_WEBHOOK_TOKEN: TOKEN,
        ALERTMANAGER_URL: am.url,
        HOST: '127.0.0.1',
      },
      { port: tobanPort },
    );
    await toban.waitHealthy();
  }, 120_000);

  afterAll(async () => {
    await toban?.kill('SIGTERM');
    await am?.stop();
    await slack?.close();
    await db?.drop();
  });

  const topPosts = (calls: FakeSlackCall[], channel: string) =>
    calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts && c.body.channel === channel);

  async function amAlert(alertname: string): Promise<AmAlert | undefined> {
    const res = await fetch(`${am!.url}/api/v2/alerts`);
    const alerts = (await res.json()) as AmAlert[];
    return alerts.find((a) => a.labels.alertname === alertname);
  }

  /** Slack's interaction POST, signed; resolves with the acknowledgement's body (undefined: empty). */
  async function interact(payload: Record<string, unknown>): Promise<unknown> {
    const res = await postSigned(`${toban!.baseUrl}/slack/events`, SECRET, {
      payload: JSON.stringify(payload),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  const user = { id: PRESSER, username: 'u0aaa', name: 'u0aaa', team_id: 'T0TEAM' };
  const team = { id: 'T0TEAM', domain: 'toban-test' };

  it('is stored and posted once to the routed channel with the buttons; its resolve updates that message', async () => {
    const labels = { alertname: 'LedgerLag', service: 'billing', env: 'staging' };
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const annotations = { summary: 'the ledger is 10 minutes behind' };
    expect(await am!.postAlerts([{ labels, annotations, startsAt }])).toBe(200);

    // service=billing routes to C0FINANCE (the demo config's first route).
    const [post] = topPosts(
      await slack.waitFor((c) => topPosts(c, 'C0FINANCE').length === 1, 30_000),
      'C0FINANCE',
    );
    const blocks = JSON.stringify(post!.body.blocks);
    for (const id of Object.values(ALERT_ACTIONS).filter((a) => a !== ALERT_ACTIONS.unsilence))
      expect(blocks).toContain(id);
    expect(String(post!.body.text)).toContain('LedgerLag');

    // Stored as Alertmanager sent it: its webhook v4 body, and the alert under its fingerprint.
    const fingerprint = (await eventually(() => amAlert('LedgerLag'), 'the alert in Alertmanager'))
      .fingerprint;
    const payloads = await db.ownerPool.query<{ receiver: string; version: string; alertname: string }>(
      `SELECT body->>'receiver' AS receiver, body->>'version' AS version,
              body->'alerts'->0->'labels'->>'alertname' AS alertname
       FROM alert_payloads WHERE source = 'alertmanager' ORDER BY id`,
    );
    expect(payloads.rows[0]).toEqual({ receiver: 'toban', version: '4', alertname: 'LedgerLag' });
    const stored = await db.ownerPool.query(
      `SELECT a.fingerprint, a.status, g.state, g.channel, g.group_key
       FROM alerts a JOIN alert_groups g ON g.id = a.group_id`,
    );
    expect(stored.rows).toEqual([
      {
        fingerprint,
        status: 'firing',
        state: 'open',
        channel: 'C0FINANCE',
        group_key: '{}:{alertname="LedgerLag"}',
      },
    ]);

    // Resolved at Alertmanager: the same alert with endsAt in the past; Alertmanager sends the resolve.
    const endsAt = new Date(Date.now() - 1_000).toISOString();
    expect(await am!.postAlerts([{ labels, annotations, startsAt, endsAt }])).toBe(200);
    const updated = (c: FakeSlackCall) =>
      c.method === 'chat.update' &&
      c.body.channel === 'C0FINANCE' &&
      !JSON.stringify(c.body.blocks).includes(ALERT_ACTIONS.acknowledge);
    const calls = await slack.waitFor((c) => c.some(updated), 30_000);
    const posted = slack.messages.find((m) => m.channel === 'C0FINANCE' && !m.thread_ts)!;
    expect(calls.find(updated)!.body.ts).toBe(posted.ts);
    const groups = await db.ownerPool.query(`SELECT state, resolved_count FROM alert_groups`);
    expect(groups.rows).toEqual([{ state: 'resolved', resolved_count: 1 }]);
    // Still the one message in the channel: the resolve updated it (and said so in its thread).
    expect(topPosts(slack.calls, 'C0FINANCE')).toHaveLength(1);
    const resolvedPayloads = await db.ownerPool.query(
      `SELECT count(*)::int AS n FROM alert_payloads WHERE source = 'alertmanager' AND body->>'status' = 'resolved'`,
    );
    expect(resolvedPayloads.rows[0].n).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('silences a second alert in Alertmanager from the Silence button: its /api/v2/alerts shows it suppressed', async () => {
    const labels = { alertname: 'CertExpiry', service: 'web', env: 'prod' };
    expect(
      await am!.postAlerts([{ labels, annotations: { summary: 'certificate expires in 3 days' } }]),
    ).toBe(200);
    // No route matches service=web but the catch-all: C0ALERTS.
    const [post] = topPosts(
      await slack.waitFor((c) => topPosts(c, 'C0ALERTS').length === 1, 30_000),
      'C0ALERTS',
    );
    const message = slack.messages.find((m) => m.channel === 'C0ALERTS' && !m.thread_ts)!;
    const silenceButton = (post!.body.blocks as { elements?: { action_id?: string; value?: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ALERT_ACTIONS.silence)!;
    expect(silenceButton.value).toMatch(/^\d+$/);
    expect((await amAlert('CertExpiry'))?.status.state).toBe('active');

    // Silence: the button opens the modal...
    const trigger = `${Date.now()}.${crypto.randomInt(1e9)}.${crypto.randomBytes(8).toString('hex')}`;
    expect(
      await interact({
        type: 'block_actions',
        user,
        team,
        api_app_id: 'A0TOBAN',
        token: 'legacy',
        trigger_id: trigger,
        container: { type: 'message', message_ts: message.ts, channel_id: 'C0ALERTS', is_ephemeral: false },
        channel: { id: 'C0ALERTS', name: 'alerts' },
        message: { type: 'message', user: 'UBOT', ts: message.ts, text: post!.body.text },
        response_url: slack.responseUrl('silence-button'),
        actions: [
          {
            action_id: ALERT_ACTIONS.silence,
            block_id: 'alert_actions',
            text: { type: 'plain_text', text: 'Silence' },
            value: silenceButton.value,
            type: 'button',
            action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
          },
        ],
        state: { values: {} },
      }),
    ).toBeUndefined();
    const opened = (
      await slack.waitFor((c) => c.some((x) => x.method === 'views.open' && x.body.trigger_id === trigger))
    ).find((x) => x.method === 'views.open' && x.body.trigger_id === trigger)!;
    const view = opened.body.view as Record<string, unknown>;
    expect(view.callback_id).toBe('alert.silence');

    // ...and its submission (1 hour) silences the group in Alertmanager through the outbox.
    const ack = await interact({
      type: 'view_submission',
      team,
      user,
      api_app_id: 'A0TOBAN',
      token: 'legacy',
      trigger_id: `${trigger}.submit`,
      view: {
        ...view,
        id: 'V0SILENCE',
        team_id: 'T0TEAM',
        app_id: 'A0TOBAN',
        hash: crypto.randomBytes(8).toString('hex'),
        private_metadata: view.private_metadata ?? '',
        state: {
          values: {
            duration: {
              duration: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: '1h' }, value: '1h' },
              },
            },
            custom: { custom: { type: 'plain_text_input', value: null } },
            comment: { comment: { type: 'plain_text_input', value: 'cert renewal under way' } },
          },
        },
      },
      response_urls: [],
    });
    expect(ack === undefined || (ack as { response_action?: string }).response_action === 'clear').toBe(true);

    const suppressed = await eventually(
      async () => {
        const a = await amAlert('CertExpiry');
        return a?.status.state === 'suppressed' ? a : undefined;
      },
      'CertExpiry suppressed in Alertmanager',
      30_000,
    );
    expect(suppressed.status.silencedBy).toHaveLength(1);
    const silences = (await (await fetch(`${am!.url}/api/v2/silences`)).json()) as {
      id: string;
      createdBy: string;
      comment: string;
      status: { state: string };
    }[];
    expect(silences.find((s) => s.id === suppressed.status.silencedBy[0])).toMatchObject({
      createdBy: PRESSER,
      comment: expect.stringContaining('cert renewal under way'),
      status: { state: 'active' },
    });
    // One silence, created through the outbox row the submission wrote.
    const { rows } = await db.ownerPool.query(
      `SELECT result->>'alertmanagerId' AS id FROM outbox WHERE kind = 'alertmanager.silence-create'`,
    );
    expect(rows).toEqual([{ id: suppressed.status.silencedBy[0] }]);
    // The message says so: Unsilence in place of Silence.
    const shown = await slack.waitFor((c) =>
      c.some(
        (x) =>
          x.method === 'chat.update' &&
          x.body.ts === message.ts &&
          JSON.stringify(x.body.blocks).includes(ALERT_ACTIONS.unsilence),
      ),
    );
    expect(shown.length).toBeGreaterThan(0);
  }, 90_000);
});

// The investigation request flow end to end (issue 8, "What it must show"), the same steps in Slack
// HTTP mode and in Socket Mode: the real `toban` process against a fresh database, the fake Slack Web
// API and, for Socket Mode, the fake Socket Mode endpoint. A global shortcut opens the filing modal; a
// submission with bad fields is refused in its acknowledgement (`response_action: "errors"`) with
// nothing stored; the corrected one stores the request, posts it to the investigations channel and DMs
// the assignee; a message shortcut pre-fills the question; :eyes: delivered twice takes the request
// once; the post's Resolve button opens its modal, whose submission DMs the answer to the requester and
// replies in the post's thread; opening the App Home publishes it. Each step is checked on what Slack sees and in the database.
// Payload shapes: https://api.slack.com/reference/interaction-payloads/shortcuts,
// .../interaction-payloads/views, https://api.slack.com/events/reaction_added, .../app_home_opened.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';
import { startFakeSocketMode, type FakeSocketMode } from '../helpers/fake-socket-mode.ts';
import { postSigned } from '../helpers/slack-sign.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const SECRET = 'e2e-flow-signing-secret';
const APP_TOKEN = 'xapp-1-A0TOBAN-1-flow';
/** The demo configuration's (src/demo/config.ts): channel, investigation-duty members, time zone. */
const INVESTIGATIONS = 'C0INVEST';
const DUTY = ['U0DDD', 'U0EEE'];
const TZ = 'Asia/Tokyo';
/** A support agent, not finance: during the monthly close a finance filing is a month-close request. */
const FILER = 'U0SUP1';
/** Not on investigation duty: taking the request changes its assignee. */
const REACTOR = 'U0CCC';
/** An order of the demo ledger (loaded by a step below; about 90 orders from 300 entries). */
const DEMO_ORDER = 'ORD-00000042';
const FIELD_IDS = [
  'customer',
  'reference',
  'category',
  'question',
  'deadline_date',
  'deadline_time',
  'urgency',
];

/** How a test reaches toban: the acknowledgement Slack gets back for what it sends. */
interface Channel {
  /** Sends an interaction payload; resolves with the acknowledgement's body (undefined: empty). */
  interact(payload: Record<string, unknown>): Promise<unknown>;
  /** Delivers an Events API body; `retry` marks a redelivery as Slack marks it. Resolves once acknowledged. */
  event(body: Record<string, unknown>, retry?: number): Promise<void>;
}

interface Running extends Channel {
  db: TestDatabase;
  slack: FakeSlack;
  toban: TobanProcess;
  close(): Promise<void>;
}

const TRANSPORTS: { name: string; start: () => Promise<Running> }[] = [
  { name: 'HTTP mode', start: startHttp },
  { name: 'Socket Mode', start: startSocket },
];

function baseEnv(db: TestDatabase, slack: FakeSlack, dataDir: string): Record<string, string> {
  return {
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook-token',
    HOST: '127.0.0.1',
  };
}

async function startHttp(): Promise<Running> {
  const db = await freshDatabase();
  const slack = await startFakeSlack();
  const dataDir = tempDataDir();
  const toban = await spawnToban([], { ...baseEnv(db, slack, dataDir), SLACK_SIGNING_SECRET: SECRET });
  await toban.waitHealthy();
  const url = `${toban.baseUrl}/slack/events`;
  return {
    db,
    slack,
    toban,
    async interact(payload) {
      const res = await postSigned(url, SECRET, { payload: JSON.stringify(payload) });
      expect(res.status).toBe(200);
      const text = await res.text();
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
    async event(body, retry) {
      // Slack signs a redelivery anew (its own timestamp) and says which attempt it is.
      const res = await postSigned(url, SECRET, JSON.stringify(body), {
        contentType: 'application/json',
        ...(retry
          ? {
              timestampSec: Math.floor(Date.now() / 1000) + retry,
              headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' },
            }
          : {}),
      });
      expect(res.status).toBe(200);
    },
    async close() {
      if (toban.proc.exitCode === null) await toban.kill('SIGKILL');
      await slack.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startSocket(): Promise<Running> {
  const db = await freshDatabase();
  const slack = await startFakeSlack();
  const socket: FakeSocketMode = await startFakeSocketMode(slack);
  const dataDir = tempDataDir();
  const toban = await spawnToban([], { ...baseEnv(db, slack, dataDir), SLACK_APP_TOKEN: APP_TOKEN });
  await socket.waitForConnection(1, 60_000);
  await toban.waitHealthy();
  return {
    db,
    slack,
    toban,
    async interact(payload) {
      const ack = await socket.waitForAck(socket.send('interactive', payload));
      // Bolt acknowledges with `"payload": {}` where HTTP answers an empty 200: the same to Slack.
      return ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : undefined;
    },
    async event(body, retry) {
      const extra = retry ? { retry_attempt: retry, retry_reason: 'timeout' } : {};
      await socket.waitForAck(socket.send('events_api', body, extra));
    },
    async close() {
      expect(socket.strays).toEqual([]);
      if (toban.proc.exitCode === null) await toban.kill('SIGKILL');
      await socket.close();
      await slack.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: 'T0TEAM' });
const team = { id: 'T0TEAM', domain: 'toban-test' };
const triggerId = () => `${Date.now()}.${crypto.randomInt(1e9)}.${crypto.randomBytes(8).toString('hex')}`;

/** A YYYY-MM-DD `days` after today in the business time zone, moved on to a weekday. */
function weekdayAfter(days: number): string {
  let d = DateTime.now().setZone(TZ).startOf('day').plus({ days });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toISODate()!;
}

/**
 * The view as Slack sends it back in a view_submission: what views.open was given, with Slack's own
 * fields and the state of each input (plain_text_input `value`, null when empty; static_select
 * `selected_option`; datepicker `selected_date`), keyed block_id -> action_id.
 */
function submittedView(
  opened: Record<string, unknown>,
  viewId: string,
  values: {
    customer: string;
    reference?: string;
    category?: string;
    question: string;
    deadline_date?: string;
    deadline_time?: string;
    urgency?: string;
  },
): Record<string, unknown> {
  const text = (v: string | undefined) => ({ type: 'plain_text_input', value: v ?? null });
  const select = (v: string | undefined) => ({
    type: 'static_select',
    selected_option: v ? { text: { type: 'plain_text', text: v, emoji: true }, value: v } : null,
  });
  return {
    ...opened,
    id: viewId,
    team_id: 'T0TEAM',
    app_id: 'A0TOBAN',
    bot_id: 'BBOT',
    hash: crypto.randomBytes(8).toString('hex'),
    root_view_id: viewId,
    previous_view_id: null,
    private_metadata: opened.private_metadata ?? '',
    state: {
      values: {
        customer: { customer: text(values.customer) },
        reference: { reference: text(values.reference) },
        category: { category: select(values.category) },
        question: { question: text(values.question) },
        deadline_date: {
          deadline_date: { type: 'datepicker', selected_date: values.deadline_date ?? null },
        },
        deadline_time: { deadline_time: text(values.deadline_time) },
        urgency: { urgency: select(values.urgency) },
      },
    },
  };
}

function submission(view: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'view_submission',
    team,
    user: user(FILER),
    api_app_id: 'A0TOBAN',
    token: 'legacy',
    trigger_id: triggerId(),
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Every input block's block_id in a view. */
function inputIds(view: unknown): string[] {
  const blocks = (view as { blocks?: { type: string; block_id?: string }[] }).blocks ?? [];
  return blocks.filter((b) => b.type === 'input').map((b) => String(b.block_id));
}

/** The input element of `blockId` in a view. */
function element(view: unknown, blockId: string): Record<string, unknown> | undefined {
  const blocks = (view as { blocks?: { block_id?: string; element?: Record<string, unknown> }[] }).blocks;
  return blocks?.find((b) => b.block_id === blockId)?.element;
}

/** toban_slack_requests_total{kind="event",outcome="seen"}: events recognised as delivered before. */
async function seenEvents(toban: TobanProcess): Promise<number> {
  const text = await (await fetch(`${toban.baseUrl}/metrics`)).text();
  const m = /^toban_slack_requests_total\{kind="event",outcome="seen"\} (\d+)$/m.exec(text);
  return Number(m?.[1] ?? 0);
}

async function count(db: TestDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.ownerPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0]!.n;
}

describe.each(TRANSPORTS)('the investigation flow in $name', ({ start }) => {
  let run: Running;
  let slack: FakeSlack;
  let db: TestDatabase;

  beforeAll(async () => {
    run = await start();
    ({ slack, db } = run);
  }, 90_000);

  afterAll(async () => {
    await run?.close();
  });

  /** The views.open that carried `trigger`, once Slack has it. */
  async function opened(trigger: string): Promise<FakeSlackCall> {
    const calls = await slack.waitFor(
      (c) => c.some((x) => x.method === 'views.open' && x.body.trigger_id === trigger),
      10_000,
    );
    return calls.find((x) => x.method === 'views.open' && x.body.trigger_id === trigger)!;
  }

  let filingView: Record<string, unknown>;
  /** The id Slack gave the modal (any id: toban reads the view back from the submission). */
  const filingViewId = 'V0FLOW1';

  it('opens the filing modal on the global shortcut, with its trigger_id', async () => {
    const trigger = triggerId();
    const ack = await run.interact({
      type: 'shortcut',
      token: 'legacy',
      action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
      team,
      user: user(FILER),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: 'investigate_new',
      trigger_id: trigger,
    });
    expect(ack).toBeUndefined();
    const call = await opened(trigger);
    const view = call.body.view as Record<string, unknown>;
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('investigation.file');
    expect(inputIds(view)).toEqual(FIELD_IDS);
    expect(element(view, 'question')?.type).toBe('plain_text_input');
    expect(element(view, 'category')?.type).toBe('static_select');
    expect(element(view, 'deadline_date')?.type).toBe('datepicker');
    filingView = view;
  });

  it('refuses a blank question and a past deadline in the acknowledgement, storing nothing', async () => {
    // Slack itself refuses an empty required input, so the blank question is white space.
    const yesterday = DateTime.now().setZone(TZ).minus({ days: 1 }).toISODate()!;
    const ack = (await run.interact(
      submission(
        submittedView(filingView, filingViewId, {
          customer: 'cus_8812',
          category: 'payment',
          question: '   ',
          deadline_date: yesterday,
          urgency: 'normal',
        }),
      ),
    )) as { response_action?: string; errors?: Record<string, string> } | undefined;
    expect(ack?.response_action).toBe('errors');
    expect(Object.keys(ack?.errors ?? {}).sort()).toEqual(['deadline_date', 'deadline_time', 'question']);
    // In the filer's language (ja-JP on the fake users.info).
    expect(ack?.errors?.question).toBe('質問を入力してください。');
    // No time given: the deadline is 18:00 that day, already past.
    expect(ack?.errors?.deadline_date).toMatch(/^この日の終業（18:00）を過ぎています/);
    // And under the time, so Slack shows both: a later time may fix it as well as a later day.
    expect(ack?.errors?.deadline_time).toMatch(/後の時刻を入れるか、後の日付を選んでください。$/);
    expect(await count(db, 'investigations')).toBe(0);
    expect(
      await count(db, `slack_requests WHERE kind = 'interaction' AND payload->>'type' = 'view_submission'`),
    ).toBe(0);
  });

  it('loads the demo ledger, whose orders are the references a filing may give', async () => {
    const today = DateTime.now().setZone(TZ).toISODate()!;
    await loadLedgerDemo(db.ownerPool, { entries: 300, seed: 1, today });
    expect(await count(db, 'ledger.orders WHERE id = $1', [DEMO_ORDER])).toBe(1);
  });

  it('refuses a reference the ledger does not know under its field, storing nothing', async () => {
    const ack = (await run.interact(
      submission(
        submittedView(filingView, filingViewId, {
          customer: 'cus_8812',
          reference: 'CUST-8812',
          category: 'payment',
          question: '決済について',
          deadline_date: weekdayAfter(3),
          urgency: 'normal',
        }),
      ),
    )) as { response_action?: string; errors?: Record<string, string> } | undefined;
    expect(ack?.response_action).toBe('errors');
    expect(Object.keys(ack?.errors ?? {})).toEqual(['reference']);
    expect(ack?.errors?.reference).toMatch(/^台帳に「CUST-8812」という注文・取引・支払はありません。/);
    expect(await count(db, 'investigations')).toBe(0);
  });

  let invId: string;
  let assignee: string;
  let post: { channel: string; ts: string };

  it('stores the corrected submission once, posts it to the investigations channel and DMs the assignee', async () => {
    const deadline = weekdayAfter(3);
    const ack = await run.interact(
      submission(
        submittedView(filingView, filingViewId, {
          customer: 'cus_8812',
          reference: DEMO_ORDER,
          category: 'payment',
          question: '4月10日の決済が二重に計上されていないか確認してください。',
          deadline_date: deadline,
          urgency: 'urgent',
        }),
      ),
    );
    // An empty acknowledgement (or `clear`): the modal closes.
    expect(ack === undefined || (ack as { response_action?: string }).response_action === 'clear').toBe(true);
    // Acknowledged once stored; filed right after.
    await expect.poll(() => count(db, 'investigations'), { timeout: 10_000 }).toBe(1);

    const rows = await db.ownerPool.query<{
      id: string;
      requester: string;
      assignee: string | null;
      customer: string;
      reference: string;
      category: string;
      question: string;
      deadline: Date;
      urgency: string;
      status: string;
    }>(`SELECT id::text, requester, assignee, customer, reference, category, question, deadline, urgency,
               status FROM investigations`);
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0]!;
    expect(row).toMatchObject({
      requester: FILER,
      customer: 'cus_8812',
      reference: DEMO_ORDER,
      category: 'payment',
      urgency: 'urgent',
      status: 'open',
    });
    expect(row.question).toBe('4月10日の決済が二重に計上されていないか確認してください。');
    // No time given: the end of business (18:00) that day, in the business time zone.
    expect(row.deadline.getTime()).toBe(DateTime.fromISO(`${deadline}T18:00`, { zone: TZ }).toMillis());
    expect(DUTY).toContain(row.assignee);
    invId = row.id;
    assignee = row.assignee!;
    expect(
      await count(db, `slack_requests WHERE kind = 'interaction' AND payload->>'type' = 'view_submission'`),
    ).toBe(1);

    const posted = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === INVESTIGATIONS &&
      String(c.body.text).includes(`INV-${invId}`);
    // The DM goes to the IM channel conversations.open answers with for the assignee.
    const dmChannel = `D${assignee}`;
    const dm = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === dmChannel &&
      String(c.body.text).includes(`INV-${invId}`);
    // The filer hears back in their DM: the id and who has it.
    const confirmed = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === `D${FILER}` &&
      String(c.body.text).startsWith(`INV-${invId} を依頼しました。担当 <@${assignee}>`);
    const calls = await slack.waitFor((c) => c.some(posted) && c.some(dm) && c.some(confirmed), 15_000);
    expect(calls.filter(posted)).toHaveLength(1);
    expect(calls.filter(dm)).toHaveLength(1);
    expect(calls.filter(confirmed)).toHaveLength(1);
    expect(
      calls.some(
        (c) => c.method === 'conversations.open' && (c.body.users === assignee || c.body.user === assignee),
      ),
    ).toBe(true);
    const message = slack.messages.find(
      (m) => m.channel === INVESTIGATIONS && m.text?.includes(`INV-${invId}`),
    );
    expect(message).toBeDefined();
    expect(message?.text).toContain(`<@${assignee}>`);
    post = { channel: message!.channel, ts: message!.ts };
  });

  it('replies in the post’s thread with what the ledger knows of the demo order, without amounts', async () => {
    const inThread = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === INVESTIGATIONS &&
      c.body.thread_ts === post.ts &&
      String(c.body.text).includes(DEMO_ORDER);
    const calls = await slack.waitFor((c) => c.some(inThread), 15_000);
    expect(calls.filter(inThread)).toHaveLength(1);
    const reply = calls.find(inThread)!;
    const text = String(reply.body.text);
    expect(text).toContain(`\`${DEMO_ORDER}\` について台帳にあること`);
    expect(text).toMatch(/仕訳 [1-9]\d* 件/);
    expect(text).toContain('permissions.finance');
    expect(text).not.toContain('¥');
    expect(JSON.stringify(reply.body.blocks)).toContain('investigation.ledger_facts');
    // Read for the filer through the audited ledger path.
    expect(
      await count(db, `audit_log WHERE actor = $1 AND action = 'ledger.facts' AND outcome = 'allowed'`, [
        FILER,
      ]),
    ).toBe(1);
  });

  it('opens the modal from a message shortcut with the message as the question', async () => {
    // What the agent typed, and the message's `text` as Slack stores and sends it: &, < and > escaped
    // (https://api.slack.com/reference/surfaces/formatting#escaping).
    const typed = 'お客さま cus_9001 から: 返金 & 再送 <5,000円> がまだ届かないとのことです。';
    const [seeded] = slack.seed([
      {
        channel: 'C0SUPPORT',
        text: typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      },
    ]);
    const trigger = triggerId();
    const ack = await run.interact({
      type: 'message_action',
      token: 'legacy',
      action_ts: `${Math.floor(Date.now() / 1000)}.000002`,
      team,
      user: user(FILER),
      channel: { id: 'C0SUPPORT', name: 'support' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: 'investigate_from_message',
      trigger_id: trigger,
      message_ts: seeded!.ts,
      message: { type: 'message', user: seeded!.user, ts: seeded!.ts, text: seeded!.text },
      response_url: slack.responseUrl('msg-shortcut'),
    });
    expect(ack).toBeUndefined();
    const view = (await opened(trigger)).body.view as Record<string, unknown>;
    expect(view.callback_id).toBe('investigation.file');
    // The question field is plain text: it shows what was typed, not Slack's escapes.
    expect(element(view, 'question')?.initial_value).toBe(typed);
    // The message it came from rides along, to link the request back to it.
    const permalink = `https://toban-test.slack.com/archives/C0SUPPORT/p${seeded!.ts.replace('.', '')}`;
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      source: { channel: 'C0SUPPORT', ts: seeded!.ts, permalink },
    });
    // Opening a modal stores nothing.
    expect(await count(db, 'investigations')).toBe(1);

    // Submitted, the request links back to the message: the metadata made the round trip through Slack.
    const submitted = await run.interact(
      submission(
        submittedView(view, 'V0FLOW2', {
          customer: 'cus_9001',
          category: 'refund',
          question: typed,
          deadline_date: weekdayAfter(5),
          urgency: 'normal',
        }),
      ),
    );
    expect(submitted).toBeUndefined();
    await expect.poll(() => count(db, 'investigations'), { timeout: 10_000 }).toBe(2);
    const { rows } = await db.ownerPool.query<{ id: string; source: unknown; question: string }>(
      `SELECT id::text, source, question FROM investigations WHERE customer = 'cus_9001'`,
    );
    expect(rows[0]?.source).toEqual({ channel: 'C0SUPPORT', ts: seeded!.ts, permalink });
    expect(rows[0]?.question).toBe(typed);
    await slack.waitFor(
      (c) =>
        c.some(
          (x) =>
            x.method === 'chat.postMessage' &&
            x.body.channel === INVESTIGATIONS &&
            String(x.body.text).includes(`INV-${rows[0]!.id}`) &&
            String(x.body.text).includes(permalink) &&
            // Escaped once for mrkdwn, as the message it came from.
            String(x.body.text).includes(seeded!.text!),
        ),
      15_000,
    );
  });

  it('takes the request on :eyes: once, although the event is delivered twice', async () => {
    const eventId = `Ev0EYES${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    const body = {
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0TOBAN',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0TEAM', user_id: 'UBOT', is_bot: true }],
      event: {
        type: 'reaction_added',
        user: REACTOR,
        reaction: 'eyes',
        item: { type: 'message', channel: post.channel, ts: post.ts },
        item_user: 'UBOT',
        event_ts: `${Math.floor(Date.now() / 1000)}.000300`,
      },
    };
    const seenBefore = await seenEvents(run.toban);
    await run.event(body);
    await run.event(body, 1);
    // The redelivery was recognised at the door (stored under event:<event_id>), not run again.
    expect(await seenEvents(run.toban)).toBe(seenBefore + 1);

    const updated = (c: FakeSlackCall) =>
      c.method === 'chat.update' && c.body.channel === post.channel && c.body.ts === post.ts;
    await slack.waitFor((c) => c.some(updated), 15_000);
    // Nothing is left to send that could update it again: every update row is delivered.
    await expect
      .poll(() => count(db, `outbox WHERE kind = 'slack.update' AND state <> 'delivered'`), {
        timeout: 10_000,
      })
      .toBe(0);
    expect(await count(db, `outbox WHERE kind = 'slack.update'`)).toBe(1);
    expect(slack.calls.filter(updated)).toHaveLength(1);
    expect(String(slack.calls.find(updated)?.body.text)).toContain(`<@${REACTOR}>`);

    expect(await count(db, 'slack_requests WHERE key = $1', [`event:${eventId}`])).toBe(1);
    const { rows } = await db.ownerPool.query<{ assignee: string; status: string }>(
      'SELECT assignee, status FROM investigations WHERE id = $1',
      [invId],
    );
    expect(rows[0]).toEqual({ assignee: REACTOR, status: 'taken' });
    expect(
      await count(db, `investigation_events WHERE investigation_id = $1 AND what = 'taken'`, [invId]),
    ).toBe(1);
  });

  it('hands the request back to the person on duty when the holder removes :eyes:', async () => {
    await run.event({
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0TOBAN',
      type: 'event_callback',
      event_id: `Ev0UNEYES${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'reaction_removed',
        user: REACTOR,
        reaction: 'eyes',
        item: { type: 'message', channel: post.channel, ts: post.ts },
        item_user: 'UBOT',
        event_ts: `${Math.floor(Date.now() / 1000)}.000400`,
      },
    });
    const updated = (c: FakeSlackCall) =>
      c.method === 'chat.update' && c.body.channel === post.channel && c.body.ts === post.ts;
    const calls = await slack.waitFor((c) => c.filter(updated).length === 2, 15_000);
    const { rows } = await db.ownerPool.query<{ assignee: string; status: string }>(
      'SELECT assignee, status FROM investigations WHERE id = $1',
      [invId],
    );
    // Whoever is on duty now: the one it was filed to, unless a handoff fell in between.
    expect(rows[0]?.status).toBe('open');
    expect(DUTY).toContain(rows[0]?.assignee);
    expect(String(calls.filter(updated)[1]?.body.text)).toContain(`<@${rows[0]?.assignee}>`);
    expect(
      await count(db, `investigation_events WHERE investigation_id = $1 AND what = 'released'`, [invId]),
    ).toBe(1);
  });

  it('opens the Resolve modal from the post’s button; its submission DMs the answer to the requester and replies in the thread', async () => {
    const trigger = triggerId();
    const ack = await run.interact({
      type: 'block_actions',
      user: user(REACTOR),
      api_app_id: 'A0TOBAN',
      token: 'legacy',
      container: { type: 'message', message_ts: post.ts, channel_id: post.channel, is_ephemeral: false },
      trigger_id: trigger,
      team,
      channel: { id: post.channel, name: 'investigations' },
      message: { type: 'message', user: 'UBOT', ts: post.ts, text: `INV-${invId}` },
      response_url: slack.responseUrl('resolve-button'),
      actions: [
        {
          action_id: 'investigation.resolve',
          block_id: 'investigation_actions',
          text: { type: 'plain_text', text: '解決' },
          value: invId,
          type: 'button',
          action_ts: `${Math.floor(Date.now() / 1000)}.000500`,
        },
      ],
      state: { values: {} },
    });
    expect(ack).toBeUndefined();
    const view = (await opened(trigger)).body.view as Record<string, unknown>;
    expect(view.callback_id).toBe('investigation.resolve');
    expect(inputIds(view)).toEqual(['answer', 'cause', 'ticket']);

    const answer = '二重計上はありませんでした。4月10日の決済は1件のみです。';
    const text = (v: string | undefined) => ({ type: 'plain_text_input', value: v ?? null });
    const submitted = await run.interact({
      ...submission({
        ...view,
        id: 'V0RESOLVE',
        team_id: 'T0TEAM',
        app_id: 'A0TOBAN',
        hash: crypto.randomBytes(8).toString('hex'),
        state: {
          values: {
            answer: { answer: text(answer) },
            cause: { cause: text(undefined) },
            ticket: { ticket: text('BILL-431') },
          },
        },
      }),
      user: user(REACTOR),
    });
    expect(
      submitted === undefined || (submitted as { response_action?: string }).response_action === 'clear',
    ).toBe(true);

    // To the requester's DM (the IM channel conversations.open gives), in their language (ja-JP).
    const dm = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === `D${FILER}` &&
      String(c.body.text).startsWith(
        `ご依頼の調査 INV-${invId}（cus_8812）に <@${REACTOR}> が回答しました。`,
      );
    const reply = (c: FakeSlackCall) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === post.channel &&
      c.body.thread_ts === post.ts &&
      String(c.body.text).startsWith(`<@${REACTOR}> が解決しました。`);
    const calls = await slack.waitFor((c) => c.some(dm) && c.some(reply), 15_000);
    expect(calls.filter(dm)).toHaveLength(1);
    expect(String(calls.find(dm)?.body.text)).toContain(answer);
    expect(calls.filter(reply)).toHaveLength(1);
    expect(String(calls.find(reply)?.body.text)).toContain(answer);
    expect(
      calls.some(
        (c) => c.method === 'conversations.open' && (c.body.users === FILER || c.body.user === FILER),
      ),
    ).toBe(true);
    const { rows } = await db.ownerPool.query<{ status: string; answer: string; ticket: string }>(
      'SELECT status, answer, ticket FROM investigations WHERE id = $1',
      [invId],
    );
    expect(rows[0]).toEqual({ status: 'resolved', answer, ticket: 'BILL-431' });
  });

  it('publishes the App Home with the person’s upcoming shifts when it is opened', async () => {
    await run.event({
      token: 'legacy',
      team_id: 'T0TEAM',
      api_app_id: 'A0TOBAN',
      type: 'event_callback',
      event_id: `Ev0HOME${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: 'U0AAA', channel: 'D0AAA', tab: 'home' },
    });
    const calls = await slack.waitFor(
      (c) => c.some((x) => x.method === 'views.publish' && x.body.user_id === 'U0AAA'),
      15_000,
    );
    const publish = calls.find((x) => x.method === 'views.publish' && x.body.user_id === 'U0AAA')!;
    const view = publish.body.view as { type?: string; blocks?: unknown[] };
    expect(view.type).toBe('home');
    const blocks = JSON.stringify(view.blocks);
    // U0AAA is in the primary rotation: the upcoming-shifts section lists their Primary on-call shifts.
    expect(blocks).toContain('あなたのこの先のシフト');
    expect(blocks).toContain('Primary on-call');
    expect(blocks).not.toContain('この先のシフトはありません');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await run.toban.kill('SIGTERM')).toBe(0);
    expect(run.toban.stderr()).not.toContain('xoxb-e2e-token');
  }, 60_000);
});

// Every handler kind through the Slack transport, in process, against PostgreSQL and the fake Slack
// Web API: HTTP requests signed as Slack signs them, Socket Mode envelopes fed to Bolt's receiver as
// its WebSocket client hands them over. The outbox worker delivers to the fake.
import type { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { investigate } from '../../commands/investigate.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { CommandModal, Reply, SlashCommand } from '../../src/core/command.ts';
import type {
  ActionHandler,
  EventHandler,
  HomeHandler,
  ShortcutHandler,
  ViewSubmissionHandler,
} from '../../src/core/handlers.ts';
import type { Modal } from '../../src/core/modal.ts';
import { createRouter } from '../../src/http/router.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createSlackClient } from '../../src/integrations/slack/client.ts';
import { createSlackTransport, type SlackTransport } from '../../src/transport/slack.ts';
import { section, textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { startSlackWorker, type SlackWorker } from '../helpers/outbox.ts';
import { postSigned } from '../helpers/slack-sign.ts';

const SECRET = 'kinds-secret';
let db: TestDatabase;
let slack: FakeSlack;
let restoreNet: () => void;
let worker: SlackWorker | undefined;
let server: http.Server | undefined;
let transport: SlackTransport | undefined;
const work: Promise<unknown>[] = [];

beforeAll(async () => {
  restoreNet = onlyLocalNetwork();
  db = await freshDatabase();
  slack = await startFakeSlack();
});
afterEach(async () => {
  await Promise.all(work.splice(0));
  await transport?.stop();
  transport = undefined;
  await worker?.worker.stop();
  worker = undefined;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
  restoreNet?.();
});

// ── Test handlers ─────────────────────────────────────────────────────────────────────────────────

const form: Modal = {
  callbackId: 'thing.file',
  title: 'File a thing',
  submit: 'File',
  fields: [
    { id: 'title', label: 'Title', kind: 'text' },
    { id: 'due', label: 'Due', kind: 'date', optional: true },
  ],
};

function handlers() {
  const ran = { submit: [] as string[], reaction: 0, closed: 0 };
  const openForm: ShortcutHandler = {
    callbackId: 'thing_new',
    type: 'global',
    name: 'New thing',
    description: 'Files a thing',
    run: async () => ({ view: { action: 'open', modal: form } }),
  };
  const quote: ShortcutHandler = {
    callbackId: 'thing_quote',
    type: 'message',
    name: 'Quote',
    description: 'Quotes a message',
    run: async (s) => ({
      reply: textReply(`${s.message?.authorId} said "${s.message?.text}" (${s.message?.permalink})`),
    }),
  };
  const fileThing: ViewSubmissionHandler = {
    callbackId: 'thing.file',
    async validate(s) {
      return s.values.title ? undefined : { title: `a title, please (${s.locale})` };
    },
    async submit(s) {
      ran.submit.push(`${s.values.title}|${s.values.due}@${s.key}`);
      return { reply: textReply(`filed ${s.values.title}`) };
    },
    async closed() {
      ran.closed++;
    },
  };
  const refresh: ActionHandler = {
    actionId: 'thing.refresh',
    run: async (a) => ({
      view: { action: 'update', modal: { ...form, title: `Again ${a.view?.values.title ?? ''}` } },
    }),
  };
  const reacted: EventHandler<'reaction_added'> = {
    event: 'reaction_added',
    name: 'test.reaction',
    async run(inv) {
      ran.reaction++;
      return textReply(`saw :${inv.event.reaction}:`, 'in_channel');
    },
  };
  const home: HomeHandler = {
    build: async (p) => ({ text: `home of ${p.userId}`, blocks: [section(`home of ${p.userId}`)] }),
  };
  return {
    ran,
    lists: {
      shortcuts: [openForm, quote],
      views: [fileThing],
      actions: [refresh],
      events: [reacted as EventHandler],
      home,
    },
  };
}

async function start(
  mode: 'http' | 'socket',
  opts: {
    userLocale?: (user: string) => Promise<'ja' | 'en' | undefined>;
    answerConcurrency?: number;
    extraEvents?: EventHandler[];
    commands?: SlashCommand<Reply | CommandModal>[];
  } = {},
) {
  const ctx = testContext(db.pool);
  ctx.clock.set(new Date());
  if (opts.userLocale) ctx.directory = { ...ctx.directory, userLocale: opts.userLocale };
  await db.ownerPool.query('TRUNCATE slack_requests, outbox, slack_messages');
  slack.calls.length = 0;
  const h = handlers();
  worker = await startSlackWorker(db, slack);
  transport = await createSlackTransport({
    ctx,
    dispatcher: new Dispatcher(ctx, {
      commands: opts.commands ?? [],
      ...h.lists,
      events: [...h.lists.events, ...(opts.extraEvents ?? [])],
    }),
    answerConcurrency: opts.answerConcurrency,
    client: createSlackClient({ token: 'xoxb-kinds', apiUrl: slack.url }),
    botToken: 'xoxb-kinds',
    botId: 'BBOT',
    botUserId: 'UBOT',
    ...(mode === 'http' ? { signingSecret: SECRET } : { appToken: 'xapp-kinds' }),
    track: (w) => work.push(w),
    outbox: worker.worker,
  });
  let url = '';
  if (mode === 'http') {
    const router = createRouter(ctx.log);
    router.on('POST', '/slack/events', transport.route!);
    server = createHttpServer(router, ctx.log);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  }
  return { ctx, ran: h.ran, url };
}

const interact = (url: string, payload: unknown) =>
  postSigned(url, SECRET, { payload: JSON.stringify(payload) });
const sendEvent = (url: string, body: unknown, retry?: number) =>
  postSigned(url, SECRET, JSON.stringify(body), {
    contentType: 'application/json',
    headers: retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {},
  });

function submission(values: Record<string, unknown>, id = 'V1', hash?: string) {
  return {
    type: 'view_submission',
    user: { id: 'U0AAA' },
    view: {
      id,
      callback_id: 'thing.file',
      state: { values },
      ...(hash ? { hash } : {}),
    },
  };
}

/** The states of the outbox rows of `kind` once none is pending (the worker has delivered them). */
async function settled(kind: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await db.pool.query(`SELECT state FROM outbox WHERE kind = $1 ORDER BY id`, [kind]);
    if (rows.every((r) => r.state !== 'pending')) return rows.map((r) => r.state);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`outbox rows of ${kind} still pending`);
}

const requests = async () =>
  (await db.pool.query(`SELECT key, kind, state FROM slack_requests ORDER BY id`)).rows;

describe('view submissions (HTTP)', () => {
  it('answers a bad field with response_action errors and stores nothing', async () => {
    const { url, ran } = await start('http');
    const res = await interact(
      url,
      submission({ title: { title: { type: 'plain_text_input', value: '   ' } } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { title: 'a title, please (ja)' },
    });
    expect(await requests()).toEqual([]);
    expect(ran.submit).toEqual([]);
  });

  it('stores a good one, closes the modal, runs submit once and posts its reply', async () => {
    const { url, ran } = await start('http');
    const res = await interact(
      url,
      submission({
        title: { title: { type: 'plain_text_input', value: ' Printer ' } },
        due: { due: { type: 'datepicker', selected_date: '2024-05-01' } },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await Promise.all(work.splice(0));
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage'));
    expect(ran.submit).toHaveLength(1);
    expect(ran.submit[0]).toMatch(/^Printer\|2024-05-01@sig:/);
    expect(calls.find((c) => c.method === 'chat.postMessage')?.body.text).toBe('filed Printer');
    expect((await requests()).map((r) => r.state)).toEqual(['answered']);
  });
});

describe('view submissions submitted twice (HTTP)', () => {
  it('files once when the same modal is submitted again unchanged (same view id and hash, a new signature)', async () => {
    const { url, ran } = await start('http');
    const body = submission(
      { title: { title: { type: 'plain_text_input', value: 'Printer' } } },
      'V9',
      '1712710800.AbCdEf',
    );
    const first = await interact(url, body);
    // Pressed again a second later (after Slack said it could not connect): signed anew.
    const again = await postSigned(
      url,
      SECRET,
      { payload: JSON.stringify(body) },
      {
        timestampSec: Math.floor(Date.now() / 1000) + 1,
      },
    );
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.text()).toBe('');
    await Promise.all(work.splice(0));
    expect(ran.submit).toEqual(['Printer|undefined@view:V9:1712710800.AbCdEf']);
    expect(await requests()).toHaveLength(1);
    // The same view after an update (another hash) is another submission.
    await interact(url, { ...body, view: { ...body.view, hash: '1712710801.XyZ' } });
    await Promise.all(work.splice(0));
    expect(ran.submit).toHaveLength(2);
  });
});

describe('a trigger_id does not wait (HTTP)', () => {
  it('opens the modal without waiting for a slow users.info (the configured language is used)', async () => {
    let localeAnswered = false;
    const { url } = await start('http', {
      userLocale: () =>
        new Promise((r) =>
          setTimeout(() => {
            localeAnswered = true;
            r('en');
          }, 5_000),
        ),
    });
    await interact(url, {
      type: 'shortcut',
      user: { id: 'U0NEW' },
      callback_id: 'thing_new',
      trigger_id: 't1',
    });
    await slack.waitFor((c) => c.some((x) => x.method === 'views.open'));
    expect(localeAnswered).toBe(false);
    await Promise.all(work.splice(0));
  });

  it('opens the modal while every answer slot is busy with slow answers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    const slow: EventHandler<'app_mention'> = {
      event: 'app_mention',
      name: 'test.slow',
      async run() {
        held++;
        await gate;
        return undefined;
      },
    };
    const { url } = await start('http', { answerConcurrency: 1, extraEvents: [slow as EventHandler] });
    const mention = (id: string) => ({
      type: 'event_callback',
      event_id: id,
      event: { type: 'app_mention', user: 'U0BBB', channel: 'C0ALERTS', text: 'hi', ts: '1712710800.000100' },
    });
    await sendEvent(url, mention('EvSlow1'));
    await sendEvent(url, mention('EvSlow2'));
    await vi.waitFor(() => expect(held).toBe(1));
    await interact(url, {
      type: 'shortcut',
      user: { id: 'U0AAA' },
      callback_id: 'thing_new',
      trigger_id: 't2',
    });
    await slack.waitFor((c) => c.some((x) => x.method === 'views.open'));
    expect(held).toBe(1); // the second mention still waits its turn; the shortcut did not
    release();
    await Promise.all(work.splice(0));
  });
});

describe('shortcuts and modals (HTTP)', () => {
  it('opens the modal with the trigger_id once the request has committed', async () => {
    const { url } = await start('http');
    // Answered a second late: while it is open, the request's state shows what had committed before.
    slack.failNext('views.open', { delayMs: 1_000 });
    const res = await interact(url, {
      type: 'shortcut',
      user: { id: 'U0AAA' },
      callback_id: 'thing_new',
      trigger_id: 'trig-1',
    });
    expect(res.status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'views.open'));
    expect((await requests()).map((r) => r.state)).toEqual(['answered']);
    await Promise.all(work.splice(0));
    const open = slack.callsTo('views.open')[0]!;
    expect(open.body.trigger_id).toBe('trig-1');
    const view = open.body.view as { callback_id: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe('thing.file');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'due']);
  });

  it.each([
    ['expired_trigger_id', { error: 'expired_trigger_id' } as const],
    ['http_500', { status: 500 } as const],
  ])('tells the person when views.open fails (%s)', async (reason, spec) => {
    const { url } = await start('http');
    slack.failNext('views.open', spec);
    await interact(url, {
      type: 'shortcut',
      user: { id: 'U0AAA' },
      callback_id: 'thing_new',
      trigger_id: 'tr',
    });
    await Promise.all(work.splice(0));
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage'));
    const dm = calls.find((c) => c.method === 'chat.postMessage')!;
    expect(dm.body.channel).toBe('DU0AAA');
    expect(String(dm.body.text)).toContain('フォームを開けませんでした');
    if (reason !== 'http_500') expect(String(dm.body.text)).toContain(reason);
    expect(slack.callsTo('views.open')).toHaveLength(1);
  });

  it('opens the modal a slash command typed alone asks for (/investigate) with its trigger_id, posting nothing else', async () => {
    const { url } = await start('http', { commands: [investigate] });
    const res = await postSigned(url, SECRET, {
      command: '/investigate',
      text: '',
      user_id: 'U0AAA',
      channel_id: 'C0X',
      response_url: slack.responseUrl('investigate'),
      trigger_id: 'trig-cmd',
    });
    expect(res.status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'views.open'));
    await Promise.all(work.splice(0));
    const open = slack.callsTo('views.open')[0]!;
    expect(open.body.trigger_id).toBe('trig-cmd');
    expect((open.body.view as { callback_id: string }).callback_id).toBe('investigation.file');
    expect(await settled('slack.respond')).toEqual([]);
    expect(slack.callsTo('respond/investigate')).toHaveLength(0);
  });

  it('tells the person to try again when the modal of a slash command cannot be opened', async () => {
    const { url } = await start('http', { commands: [investigate] });
    slack.failNext('views.open', { error: 'expired_trigger_id' });
    await postSigned(url, SECRET, {
      command: '/investigate',
      text: '',
      user_id: 'U0AAA',
      response_url: slack.responseUrl('investigate-late'),
      trigger_id: 'trig-late',
    });
    await Promise.all(work.splice(0));
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'respond/investigate-late'));
    const said = calls.find((c) => c.method === 'respond/investigate-late')!;
    expect(String(said.body.text)).toContain('フォームを開けませんでした');
    expect(String(said.body.text)).toContain('expired_trigger_id');
  });

  it('answers a message shortcut at its response_url, with the message it was used on', async () => {
    const { url } = await start('http');
    const res = await interact(url, {
      type: 'message_action',
      user: { id: 'U0AAA' },
      callback_id: 'thing_quote',
      trigger_id: 'tr-3',
      team: { id: 'T1', domain: 'acme' },
      channel: { id: 'C0ALERTS' },
      message: { ts: '1712710800.000300', text: 'the printer is on fire', user: 'U0BBB' },
      response_url: slack.responseUrl('quote'),
    });
    expect(res.status).toBe(200);
    await Promise.all(work.splice(0));
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'respond/quote'));
    expect(calls.find((c) => c.method === 'respond/quote')!.body.text).toBe(
      'U0BBB said "the printer is on fire" (https://acme.slack.com/archives/C0ALERTS/p1712710800000300)',
    );
  });

  it('updates the modal a block action inside it came from (views.update)', async () => {
    const { url } = await start('http');
    await interact(url, {
      type: 'block_actions',
      user: { id: 'U0AAA' },
      trigger_id: 'tr-2',
      container: { type: 'view', view_id: 'V42' },
      actions: [{ action_id: 'thing.refresh', type: 'button', value: 'x' }],
      view: {
        id: 'V42',
        callback_id: 'thing.file',
        state: { values: { title: { title: { type: 'plain_text_input', value: 'Mouse' } } } },
      },
    });
    await Promise.all(work.splice(0));
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'views.update'));
    const update = calls.find((c) => c.method === 'views.update')!;
    expect(update.body.view_id).toBe('V42');
    expect((update.body.view as { title: { text: string } }).title.text).toBe('Again Mouse');
    expect(await settled('slack.view-update')).toEqual(['delivered']);
  });

  it('stores and answers view_closed through closed()', async () => {
    const { url, ran } = await start('http');
    const res = await interact(url, { ...submission({}), type: 'view_closed' });
    expect(res.status).toBe(200);
    await Promise.all(work.splice(0));
    expect(ran.closed).toBe(1);
    expect((await requests()).map((r) => r.state)).toEqual(['answered']);
  });
});

describe('events (HTTP)', () => {
  const reaction = {
    type: 'event_callback',
    event_id: 'Ev0REACT',
    event: {
      type: 'reaction_added',
      user: 'U0AAA',
      reaction: 'eyes',
      item: { type: 'message', channel: 'C0ALERTS', ts: '1712710800.000100' },
    },
  };

  it('runs a reaction handler once although Slack delivers the event twice, replying in the thread', async () => {
    const { url, ran } = await start('http');
    expect((await sendEvent(url, reaction)).status).toBe(200);
    expect((await sendEvent(url, reaction, 1)).status).toBe(200);
    await Promise.all(work.splice(0));
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage'));
    expect(ran.reaction).toBe(1);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ channel: 'C0ALERTS', thread_ts: '1712710800.000100' });
  });

  it('publishes the App Home once when it is opened', async () => {
    const { url } = await start('http');
    const opened = {
      type: 'event_callback',
      event_id: 'Ev0HOME',
      event: { type: 'app_home_opened', user: 'U0BBB', tab: 'home' },
    };
    await sendEvent(url, opened);
    await sendEvent(url, opened, 1);
    await Promise.all(work.splice(0));
    await slack.waitFor((c) => c.some((x) => x.method === 'views.publish'));
    const publishes = slack.callsTo('views.publish');
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.body.user_id).toBe('U0BBB');
    expect((publishes[0]!.body.view as { type: string }).type).toBe('home');
    expect(slack.homes.get('U0BBB')).toMatchObject({ type: 'home' });
    expect(await settled('slack.publish')).toEqual(['delivered']);
  });

  it('stores an event of an unknown type and runs nothing; a field of the wrong type is a 400', async () => {
    const { url } = await start('http');
    const unknown = { type: 'event_callback', event_id: 'Ev0ODD', event: { type: 'emoji_changed' } };
    expect((await sendEvent(url, unknown)).status).toBe(200);
    const bad = { ...reaction, event_id: 'Ev0BAD', event: { ...reaction.event, reaction: 42 } };
    const res = await sendEvent(url, bad);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('event.reaction');
    await Promise.all(work.splice(0));
    expect(await requests()).toEqual([{ key: 'event:Ev0ODD', kind: 'event', state: 'answered' }]);
  });
});

describe('Socket Mode', () => {
  function socket() {
    const client = (transport!.receiver as unknown as { inner: { client: EventEmitter } }).inner.client;
    return async (envelope: string, type: string, body: unknown) => {
      let response: unknown;
      await new Promise<void>((resolve) =>
        client.emit('slack_event', {
          ack: async (r?: unknown) => {
            response = r;
            resolve();
          },
          envelope_id: envelope,
          type,
          body,
        }),
      );
      return response;
    };
  }

  it('acks a bad submission with response_action errors in the envelope and stores nothing', async () => {
    await start('socket');
    const deliver = socket();
    const ack = await deliver('env-v1', 'interactive', submission({}));
    expect(ack).toEqual({ response_action: 'errors', errors: { title: 'a title, please (ja)' } });
    expect(await requests()).toEqual([]);
  });

  it('runs an event once although it is redelivered in another envelope', async () => {
    const { ran } = await start('socket');
    const deliver = socket();
    const event = {
      type: 'event_callback',
      event_id: 'Ev0SOCKR',
      event: {
        type: 'reaction_added',
        user: 'U0AAA',
        reaction: 'eyes',
        item: { type: 'message', channel: 'C0ALERTS', ts: '1712710800.000200' },
      },
    };
    await deliver('env-e1', 'events_api', event);
    await deliver('env-e2', 'events_api', event);
    await Promise.all(work.splice(0));
    expect(ran.reaction).toBe(1);
    expect(await requests()).toEqual([{ key: 'event:Ev0SOCKR', kind: 'event', state: 'answered' }]);
  });
});

// The Dispatcher for every kind but slash commands (those: test/db/dispatch.test.ts): routing,
// errors as replies in the person's language, the view acknowledgement's rules, events in
// registration order, the App Home, and Slack's limits on what handlers return.
import { describe, expect, it } from 'vitest';
import { Dispatcher, type HandlerLists } from '../../src/app/dispatch.ts';
import type { EventHandler, ViewSubmission, ViewSubmissionHandler } from '../../src/core/handlers.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Modal } from '../../src/core/modal.ts';
import type { Pool } from '../../src/db/pool.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';

function dispatcher(lists: Partial<HandlerLists>) {
  const ctx = testContext({} as Pool);
  return { d: new Dispatcher(ctx, { commands: [], ...lists }), logs: ctx.logs };
}

const modal: Modal = {
  callbackId: 'm',
  title: 'A title far longer than Slack allows for a modal',
  fields: [{ id: 'f', label: 'F', kind: 'select', options: [{ value: 'v', label: 'x'.repeat(100) }] }],
};

function view(over: Partial<ViewSubmissionHandler>): ViewSubmissionHandler {
  return {
    callbackId: 'v',
    validate: async () => undefined,
    submit: async () => undefined,
    ...over,
  };
}

const sub = (values: Record<string, string | undefined> = { a: 'x', b: 'y' }): ViewSubmission => ({
  callbackId: 'v',
  values,
  userId: 'U0AAA',
  locale: 'en',
});

describe('Dispatcher: registration', () => {
  it('refuses two handlers with one id in a list', () => {
    const a = { actionId: 'same', run: async () => undefined };
    expect(() => dispatcher({ actions: [a, a] })).toThrow(/two action handlers registered as same/);
    const v = view({});
    expect(() => dispatcher({ views: [v, v] })).toThrow(/view submission/);
  });

  it('says what is registered', () => {
    const ev: EventHandler = { event: 'app_mention', name: 'x', run: async () => undefined };
    const { d } = dispatcher({
      actions: [{ actionId: 'a1', run: async () => undefined }],
      shortcuts: [{ callbackId: 's1', type: 'message', name: 'S', description: 'd', run: async () => ({}) }],
      views: [view({})],
      events: [ev],
    });
    expect(d.registered()).toEqual({
      commands: [],
      actions: ['a1'],
      shortcuts: [{ callbackId: 's1', type: 'message', name: 'S' }],
      views: ['v'],
      events: ['app_mention'],
    });
  });
});

describe('Dispatcher: shortcuts and actions', () => {
  it('turns a UserError into its message and any other error into an internal error with a logged ref', async () => {
    const { d, logs } = dispatcher({
      shortcuts: [
        {
          callbackId: 'user',
          type: 'global',
          name: 'u',
          description: 'd',
          run: async () => {
            throw new UserError('oncall.unknown_rotation', { rotation: 'x', known: 'primary' });
          },
        },
        {
          callbackId: 'boom',
          type: 'global',
          name: 'b',
          description: 'd',
          run: async () => {
            throw new TypeError('boom');
          },
        },
      ],
    });
    const user = await d.shortcut({ callbackId: 'user', type: 'global', userId: 'U1', locale: 'en' });
    expect(user.error).toBe('user');
    expect(user.reply?.message.text).toContain('There is no rotation `x`');
    const boom = await d.shortcut({ callbackId: 'boom', type: 'global', userId: 'U1', locale: 'ja' });
    expect(boom.error).toBe('system');
    const ref = /（([^）]+)）/.exec(boom.reply!.message.text)?.[1];
    expect(ref).toBeDefined();
    expect(logs.lines.some((l) => l.level === 'error' && l.ref === ref && l.code === 'E_HANDLER')).toBe(true);
  });

  it('answers an unknown shortcut in the person’s language, and an unknown action with nothing', async () => {
    const { d } = dispatcher({});
    const out = await d.shortcut({ callbackId: 'nope', type: 'global', userId: 'U1', locale: 'en' });
    expect(out.reply?.message.text).toContain('toban does not know the shortcut `nope`');
    expect(await d.press({ actionId: 'nope', userId: 'U1', locale: 'en' })).toBeUndefined();
  });

  it('says a shortcut sent with the other type is of the other type, not unknown', async () => {
    const run = async () => ({});
    const { d } = dispatcher({
      shortcuts: [
        { callbackId: 'on_message', type: 'message', name: 'Investigate this', description: 'd', run },
        { callbackId: 'anywhere', type: 'global', name: 'Request investigation', description: 'd', run },
      ],
    });
    const asGlobal = await d.shortcut({
      callbackId: 'on_message',
      type: 'global',
      userId: 'U1',
      locale: 'en',
    });
    expect(asGlobal.error).toBe('user');
    expect(asGlobal.reply?.message.text).toContain('“Investigate this” is a message shortcut');
    expect(asGlobal.reply?.message.text).not.toContain('does not know');
    const onMessage = await d.shortcut({
      callbackId: 'anywhere',
      type: 'message',
      userId: 'U1',
      locale: 'ja',
    });
    expect(onMessage.error).toBe('user');
    expect(onMessage.reply?.message.text).toContain(
      '「Request investigation」はグローバルショートカットです',
    );
  });

  it('fits a modal a handler returns to Slack’s limits', async () => {
    const { d } = dispatcher({
      actions: [{ actionId: 'open', run: async () => ({ view: { action: 'open', modal } }) }],
    });
    const out = await d.press({ actionId: 'open', userId: 'U1', locale: 'en' });
    expect(out?.view?.modal.title.length).toBe(24);
    expect(out?.view?.modal.fields[0]!.options![0]!.label.length).toBe(75);
  });

  it('refuses private_metadata over 3,000 characters as an internal error rather than cutting it', async () => {
    const { d } = dispatcher({
      actions: [
        {
          actionId: 'big',
          run: async () => ({
            view: { action: 'open', modal: { ...modal, privateMetadata: 'x'.repeat(3001) } },
          }),
        },
      ],
    });
    const out = await d.press({ actionId: 'big', userId: 'U1', locale: 'en' });
    expect(out?.error).toBe('system');
    expect(out?.view).toBeUndefined();
  });
});

describe('Dispatcher: acknowledging a view submission', () => {
  it('closes an unknown callback', async () => {
    expect(await dispatcher({}).d.acknowledgeView(sub())).toEqual({ action: 'close' });
  });

  it('keeps the modal open with the errors validate() gives', async () => {
    const { d } = dispatcher({ views: [view({ validate: async () => ({ b: 'no' }) })] });
    expect(await d.acknowledgeView(sub())).toEqual({ action: 'errors', errors: { b: 'no' } });
  });

  it('puts a validate() failure under the first field, with its reference, so nothing is lost silently', async () => {
    const { d } = dispatcher({
      views: [
        view({
          validate: async () => {
            throw new TypeError('boom');
          },
        }),
      ],
    });
    const ack = await d.acknowledgeView(sub());
    expect(ack.action).toBe('errors');
    const errors = (ack as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(['a']);
    expect(errors.a).toMatch(/Something went wrong \(\S+\)/);
    expect(await d.acknowledgeView(sub({}))).toEqual({ action: 'close' });
  });

  it('shows pending() while submit runs, else closes', async () => {
    const pending: Modal = { callbackId: 'v', title: 'Working…', fields: [] };
    const withPending = dispatcher({ views: [view({ pending: () => pending })] }).d;
    expect(await withPending.acknowledgeView(sub())).toEqual({ action: 'update', modal: pending });
    expect(await dispatcher({ views: [view({})] }).d.acknowledgeView(sub())).toEqual({ action: 'close' });
  });

  it('answers submit() errors as replies and logs a closed() failure', async () => {
    const { d, logs } = dispatcher({
      views: [
        view({
          submit: async () => {
            throw new UserError('error.bad_date', { value: 'tomorrowish' });
          },
          closed: async () => {
            throw new Error('closed failed');
          },
        }),
      ],
    });
    const out = await d.submitView(sub());
    expect(out?.reply?.message.text).toContain('tomorrowish');
    await d.closeView(sub());
    expect(logs.lines.some((l) => l.msg === 'v closed failed')).toBe(true);
  });
});

describe('Dispatcher: events and the App Home', () => {
  it('runs every handler of the type in order; one failing does not stop the next', async () => {
    const order: string[] = [];
    const h = (name: string, fail = false): EventHandler => ({
      event: 'app_mention',
      name,
      run: async () => {
        order.push(name);
        if (fail) throw new Error(name);
        return textReply(name, 'in_channel');
      },
    });
    const other: EventHandler = { event: 'member_joined_channel', name: 'other', run: async () => undefined };
    const { d } = dispatcher({ events: [h('one'), h('two', true), other, h('three')] });
    const out = await d.event({
      event: { type: 'app_mention', userId: 'U1', channelId: 'C1', text: 'hi', ts: '1.2' },
      eventId: 'Ev1',
      locale: 'en',
    });
    expect(order).toEqual(['one', 'two', 'three']);
    expect(out.replies.map((r) => r.message.text)).toEqual(['one', 'three']);
    expect(out.home).toBeUndefined();
  });

  it('builds the home on app_home_opened (home tab only), and says so when the builder fails', async () => {
    const { d } = dispatcher({ home: { build: async (p) => ({ text: `hi ${p.userId}`, blocks: [] }) } });
    const opened = (tab: 'home' | 'messages') =>
      d.event({ event: { type: 'app_home_opened', userId: 'U9', tab }, eventId: 'E', locale: 'en' });
    expect((await opened('home')).home?.text).toBe('hi U9');
    expect((await opened('messages')).home).toBeUndefined();
    const failing = dispatcher({
      home: {
        build: async () => {
          throw new Error('x');
        },
      },
    }).d;
    expect((await failing.home({ userId: 'U9', locale: 'en' })).text).toMatch(/Something went wrong/);
  });
});

// Slack's payloads checked at the boundary (slack-bodies.ts) and turned into the contract's typed
// invocations (slack-invocations.ts).
import { describe, expect, it } from 'vitest';
import { parseSlackBody, parseSocketBody, type InteractionBody } from '../../src/transport/slack-bodies.ts';
import {
  actionInvocation,
  eventInvocation,
  shortcutInvocation,
  viewSubmission,
} from '../../src/transport/slack-invocations.ts';

const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

function interaction(payload: unknown): InteractionBody {
  const parsed = parseSlackBody('form', form(payload));
  if (parsed.kind !== 'interaction') throw new Error(JSON.stringify(parsed));
  return parsed.body;
}

const asked = { locale: 'en' as const, key: 'k1' };

describe('block actions', () => {
  it('reads a menu’s selected option, the trigger, the container, the message and the modal', () => {
    const body = interaction({
      type: 'block_actions',
      user: { id: 'U0AAA' },
      trigger_id: 'tr',
      team: { id: 'T1', domain: 'acme' },
      channel: { id: 'C1' },
      container: { type: 'message', message_ts: '1.5', channel_id: 'C1' },
      message: { ts: '1.5', text: 'hello', user: 'U0BBB', thread_ts: '1.0' },
      actions: [{ action_id: 'pick', type: 'static_select', selected_option: { value: 'b' } }],
    });
    expect(body.type === 'block_actions' && actionInvocation(body, asked)).toEqual({
      actionId: 'pick',
      value: 'b',
      userId: 'U0AAA',
      channelId: 'C1',
      locale: 'en',
      key: 'k1',
      triggerId: 'tr',
      container: { type: 'message', messageTs: '1.5', viewId: undefined },
      messageTs: '1.5',
      message: {
        channelId: 'C1',
        ts: '1.5',
        text: 'hello',
        authorId: 'U0BBB',
        threadTs: '1.0',
        permalink: 'https://acme.slack.com/archives/C1/p15?thread_ts=1.0&cid=C1',
      },
    });
  });

  it('reads a user or a date picked, and the values of the modal it sits in', () => {
    const body = interaction({
      type: 'block_actions',
      user: { id: 'U0AAA' },
      container: { type: 'view', view_id: 'V1' },
      actions: [{ action_id: 'who', type: 'users_select', selected_user: 'U0CCC' }],
      view: {
        id: 'V1',
        callback_id: 'cb',
        private_metadata: '{}',
        state: { values: { due: { due: { type: 'datepicker', selected_date: '2024-05-01' } } } },
      },
    });
    const inv = body.type === 'block_actions' ? actionInvocation(body, asked) : undefined;
    expect(inv?.value).toBe('U0CCC');
    expect(inv?.view).toEqual({
      id: 'V1',
      callbackId: 'cb',
      privateMetadata: '{}',
      values: { due: '2024-05-01' },
    });
  });
});

describe('shortcuts and view submissions', () => {
  it('reads a message shortcut’s message, author and permalink (none without the team domain)', () => {
    const payload = {
      type: 'message_action',
      callback_id: 'investigate_from_message',
      user: { id: 'U0AAA' },
      trigger_id: 'tr',
      channel: { id: 'C9' },
      message: { ts: '1712710800.000100', text: 'payment failed', user: 'U0BBB' },
      response_url: 'https://hooks.slack.com/app/T/1/x',
    };
    const withDomain = interaction({ ...payload, team: { id: 'T1', domain: 'acme' } });
    const inv = shortcutInvocation(withDomain as never, asked);
    expect(inv).toMatchObject({ type: 'message', callbackId: 'investigate_from_message', triggerId: 'tr' });
    expect(inv.message).toEqual({
      channelId: 'C9',
      ts: '1712710800.000100',
      text: 'payment failed',
      authorId: 'U0BBB',
      threadTs: undefined,
      permalink: 'https://acme.slack.com/archives/C9/p1712710800000100',
    });
    expect(shortcutInvocation(interaction(payload) as never, asked).message?.permalink).toBeUndefined();
  });

  it('gives the message’s text as typed, Slack’s &amp; &lt; &gt; escapes undone', () => {
    const body = interaction({
      type: 'message_action',
      callback_id: 'investigate_from_message',
      user: { id: 'U0AAA' },
      channel: { id: 'C9' },
      // Typed: "A & B <ok> &lt; <@U0BBB>" (a mention stays a mention).
      message: { ts: '1.1', text: 'A &amp; B &lt;ok&gt; &amp;lt; <@U0BBB>', user: 'U0BBB' },
    });
    expect(shortcutInvocation(body as never, asked).message?.text).toBe('A & B <ok> &lt; <@U0BBB>');
  });

  it('reads a submission’s values by field id', () => {
    const body = interaction({
      type: 'view_submission',
      user: { id: 'U0AAA' },
      view: {
        id: 'V1',
        callback_id: 'thing.file',
        state: {
          values: {
            title: { title: { type: 'plain_text_input', value: ' x ' } },
            cat: { cat: { type: 'static_select', selected_option: { value: 'bug' } } },
            who: { who: { type: 'users_select', selected_user: null } },
          },
        },
      },
    });
    expect(viewSubmission(body as never, asked)).toMatchObject({
      callbackId: 'thing.file',
      viewId: 'V1',
      values: { title: 'x', cat: 'bug', who: undefined },
    });
  });

  it('refuses a field of the wrong type, naming it', () => {
    const parsed = parseSlackBody(
      'form',
      form({ type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1', private_metadata: 42 } }),
    );
    expect(parsed).toMatchObject({ kind: 'invalid' });
    expect((parsed as { error: string }).error).toContain('payload.view.private_metadata');
  });
});

describe('events', () => {
  const body = (event: Record<string, unknown>) =>
    JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event });

  it('reads each subscribed type into its typed event', () => {
    const read = (event: Record<string, unknown>) => {
      const parsed = parseSlackBody('json', body(event));
      if (parsed.kind !== 'event') throw new Error(JSON.stringify(parsed));
      return eventInvocation(parsed.body, asked)?.event;
    };
    expect(
      read({
        type: 'reaction_added',
        user: 'U1',
        reaction: 'eyes',
        item: { type: 'message', channel: 'C1', ts: '1.1' },
      }),
    ).toEqual({
      type: 'reaction_added',
      userId: 'U1',
      reaction: 'eyes',
      item: { channelId: 'C1', ts: '1.1' },
      itemUserId: undefined,
    });
    expect(
      read({ type: 'reaction_removed', user: 'U1', reaction: 'eyes', item: { type: 'file', file: 'F1' } }),
    ).toBeUndefined();
    expect(
      read({ type: 'app_mention', user: 'U1', channel: 'C1', text: 'hi', ts: '2.2', thread_ts: '1.1' }),
    ).toEqual({
      type: 'app_mention',
      userId: 'U1',
      channelId: 'C1',
      text: 'hi',
      ts: '2.2',
      threadTs: '1.1',
    });
    expect(read({ type: 'member_joined_channel', user: 'U1', channel: 'C1', inviter: 'U2' })).toEqual({
      type: 'member_joined_channel',
      userId: 'U1',
      channelId: 'C1',
      inviterId: 'U2',
    });
    expect(read({ type: 'app_home_opened', user: 'U1', tab: 'home' })).toEqual({
      type: 'app_home_opened',
      userId: 'U1',
      tab: 'home',
    });
    expect(read({ type: 'emoji_changed', subtype: 'add' })).toBeUndefined();
  });

  it('carries when Slack says the event happened: its event_ts, else the envelope’s event_time', () => {
    const tsOf = (envelope: Record<string, unknown>, eventTs?: string) => {
      const event = {
        type: 'reaction_added',
        user: 'U1',
        reaction: 'eyes',
        item: { type: 'message', channel: 'C1', ts: '1.1' },
        ...(eventTs ? { event_ts: eventTs } : {}),
      };
      const parsed = parseSlackBody(
        'json',
        JSON.stringify({ type: 'event_callback', event_id: 'Ev1', ...envelope, event }),
      );
      if (parsed.kind !== 'event') throw new Error(JSON.stringify(parsed));
      return eventInvocation(parsed.body, asked)?.eventTs;
    };
    expect(tsOf({ event_time: 1712710805 }, '1712710805.000300')).toBe('1712710805.000300');
    expect(tsOf({ event_time: 1712710805 })).toBe('1712710805.000000');
    expect(tsOf({})).toBeUndefined();
  });

  it('refuses a subscribed event with a field of the wrong type, over HTTP and Socket Mode', () => {
    const bad = { type: 'app_mention', user: 'U1', channel: 7, ts: '1.1' };
    expect(parseSlackBody('json', body(bad))).toEqual({
      kind: 'invalid',
      error: expect.stringContaining('event.channel'),
    });
    expect(parseSocketBody(JSON.parse(body(bad)))).toMatchObject({ kind: 'invalid' });
  });
});

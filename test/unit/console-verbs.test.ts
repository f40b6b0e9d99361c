import { describe, expect, it } from 'vitest';
import { consoleSession } from '../helpers/console-session.ts';

describe('console mode: shortcuts, reactions, App Home and help', () => {
  it('numbers the messages it prints and runs a message shortcut on #n with that message', async () => {
    const { out, dispatch } = await consoleSession([
      '/post first',
      '/post second <@U0BBB>',
      'shortcut Ticket this on 2',
      '', // title: keep the message's text
      '',
      '',
      '',
    ]);
    expect(out).toMatch(/^#1 Posted: first$/m);
    expect(out).toMatch(/^#2 Posted: second @Ben$/m);
    const [s] = dispatch.of('shortcut');
    expect(s!.shortcut).toMatchObject({
      callbackId: 'ticket_from_message',
      type: 'message',
      userId: 'U0FIN1',
      channelId: 'C0ALERTS',
      message: { channelId: 'C0ALERTS', text: 'second <@U0BBB>' },
    });
    expect(s!.shortcut.triggerId).toBeTruthy();
    const ts = s!.shortcut.message!.ts;
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    const [sub] = dispatch.of('submitView');
    expect(sub!.submission).toMatchObject({
      privateMetadata: `C0ALERTS/${ts}`,
      values: { title: 'second <@U0BBB>' },
    });
  });

  it('hands a message shortcut the message’s text as typed, not mrkdwn-escaped (as from Slack)', async () => {
    const { dispatch } = await consoleSession([
      '/post refund &amp; resend &lt;5,000&gt;',
      'shortcut Ticket this on 1',
      '',
      '',
      '',
      '',
    ]);
    const [s] = dispatch.of('shortcut');
    expect(s!.shortcut.message?.text).toBe('refund & resend <5,000>');
  });

  it('runs a global shortcut by callback id or by name, and says which form a shortcut needs', async () => {
    const { out, dispatch } = await consoleSession([
      '/post x',
      'shortcut ticket_new on 1',
      'shortcut ticket this',
      'shortcut nope',
      'shortcut Ticket this on 9',
      'shortcut',
    ]);
    expect(out).toContain('`ticket_new` is a global shortcut: `shortcut ticket_new`, without `on`.');
    expect(out).toContain('`ticket this` is a message shortcut: `shortcut ticket this on <n>`.');
    expect(out).toContain('There is no shortcut `nope`. Type `help` for the list.');
    expect(out).toContain('There is no message #9.');
    expect(out).toContain('Name a shortcut: `shortcut <name>`');
    expect(dispatch.of('shortcut')).toHaveLength(0);
  });

  it('sends a reaction event on message #n, with a fresh event id each time, and prints the replies', async () => {
    const { out, dispatch } = await consoleSession([
      '/post alert',
      'react eyes 1',
      'react :eyes: #1',
      'unreact eyes 1',
      'as U0BBB',
      'react white_check_mark 1',
      'react eyes 7',
      'react eyes',
    ]);
    const events = dispatch.of('event').map((c) => c.inv);
    expect(events.map((e) => [e.event.type, 'reaction' in e.event && e.event.reaction])).toEqual([
      ['reaction_added', 'eyes'],
      ['reaction_added', 'eyes'],
      ['reaction_removed', 'eyes'],
      ['reaction_added', 'white_check_mark'],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
    // Each with an event_ts of Slack's shape, later than the one before: typed order is event order.
    const tss = events.map((e) => e.eventTs!);
    for (const ts of tss) expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    const micros = tss.map((ts) => BigInt(ts.replace('.', '')));
    for (let i = 1; i < micros.length; i++) expect(micros[i]! > micros[i - 1]!).toBe(true);
    const posted = dispatch.of('run')[0]!;
    expect(posted.inv.channelId).toBe('C0ALERTS');
    for (const e of events)
      expect(e.event).toMatchObject({
        item: { channelId: 'C0ALERTS', ts: expect.stringMatching(/^\d+\.\d+$/) },
      });
    expect(events[3]!.event.userId).toBe('U0BBB');
    expect(out).toContain('[:eyes: added to #1]');
    expect(out).toContain('[:eyes: removed from #1]');
    // The handler's replies are messages too: numbered after the one reacted to.
    expect(out).toMatch(/^#2 @Hanako is looking at \d+\.\d+$/m);
    expect(out).toMatch(/^#3 @Hanako is looking at /m);
    expect(out).toContain('There is no message #7.');
    expect(out).toContain('Give an emoji and a message number, e.g. `react eyes 3`.');
  });

  it('prints the App Home of the current user, rendered, not numbered as a message', async () => {
    const { out, dispatch } = await consoleSession(['as U0AAA', 'home']);
    expect(dispatch.of('home')[0]!.person).toEqual({ userId: 'U0AAA', locale: 'en' });
    expect(out).toContain('[App Home of Aiko]\n== Your shifts ==\nNext: Mon 10:00 @Aiko');
    expect(out).not.toMatch(/^#\d/m);
  });

  it('lists its verbs, the registered commands and shortcuts in the user’s language', async () => {
    const en = await consoleSession(['help']);
    expect(en.out).toContain('`shortcut <name> on <n>`  run a message shortcut on message #n');
    expect(en.out).toContain('`react <emoji> <n>`, `unreact <emoji> <n>`');
    expect(en.out).toContain('`home`  show your App Home');
    expect(en.out).toContain('Slash commands: /post');
    expect(en.out).toContain('  File ticket (`ticket_new`, global)');
    expect(en.out).toContain('  Ticket this (`ticket_from_message`, on a message)');
    const ja = await consoleSession(['help'], { locale: 'ja' });
    expect(ja.out).toContain('`home`  App ホームを表示');
    expect(ja.out).toContain('  Ticket this（`ticket_from_message`、メッセージに対して）');
  });

  it('answers an unknown verb with the help hint in the user’s language', async () => {
    const en = await consoleSession(['frobnicate now']);
    expect(en.out).toBe('The console does not know `frobnicate`. Type `help` for the list.\n');
    const ja = await consoleSession(['ｆｒｏｂ'], { locale: 'ja' });
    expect(ja.out).toBe('コンソールは `ｆｒｏｂ` を知りません。`help` で一覧を表示します。\n');
  });

  it('presses a button of message #n with that message, and a modal it opens is asked as a form', async () => {
    const { dispatch, out } = await consoleSession(['/post x', 'press 1', 'T', '2', '', '']);
    const [p] = dispatch.of('press');
    const ts = dispatch.of('submitView')[0]!.submission.privateMetadata;
    expect(p!.action).toMatchObject({
      actionId: 'ticket',
      value: 'from-button',
      messageTs: ts,
      container: { type: 'message', messageTs: ts },
      message: { channelId: 'C0ALERTS', ts, text: 'x' },
    });
    expect(out).toMatch(/#2 Filed T \(p3\) for @Aiko/);
  });
});

import { describe, expect, it } from 'vitest';
import { consoleSession } from '../helpers/console-session.ts';
import { FakeDispatch } from '../helpers/fake-dispatch.ts';

describe('console mode: a modal is asked as a form', () => {
  it('prompts each field with its hint, choices and default, then acknowledges and submits', async () => {
    const { out, dispatch } = await consoleSession([
      'shortcut ticket_new',
      'Disk full on db-2', // title
      '1', // priority by number: Urgent
      '2024-05-01', // due
      '@Ben', // owner by name
    ]);
    expect(out).toContain('== File ticket ==\nFiles a follow-up ticket.'); // intro rendered, no asterisks
    expect(out).toContain('Title\n  One line\n> Disk full on db-2');
    expect(out).toContain('Priority\n  1) Urgent\n  2) Normal\n[Normal] > 1');
    expect(out).toContain('Due (optional)\n  (a date, YYYY-MM-DD)\n> 2024-05-01');
    expect(out).toContain('Owner\n  (a person: U… or @name)\n[@Aiko (U0AAA)] > @Ben');
    const [ack] = dispatch.of('acknowledgeView');
    expect(ack!.submission).toMatchObject({
      callbackId: 'ticket_form',
      userId: 'U0FIN1',
      locale: 'en',
      channelId: 'C0ALERTS',
      values: { title: 'Disk full on db-2', priority: 'p1', due: '2024-05-01', owner: 'U0BBB' },
    });
    expect(dispatch.of('submitView')).toHaveLength(1);
    expect(out).toMatch(/#1 Filed Disk full on db-2 \(p1\) for @Ben due 2024-05-01/);
  });

  it('shows the errors under their labels, asks only those fields again, and submits the correction', async () => {
    const { out, dispatch } = await consoleSession([
      'shortcut File ticket',
      'bad', // title: refused by validation
      '', // priority: keep Normal
      '2023-12-31', // due: refused by validation
      '', // owner: keep Aiko
      'Payment batch stuck', // title again
      '2024-06-30', // due again
    ]);
    expect(out).toContain('! Title: Say what went wrong, not "bad".');
    expect(out).toContain('! Due: Not in the past.');
    const acks = dispatch.of('acknowledgeView');
    expect(acks).toHaveLength(2);
    expect(acks[1]!.submission.values).toEqual({
      title: 'Payment batch stuck',
      priority: 'p3',
      due: '2024-06-30',
      owner: 'U0AAA',
    });
    // Priority and owner were not asked the second time.
    expect(out.split('Priority\n')).toHaveLength(2);
    expect(dispatch.of('submitView')).toHaveLength(1);
    expect(dispatch.of('submitView')[0]!.submission.values.title).toBe('Payment batch stuck');
  });

  it('asks again, without acknowledging, for an answer the field cannot take', async () => {
    const { out, dispatch } = await consoleSession([
      'shortcut ticket_new',
      '', // required title left empty
      'x'.repeat(41), // longer than maxLength 40
      'Short',
      '9', // no option 9
      'p1', // an option's value
      '2024-02-30', // no such day
      '',
      'U0BBB',
    ]);
    expect(out).toContain('! This field is required.');
    expect(out).toContain('! At most 40 characters (41 given).');
    expect(out).toContain('! Choose a number from 1 to 2, or an option’s value.');
    expect(out).toContain('! Give a date as YYYY-MM-DD, e.g. 2024-03-31.');
    expect(dispatch.of('acknowledgeView')).toHaveLength(1);
    expect(dispatch.of('acknowledgeView')[0]!.submission.values).toEqual({
      title: 'Short',
      priority: 'p1',
      due: undefined,
      owner: 'U0BBB',
    });
  });

  it('closes the form on `cancel` (view_closed, since the modal asks for it) and goes on with the next line', async () => {
    const { out, dispatch } = await consoleSession(['shortcut ticket_new', 'Half done', 'cancel', 'home']);
    expect(out).toContain('[File ticket: cancelled]');
    expect(dispatch.of('acknowledgeView')).toHaveLength(0);
    expect(dispatch.of('submitView')).toHaveLength(0);
    const closed = dispatch.of('closeView');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.submission).toMatchObject({
      callbackId: 'ticket_form',
      values: { title: 'Half done' },
    });
    expect(dispatch.of('home')).toHaveLength(1); // the shell reads on after the form
  });

  it('cancels the form when input ends in the middle of it', async () => {
    const { out, dispatch } = await consoleSession(['shortcut ticket_new', 'Half done']);
    expect(out).toContain('[File ticket: cancelled]');
    expect(dispatch.of('closeView')).toHaveLength(1);
  });

  it('answers in Japanese for a Japanese user', async () => {
    const { out } = await consoleSession(['shortcut ticket_new', '', 'キャンセル'], { locale: 'ja' });
    expect(out).toContain('! この項目は必須です。');
    expect(out).toContain('[File ticket: キャンセルしました]');
  });

  it('prints a modal without a submit button instead of asking it, e.g. the pending view of an update', async () => {
    const dispatch = new FakeDispatch();
    dispatch.pending = {
      callbackId: 'ticket_pending',
      title: 'Filing…',
      intro: 'Filing the ticket in *GitHub*…',
      fields: [],
    };
    const { out } = await consoleSession(['shortcut ticket_new', 'Real', '', '', ''], { dispatch });
    expect(out).toContain('== Filing… ==\nFiling the ticket in GitHub…');
    expect(dispatch.of('submitView')).toHaveLength(1);
  });

  it('asks a further form that an `update` acknowledgement shows (a wizard step) after submitting the first', async () => {
    const dispatch = new FakeDispatch();
    dispatch.pending = {
      callbackId: 'ticket_step2',
      title: 'Labels',
      submit: 'Save',
      fields: [{ id: 'labels', label: 'Labels', kind: 'text', optional: true }],
    };
    const { out } = await consoleSession(['shortcut ticket_new', 'First', '', '', '', 'db, disk'], {
      dispatch,
    });
    expect(out).toContain('== Labels ==');
    expect(dispatch.calls.map((c) => c.kind)).toEqual([
      'shortcut',
      'acknowledgeView',
      'submitView',
      'acknowledgeView',
      'submitView',
    ]);
    const [, second] = dispatch.of('acknowledgeView');
    expect(second!.submission).toMatchObject({ callbackId: 'ticket_step2', values: { labels: 'db, disk' } });
  });
});

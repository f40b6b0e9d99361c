// The rest of an investigation's life, through the buttons on its post and the modals they open,
// as the Dispatcher serves them: Take, Reassign, Waiting for customer / Resume, Resolve, Reopen and
// File ticket. Each is checked on the row, its events and the outbox rows it writes (the post's
// update, the line in its thread, the DMs), and on what a double or concurrent press leaves.
import { describe, expect, it } from 'vitest';
import * as handlers from '../../handlers/index.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { ActionInvocation, ViewSubmission } from '../../src/core/handlers.ts';
import type { FieldValues } from '../../src/core/modal.ts';
import { effectiveDeadline } from '../../src/domain/investigation.ts';
import { investigationById } from '../../src/db/investigations.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { INVESTIGATION_ACTIONS } from '../../src/views/investigation.ts';
import { testContext } from '../helpers/context.ts';
import { outboxSuite } from '../helpers/outbox.ts';

const suite = outboxSuite();

/** The demo's people; U0BBB reads Japanese, the requester U0SUP1 English (the team's language is ja). */
function context() {
  return testContext(suite.db.pool, {
    directory: staticDirectory({ S0FINANCE: ['U0FIN2'] }, { U0BBB: 'ja', U0SUP1: 'en', U0CCC: 'en' }),
  });
}
type Ctx = ReturnType<typeof context>;

/** Files INV-1 (requester U0SUP1, a support agent: a finance filing on 10 Apr, inside April's close, would be a month-close request; assigned to U0EEE on duty; deadline Fri 12 Apr 18:00 Tokyo). */
async function filed(ctx: Ctx): Promise<Dispatcher> {
  await suite.db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox RESTART IDENTITY CASCADE',
  );
  await investigationFile.submit(
    {
      callbackId: 'investigation.file',
      userId: 'U0SUP1',
      locale: 'en',
      key: 'view:F1',
      values: {
        customer: 'cus_1',
        category: 'payout',
        question: 'Where is my payout?',
        deadline_date: '2024-04-12',
      },
    },
    ctx,
  );
  return new Dispatcher(ctx, { commands: [], ...handlers });
}

let presses = 0;
function press(
  d: Dispatcher,
  action: keyof typeof INVESTIGATION_ACTIONS,
  userId: string,
  opts: { key?: string; locale?: Locale; value?: string } = {},
) {
  const inv: ActionInvocation = {
    actionId: INVESTIGATION_ACTIONS[action],
    value: opts.value ?? '1',
    userId,
    locale: opts.locale ?? 'en',
    key: opts.key ?? `action:${++presses}`,
    triggerId: 'trigger',
  };
  return d.press(inv);
}

function submission(callbackId: string, userId: string, values: FieldValues, key: string): ViewSubmission {
  return {
    callbackId,
    userId,
    locale: 'en',
    key,
    privateMetadata: JSON.stringify({ investigation: '1' }),
    values,
  };
}

/** A modal submitted as Slack does it: acknowledged (field errors refuse it), then submitted. */
async function submit(d: Dispatcher, s: ViewSubmission) {
  const ack = await d.acknowledgeView(s);
  if (ack.action === 'errors') return { ack };
  return { ack, outcome: await d.submitView(s) };
}

async function row() {
  const { rows } = await suite.db.pool.query(
    `SELECT assignee, status, answer, cause, ticket, resolved_by, waited_ms::float8 AS waited_ms, waiting_since
       FROM investigations WHERE id = 1`,
  );
  return rows[0];
}

async function events(): Promise<string[]> {
  const { rows } = await suite.db.pool.query(`SELECT what, actor FROM investigation_events ORDER BY id`);
  return rows.map((r) => `${r.what}:${r.actor}`);
}

/** The outbox rows after the filing's (post and DM), as kind and the fields that say where they go. */
async function written(): Promise<{ kind: string; to: string; text: string }[]> {
  const { rows } = await suite.db.pool.query(
    `SELECT kind, payload FROM outbox WHERE idempotency_key NOT IN ('investigation:1:post', 'investigation:1:dm:filed')
      ORDER BY id`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    to: r.payload.threadRef ? `thread:${r.payload.threadRef}` : (r.payload.user ?? r.payload.ref),
    text: r.payload.text,
  }));
}

describe('the Take button', () => {
  it('makes the presser the assignee, updates the post and logs it in the thread, once for a double click', async () => {
    const ctx = context();
    const d = await filed(ctx);
    expect(await press(d, 'take', 'U0CCC', { key: 'action:T1' })).toBeUndefined();
    await press(d, 'take', 'U0CCC', { key: 'action:T1' }); // Slack's retry
    await press(d, 'take', 'U0CCC', { key: 'action:T2' }); // a second click
    expect(await row()).toMatchObject({ assignee: 'U0CCC', status: 'taken' });
    expect(await events()).toEqual(['filed:U0SUP1', 'taken:U0CCC']);
    const out = await written();
    expect(out.map((o) => `${o.kind} ${o.to}`)).toEqual([
      'slack.update investigation:1',
      'slack.post thread:investigation:1',
      'slack.dm U0EEE', // the person on duty it was assigned to
    ]);
    expect(out[1]!.text).toBe('<@U0CCC> が <@U0EEE> から担当を引き継ぎました。');
  });

  it('does nothing for a request waiting for the customer, as :eyes: does not', async () => {
    const ctx = context();
    const d = await filed(ctx);
    await press(d, 'wait', 'U0EEE');
    await press(d, 'take', 'U0CCC');
    expect(await row()).toMatchObject({ assignee: 'U0EEE', status: 'waiting' });
    expect(await events()).toEqual(['filed:U0SUP1', 'waiting:U0EEE']);
  });
});

describe('the buttons on the post', () => {
  it('carry the id; a waiting request shows Resume, a resolved one its answer and Reopen only', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const actions = async () => {
      const { rows } = await suite.db.pool.query(
        `SELECT payload FROM outbox WHERE kind IN ('slack.post', 'slack.update') AND payload->>'ref' = 'investigation:1'
          ORDER BY id DESC LIMIT 1`,
      );
      const block = rows[0].payload.blocks.find((b: { type: string }) => b.type === 'actions');
      return {
        text: rows[0].payload.text as string,
        buttons: block.elements.map((e: { action_id: string; value: string }) => `${e.action_id}=${e.value}`),
      };
    };
    expect((await actions()).buttons).toEqual([
      'investigation.take=1',
      'investigation.reassign=1',
      'investigation.wait=1',
      'investigation.resolve=1',
      'investigation.ticket=1',
    ]);
    await press(d, 'wait', 'U0EEE');
    expect((await actions()).buttons).toEqual([
      'investigation.resume=1',
      'investigation.reassign=1',
      'investigation.resolve=1',
      'investigation.ticket=1',
    ]);
    await submit(d, submission('investigation.resolve', 'U0EEE', { answer: 'Paid on 11 Apr.' }, 'view:R1'));
    const resolved = await actions();
    expect(resolved.buttons).toEqual(['investigation.reopen=1']);
    expect(resolved.text).toContain('*状態* 解決済み');
    expect(resolved.text).toContain('Paid on 11 Apr.');
  });
});

describe('Reassign', () => {
  it('opens its modal, and the submission hands the request over, DMs the new assignee in their language and logs it', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const opened = await press(d, 'reassign', 'U0CCC');
    expect(opened?.view).toMatchObject({ action: 'open', modal: { callbackId: 'investigation.reassign' } });
    expect(opened?.view?.modal.fields.map((f) => `${f.id}:${f.kind}`)).toEqual([
      'assignee:user',
      'note:multiline',
    ]);
    const s = submission(
      'investigation.reassign',
      'U0CCC',
      { assignee: 'U0BBB', note: 'Ask the bank.' },
      'view:A1',
    );
    await submit(d, s);
    await submit(d, s); // answered again after a crash
    expect(await row()).toMatchObject({ assignee: 'U0BBB', status: 'open' });
    expect(await events()).toEqual(['filed:U0SUP1', 'reassigned:U0CCC']);
    const out = await written();
    expect(out.map((o) => `${o.kind} ${o.to}`)).toEqual([
      'slack.update investigation:1',
      'slack.post thread:investigation:1',
      'slack.dm U0BBB',
    ]);
    expect(out[1]!.text).toBe('<@U0CCC> が担当を <@U0BBB> に変更しました。\n> Ask the bank.');
    expect(out[2]!.text).toMatch(
      /^<@U0CCC> が INV-1 の担当をあなたに変更しました（回答期限 4\/12\(金\) 18:00）。\nAsk the bank.\nWhere is my payout\?$/,
    );
  });

  it('to the presser themselves is a take (status taken), with no DM', async () => {
    const ctx = context();
    const d = await filed(ctx);
    await submit(d, submission('investigation.reassign', 'U0CCC', { assignee: 'U0CCC' }, 'view:A2'));
    expect(await row()).toMatchObject({ assignee: 'U0CCC', status: 'taken' });
    expect((await written()).filter((o) => o.kind === 'slack.dm')).toEqual([]);
  });

  it('refuses a submission without an assignee under its field, storing nothing', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const { ack } = await submit(d, submission('investigation.reassign', 'U0CCC', {}, 'view:A3'));
    expect(ack).toEqual({ action: 'errors', errors: { assignee: 'Please choose who takes it over.' } });
    expect(await events()).toEqual(['filed:U0SUP1']);
  });

  it.each([
    ['a forged mention', { assignee: '<!channel>' }, { assignee: 'Please choose a person from the list.' }],
    [
      'toban itself',
      { assignee: 'UTOBAN' },
      { assignee: 'toban cannot take it over: please choose a person.' },
    ],
    [
      'a note over 1,000 characters',
      { assignee: 'U0CCC', note: 'あ'.repeat(1_001) },
      { note: 'The note is 1001 characters long; at most 1000 fit.' },
    ],
  ])('refuses %s under its field, storing and posting nothing', async (_what, values, errors) => {
    const ctx = { ...context(), botUserId: 'UTOBAN' };
    const d = await filed(ctx);
    const before = (await written()).length;
    const { ack } = await submit(d, submission('investigation.reassign', 'U0CCC', values, 'view:A4'));
    expect(ack).toEqual({ action: 'errors', errors });
    expect(await events()).toEqual(['filed:U0SUP1']);
    expect(await written()).toHaveLength(before);
  });
});

describe('Waiting for the customer', () => {
  it('pauses the deadline, and Resume moves it by the business time waited (on a moved clock)', async () => {
    const ctx = context();
    const d = await filed(ctx);
    await press(d, 'take', 'U0CCC');
    const before = (await investigationById(suite.db.pool, '1'))!;
    expect(effectiveDeadline(before)).toEqual(new Date('2024-04-12T09:00:00Z'));

    ctx.clock.set('2024-04-10T02:00:00Z');
    await press(d, 'wait', 'U0CCC', { key: 'action:W1' });
    await press(d, 'wait', 'U0CCC', { key: 'action:W2' }); // double click
    const waiting = (await investigationById(suite.db.pool, '1'))!;
    expect(waiting).toMatchObject({ status: 'waiting', waitingSince: new Date('2024-04-10T02:00:00Z') });
    expect(effectiveDeadline(waiting)).toBeNull();

    ctx.clock.set('2024-04-10T05:30:00Z'); // 3 h 30 min later, all of it in business hours (Wed 11:00–14:30)
    await press(d, 'resume', 'U0DDD', { key: 'action:R1' });
    await press(d, 'resume', 'U0DDD', { key: 'action:R2' });
    const resumed = (await investigationById(suite.db.pool, '1'))!;
    expect(resumed).toMatchObject({
      status: 'taken',
      assignee: 'U0CCC',
      waitingSince: null,
      waitedMs: 12_600_000,
    });
    // Fri 18:00 (the close of business) moved on by 3 h 30 min of business time: Mon 12:30.
    expect(effectiveDeadline(resumed)).toEqual(new Date('2024-04-15T03:30:00Z'));
    expect(await events()).toEqual(['filed:U0SUP1', 'taken:U0CCC', 'waiting:U0CCC', 'resumed:U0DDD']);

    const lines = (await written()).filter((o) => o.to === 'thread:investigation:1').map((o) => o.text);
    expect(lines.slice(1)).toEqual([
      '<@U0CCC>: お客さまの返事待ちです。回答期限は止まります。',
      '<@U0DDD> が再開しました（お客さま待ちのうち営業時間 3 時間 30 分）。回答期限は 4/15(月) 12:30 になりました。',
    ]);
    // The post shows the moved deadline.
    const { rows } = await suite.db.pool.query(
      `SELECT payload->>'text' AS text FROM outbox WHERE kind = 'slack.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].text).toContain('*回答期限* 4/15(月) 12:30');
  });
  it.each(['wait', 'resume'] as const)(
    'refuses %s by someone neither requester, assignee, on investigation duty nor admin: the clock stays as it is',
    async (button) => {
      const ctx = context();
      const d = await filed(ctx);
      if (button === 'resume') await press(d, 'wait', 'U0SUP1');
      const before = await row();
      const outcome = await press(d, button, 'U0BBB', { locale: 'en' });
      expect(outcome?.error).toBe('user');
      expect(outcome?.reply?.message.text).toBe(
        'Only the requester, the assignee, the investigation duty rotation or an admin may pause or restart the reply clock of INV-1.',
      );
      expect(await row()).toEqual(before);
    },
  );

  it('Resume gives back the status it had: a request nobody took is open again, not taken', async () => {
    const ctx = context();
    const d = await filed(ctx);
    await press(d, 'wait', 'U0CCC', { key: 'action:W1' });
    ctx.clock.set('2024-04-10T05:30:00Z');
    await press(d, 'resume', 'U0CCC', { key: 'action:R1' });
    expect(await row()).toMatchObject({ status: 'open', waiting_since: null });
  });
});

describe('Resolve', () => {
  const answer = 'The payout was sent on 11 Apr; the bank shows it on the 12th.';

  it.each([
    ['an empty answer', { answer: '   ' }, { answer: 'Please write the answer.' }],
    [
      'an answer over 3,000 characters',
      { answer: 'あ'.repeat(3_001) },
      { answer: 'The answer can be at most 3000 characters (it is 3001).' },
    ],
    [
      'a ticket that is neither a link nor one reference',
      { answer: 'ok', ticket: 'see the ticket' },
      { ticket: 'Give an https link or one reference without spaces (owner/repo#12, BILL-431).' },
    ],
    [
      'a ticket over 300 characters',
      { answer: 'ok', ticket: 'x'.repeat(301) },
      { ticket: 'The ticket can be at most 300 characters.' },
    ],
  ])(
    'refuses %s under its field before the acknowledgement, storing nothing',
    async (_name, values, errors) => {
      const ctx = context();
      const d = await filed(ctx);
      const { ack } = await submit(d, submission('investigation.resolve', 'U0CCC', values, 'view:E1'));
      expect(ack).toEqual({ action: 'errors', errors });
      expect(await row()).toMatchObject({ status: 'open', answer: null });
      expect(await events()).toEqual(['filed:U0SUP1']);
      expect(await written()).toEqual([]);
    },
  );

  it('opens its modal; the submission stores the answer, DMs it to the requester in their language and posts it in the thread', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const opened = await press(d, 'resolve', 'U0CCC');
    expect(opened?.view?.modal).toMatchObject({ callbackId: 'investigation.resolve' });
    expect(opened?.view?.modal.fields.map((f) => f.id)).toEqual(['answer', 'cause', 'ticket']);
    ctx.clock.set('2024-04-10T03:00:00Z');
    const { outcome } = await submit(
      d,
      submission(
        'investigation.resolve',
        'U0CCC',
        { answer, cause: 'Bank holiday', ticket: 'https://github.com/acme/pay/issues/7' },
        'view:R1',
      ),
    );
    expect(outcome).toBeUndefined();
    expect(await row()).toMatchObject({
      status: 'resolved',
      answer,
      cause: 'Bank holiday',
      ticket: 'https://github.com/acme/pay/issues/7',
      resolved_by: 'U0CCC',
    });
    expect(await events()).toEqual(['filed:U0SUP1', 'resolved:U0CCC']);
    const out = await written();
    expect(out.map((o) => `${o.kind} ${o.to}`)).toEqual([
      'slack.update investigation:1',
      'slack.post thread:investigation:1',
      'slack.dm U0SUP1',
    ]);
    expect(out[1]!.text).toBe(
      `<@U0CCC> が解決しました。\n*回答*\n> ${answer}\n*原因*\n> Bank holiday\n*チケット* <https://github.com/acme/pay/issues/7>`,
    );
    expect(out[2]!.text).toBe(
      `Your investigation request INV-1 (cus_1) was answered by <@U0CCC>.\nYour question:\n> Where is my payout?\n*Answer*\n> ${answer}\n*Cause*\n> Bank holiday\n*Ticket* <https://github.com/acme/pay/issues/7>`,
    );
  });

  it('ends a wait in progress: its time is counted', async () => {
    const ctx = context();
    const d = await filed(ctx);
    await press(d, 'wait', 'U0EEE');
    ctx.clock.set('2024-04-10T02:00:00Z'); // an hour later
    await submit(d, submission('investigation.resolve', 'U0EEE', { answer }, 'view:R2'));
    expect(await row()).toMatchObject({ status: 'resolved', waiting_since: null, waited_ms: 3_600_000 });
  });

  it('two resolves at once: one answer, one DM; the other is told who answered, with the answer it typed', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const [a, b] = await Promise.all([
      submit(d, submission('investigation.resolve', 'U0CCC', { answer: 'First answer' }, 'view:C1')),
      submit(d, submission('investigation.resolve', 'U0DDD', { answer: 'Second answer' }, 'view:C2')),
    ]);
    const { rows } = await suite.db.pool.query(`SELECT answer, resolved_by FROM investigations WHERE id = 1`);
    const winner = rows[0].resolved_by as string;
    expect(['U0CCC', 'U0DDD']).toContain(winner);
    expect(rows[0].answer).toBe(winner === 'U0CCC' ? 'First answer' : 'Second answer');
    expect((await events()).filter((e) => e.startsWith('resolved'))).toHaveLength(1);
    const out = await written();
    expect(out.filter((o) => o.kind === 'slack.dm')).toHaveLength(1);
    expect(out.filter((o) => o.to === 'thread:investigation:1')).toHaveLength(1);
    const loser = winner === 'U0CCC' ? b : a;
    const loserAnswer = winner === 'U0CCC' ? 'Second answer' : 'First answer';
    expect(loser.outcome?.reply?.message.text).toBe(
      `INV-1 was already resolved by <@${winner}>: your answer was not saved.\nThe answer you typed:\n> ${loserAnswer}`,
    );
    expect((winner === 'U0CCC' ? a : b).outcome).toBeUndefined();
  });

  it('the same submission answered twice resolves once, and says nothing the second time', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const s = submission('investigation.resolve', 'U0CCC', { answer }, 'view:R3');
    await submit(d, s);
    expect((await submit(d, s)).outcome).toBeUndefined();
    expect(await events()).toEqual(['filed:U0SUP1', 'resolved:U0CCC']);
    expect((await written()).filter((o) => o.kind === 'slack.dm')).toHaveLength(1);
  });
});

describe('Reopen', () => {
  async function resolvedBy(ctx: Ctx, who: string): Promise<Dispatcher> {
    const d = await filed(ctx);
    await press(d, 'take', 'U0CCC');
    await submit(
      d,
      submission('investigation.resolve', who, { answer: 'Done', ticket: 'BILL-431' }, 'view:X'),
    );
    return d;
  }

  it('refuses someone who is not the requester, the resolver, the assignee or an admin, in their language', async () => {
    const ctx = context();
    const d = await resolvedBy(ctx, 'U0DDD');
    const refused = await press(d, 'reopen', 'U0BBB', { locale: 'ja' });
    expect(refused?.error).toBe('user');
    expect(refused?.reply?.message.text).toBe(
      'INV-1 を再オープンできるのは、依頼者、解決した人、担当、管理者だけです。',
    );
    expect(await row()).toMatchObject({ status: 'resolved', answer: 'Done' });
  });

  it('lets the requester reopen it: open again for its assignee to take up, the answer kept in the event, logged once', async () => {
    const ctx = context();
    const d = await resolvedBy(ctx, 'U0DDD');
    await press(d, 'reopen', 'U0SUP1', { key: 'action:O1' });
    await press(d, 'reopen', 'U0SUP1', { key: 'action:O2' });
    expect(await row()).toMatchObject({
      status: 'open',
      assignee: 'U0CCC',
      answer: null,
      ticket: null,
      resolved_by: null,
    });
    expect((await events()).slice(-1)).toEqual(['reopened:U0SUP1']);
    const { rows } = await suite.db.pool.query(
      `SELECT detail FROM investigation_events WHERE what = 'reopened'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toMatchObject({ answer: 'Done', ticket: 'BILL-431', resolvedBy: 'U0DDD' });
    const lines = (await written()).filter((o) => o.to === 'thread:investigation:1');
    expect(lines.at(-1)!.text).toBe('<@U0SUP1> が再オープンしました。回答期限 4/12(金) 18:00。');
  });

  it.each(['take', 'wait', 'resume'] as const)(
    'answers %s on a resolved request (a stale post) that it is resolved',
    async (button) => {
      const ctx = context();
      const d = await resolvedBy(ctx, 'U0DDD');
      const outcome = await press(d, button, 'U0CCC');
      expect(outcome?.error).toBe('user');
      expect(outcome?.reply?.message.text).toBe('INV-1 is already resolved: reopen it first.');
      expect(await row()).toMatchObject({ status: 'resolved', answer: 'Done' });
    },
  );

  it.each([
    ['the resolver', 'U0DDD'],
    ['the assignee', 'U0CCC'],
    ['an admin', 'U0AAA'],
  ])('lets %s reopen it', async (_who, userId) => {
    const ctx = context();
    const d = await resolvedBy(ctx, 'U0DDD');
    expect(await press(d, 'reopen', userId)).toBeUndefined();
    expect(await row()).toMatchObject({ status: 'open', assignee: 'U0CCC' });
  });
});

describe('File ticket', () => {
  it('tells the presser, in their language, that it comes with the tickets feature and to use Resolve’s Ticket field', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const out = await press(d, 'ticket', 'U0CCC');
    expect(out?.reply?.visibility).toBe('ephemeral');
    expect(out?.reply?.message.text).toMatch(
      /^Filing a GitHub ticket from INV-1 comes with the tickets feature\..*Ticket field of Resolve/,
    );
    expect(await events()).toEqual(['filed:U0SUP1']);
  });

  it('answers a button naming no investigation with a refusal, not an internal error', async () => {
    const ctx = context();
    const d = await filed(ctx);
    const out = await press(d, 'take', 'U0CCC', { value: '99' });
    expect(out).toMatchObject({ error: 'user', reply: { message: { text: 'There is no INV-99.' } } });
  });
});

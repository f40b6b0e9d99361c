import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { usageError } from '../../src/core/errors.ts';
import { textReply } from '../../src/views/common.ts';
import { oncall } from '../../commands/oncall.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const secret: SlashCommand = {
  name: '/secret',
  helpKey: 'oncall.help',
  financeOnly: true,
  async run(inv) {
    if (inv.text === 'bad') throw usageError('/secret', 'error.bad_month', { value: 'bad' });
    if (inv.text === 'crash') throw new Error('database exploded: postgres://u:hunter2@db/x');
    return textReply('ok');
  },
};

describe('dispatching a slash command', () => {
  it('answers an unknown command with the list of commands, in the user’s language', async () => {
    const d = new Dispatcher(testContext(db.pool), { commands: [oncall] });
    const ja = await d.run({ command: '/nope', text: '', userId: 'U0AAA', locale: 'ja' });
    expect(ja.error).toBe('user');
    expect(ja.reply.message.text).toContain('`/nope` というコマンドはありません');
    const en = await d.run({ command: '/nope', text: '', userId: 'U0AAA', locale: 'en' });
    expect(en.reply.message.text).toContain('There is no command `/nope`. Commands: /oncall');
  });

  it('answers help for every command', async () => {
    const d = new Dispatcher(testContext(db.pool), { commands: [oncall] });
    const out = await d.run({ command: '/oncall', text: 'help', userId: 'U0AAA', locale: 'en' });
    expect(out.error).toBeUndefined();
    expect(out.reply.message.text).toContain('How to use `/oncall`');
  });

  it('refuses a finance-only command politely and audits the refusal', async () => {
    const d = new Dispatcher(testContext(db.pool), { commands: [secret] });
    const out = await d.run({ command: '/secret', text: 'x', userId: 'U0BBB', locale: 'en' });
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('Sorry, `/secret` is only for members of the finance team');
    const { rows } = await db.pool.query(
      `SELECT actor, action, outcome, args FROM audit_log WHERE actor = 'U0BBB'`,
    );
    expect(rows).toEqual([{ actor: 'U0BBB', action: 'secret', outcome: 'refused', args: { text: 'x' } }]);
  });

  it('lets finance members in, directly or through a user group', async () => {
    const d = new Dispatcher(testContext(db.pool), { commands: [secret] });
    expect(
      (await d.run({ command: '/secret', text: '', userId: 'U0FIN1', locale: 'ja' })).reply.message.text,
    ).toBe('ok');
    expect(
      (await d.run({ command: '/secret', text: '', userId: 'U0FIN2', locale: 'ja' })).reply.message.text,
    ).toBe('ok');
  });

  it('shows the usage after a usage error', async () => {
    const d = new Dispatcher(testContext(db.pool), { commands: [secret] });
    const out = await d.run({ command: '/secret', text: 'bad', userId: 'U0FIN1', locale: 'en' });
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toMatch(/Cannot read the month `bad`[\s\S]*How to use `\/secret`/);
  });

  it('turns a failure into a short coded message and logs it with secrets redacted', async () => {
    const ctx = testContext(db.pool);
    const d = new Dispatcher(ctx, { commands: [secret] });
    const out = await d.run({ command: '/secret', text: 'crash', userId: 'U0FIN1', locale: 'en' });
    expect(out.error).toBe('system');
    const code = /\(([0-9a-f]{6})\)/.exec(out.reply.message.text)?.[1];
    expect(code).toBeDefined();
    const logged = ctx.logs.lines.find((l) => l.ref === code);
    expect(logged?.code).toBe('E_HANDLER');
    expect(JSON.stringify(logged)).toContain('[redacted]');
    expect(JSON.stringify(logged)).not.toContain('hunter2');
  });
});

describe('/oncall', () => {
  it('says who is on duty now in every rotation, with the next handoff', async () => {
    const ctx = testContext(db.pool);
    ctx.clock.set('2024-04-10T01:00:00Z'); // Wed 10:00 JST
    const d = new Dispatcher(ctx, { commands: [oncall] });
    const out = await d.run({ command: '/oncall', text: '', userId: 'U0BBB', locale: 'en' });
    expect(out.error).toBeUndefined();
    const model = out.reply.model as {
      rotations: { id: string; onDuty: string; next: { user: string; at: string } }[];
    };
    expect(model.rotations.map((r) => r.id)).toEqual(['primary', 'cs-duty']);
    // primary: weekly from Mon 2024-01-01; 2024-04-08 is week 14 -> members[14 % 3] = U0CCC
    expect(model.rotations[0]).toMatchObject({
      onDuty: 'U0CCC',
      next: { user: 'U0AAA', at: '2024-04-15T01:00:00.000Z' },
    });
    expect(out.reply.message.text).toContain('Primary on-call');
  });

  it('shows the next shifts of one rotation, and a usage error for an unknown one', async () => {
    const ctx = testContext(db.pool);
    const d = new Dispatcher(ctx, { commands: [oncall] });
    const one = await d.run({ command: '/oncall', text: 'primary', userId: 'U0BBB', locale: 'ja' });
    expect((one.reply.model as { shifts: unknown[] }).shifts).toHaveLength(6);
    const bad = await d.run({ command: '/oncall', text: 'nightly', userId: 'U0BBB', locale: 'ja' });
    expect(bad.error).toBe('user');
    expect(bad.reply.message.text).toContain('当番表 `nightly` はありません');
    expect(bad.reply.message.text).toContain('`/oncall` の使い方');
  });
});

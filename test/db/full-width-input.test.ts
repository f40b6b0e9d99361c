// Full-width and other-case input through the Dispatcher, as every transport runs it (issue 7,
// item 15): the grammar of every command reads NFKC; a rotation is found by id or display name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oncall } from '../../commands/oncall.ts';
import { sales } from '../../commands/sales.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await freshDatabase();
  dispatcher = new Dispatcher(testContext(db.pool), { commands: [oncall, sales] });
});
afterAll(async () => db?.drop());

function run(command: string, text: string) {
  return dispatcher.run({ command, text, userId: 'U0FIN1', locale: 'en' });
}

describe('full-width input', () => {
  it('/sales reads ｍｏｎｔｈ and a full-width month as /ledger does', async () => {
    const out = await run('/sales', 'ｍｏｎｔｈ ２０２４－０３');
    expect(out.error, out.reply.message.text).toBeUndefined();
    expect(out.reply.model).toMatchObject({ kind: 'month', month: '2024-03' });
  });

  it('answers ＨＥＬＰ with the help, for every command', async () => {
    for (const command of ['/oncall', '/sales']) {
      const out = await run(command, 'ＨＥＬＰ');
      expect(out.error).toBeUndefined();
      expect(out.reply.message.text).toContain(`How to use \`${command}\``);
    }
  });
});

describe('/oncall <rotation>', () => {
  it.each([['primary'], ['Primary on-call'], ['ＰＲＩＭＡＲＹ'], ['primary ON-CALL']])(
    'finds the rotation named %s',
    async (name) => {
      const out = await run('/oncall', name);
      expect(out.error, out.reply.message.text).toBeUndefined();
      expect(out.reply.model).toMatchObject({ rotation: 'primary' });
    },
  );

  it('finds a rotation by its Japanese display name', async () => {
    const out = await run('/oncall', '調査当番');
    expect(out.reply.model).toMatchObject({ rotation: 'cs-duty' });
  });

  it('reads the subcommands in any width and case', async () => {
    const out = await run('/oncall', 'ＯＶＥＲＲＩＤＥ primary');
    expect(out.reply.message.text).toContain('Write `/oncall override <rotation> @user <from> <to>`');
    const report = await run('/oncall', 'ＲＥＰＯＲＴ ２０２６－１１ ＰＲＩＭＡＲＹ');
    expect(report.error, report.reply.message.text).toBeUndefined();
    expect(report.reply.model).toMatchObject({ month: '2026-11', rotations: [{ id: 'primary' }] });
  });
});

// A 10,000-character text is not echoed back whole (issue 7, item 9): every reply keeps Slack's
// limits, the person's words shortened with an ellipsis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import { slackLimitProblems } from '../helpers/slack-limits.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await freshDatabase();
  await loadLedgerDemo(db.ownerPool, { entries: 300, seed: 4, today: '2024-04-10' });
  dispatcher = new Dispatcher(testContext(db.pool), { commands: commands });
});
afterAll(async () => db?.drop());

const LONG = 'あ'.repeat(5_000) + 'x'.repeat(5_000);

describe('a 10,000-character text', () => {
  it.each([
    ['/ledger', `entries ${LONG}`],
    ['/ledger', `balance ${LONG}`],
    ['/ledger', `balance 売掛金 ${LONG}`],
    ['/ledger', `trial ${LONG}`],
    ['/ledger', LONG],
    ['/sales', LONG],
    ['/sales', `month ${LONG}`],
    ['/sales', `month 2024-03 by ${LONG}`],
    ['/oncall', LONG],
    ['/oncall', `primary ${LONG}`],
    [`/${LONG}`, ''],
  ])('%s %s… is answered within Slack’s limits, the text shortened', async (command, text) => {
    for (const userId of ['U0FIN1', 'U0BBB']) {
      const out = await dispatcher.run({ command, text, userId, locale: 'ja' });
      expect(out.error).not.toBe('system');
      expect(slackLimitProblems(out.reply.message)).toEqual([]);
      expect(out.reply.message.text.length).toBeLessThan(3000);
      // The person knows what they typed: an echo needs no file.
      expect(out.reply.files ?? []).toEqual([]);
    }
  });

  it('is quoted back with an ellipsis', async () => {
    const out = await dispatcher.run({ command: '/oncall', text: LONG, userId: 'U0BBB', locale: 'en' });
    expect(out.reply.message.text).toContain('There is no rotation `' + 'あ'.repeat(99) + '…`');
  });
});

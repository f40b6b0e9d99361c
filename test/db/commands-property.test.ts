// Property-based tests through the Dispatcher against a real database (issue 7): thousands of
// generated texts, typed by finance and by others, and for every one: no crash, no internal error
// or stack trace in the reply, a reply within Slack's limits, and for /ledger and /sales an audit
// row for the request.
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Dispatcher, type Outcome } from '../../src/app/dispatch.ts';
import { cleanText } from '../../src/core/input.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { loadSalesDemo } from '../../src/demo/sales.ts';
import { modelJson } from '../../src/views/json.ts';
import { ConsoleShell } from '../../src/transport/console.ts';
import { renderMessage } from '../../src/views/render-text.ts';
import { commandText } from '../helpers/command-arbitraries.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import { slackLimitProblems } from '../helpers/slack-limits.ts';
import type { Dispatch } from '../../src/core/handlers.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;
let logs: ReturnType<typeof testContext>['logs'];

beforeAll(async () => {
  db = await freshDatabase();
  await loadLedgerDemo(db.ownerPool, { entries: 300, seed: 7, today: '2024-04-10' });
  await loadSalesDemo(db.ownerPool, { seed: 7, today: '2024-04-10' });
  const ctx = testContext(db.pool);
  logs = ctx.logs;
  dispatcher = new Dispatcher(ctx, commands);
});
afterAll(async () => db?.drop());

/** U0FIN1 is in permissions.finance, U0FIN2 through the finance user group, U0BBB is not. */
const user = fc.constantFrom('U0FIN1', 'U0FIN1', 'U0FIN2', 'U0BBB');
const locale = fc.constantFrom('ja' as const, 'en' as const);
/** What a transport hands on: the text cleaned where it entered. */
const typed = (command: '/ledger' | '/sales' | '/oncall') => commandText(command).map(cleanText);

/** Thousands of requests per test: a ceiling well above their usual few seconds, for a busy machine. */
const MANY = 180_000;

const STACK = /\n\s+at |\bError:|node_modules|\.ts:\d+|Something went wrong|処理中にエラー/;

async function auditCount(actor: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM audit_log WHERE actor = $1`,
    [actor],
  );
  return Number(rows[0]!.n);
}

function expectAnswerable(out: Outcome, what: string): void {
  expect(out.error, `${what}\n${out.reply.message.text}`).not.toBe('system');
  expect(out.reply.message.text, what).not.toMatch(STACK);
  expect(slackLimitProblems(out.reply.message), what).toEqual([]);
  expect(() => renderMessage(out.reply.message)).not.toThrow();
  expect(() => modelJson(out.reply.model ?? null)).not.toThrow();
}

describe.each([['/ledger' as const], ['/sales' as const]])('%s with any text, as anyone', (command) => {
  it(
    'answers without an internal error, within Slack’s limits, and audits every request',
    async () => {
      const seen = { answered: 0, refused: 0, usage: 0 };
      await fc.assert(
        fc.asyncProperty(typed(command), user, locale, async (text, userId, loc) => {
          const before = await auditCount(userId);
          const out = await dispatcher.run({ command, text, userId, locale: loc });
          const what = `${command} ${JSON.stringify(text)} as ${userId}`;
          expectAnswerable(out, what);
          expect(await auditCount(userId), what).toBeGreaterThan(before);
          if (!out.error) seen.answered++;
          else if (userId === 'U0BBB') seen.refused++;
          else seen.usage++;
        }),
        { numRuns: 1000 },
      );
      // The texts reach every path: real answers, refusals and usage errors (about 25/25/50 %).
      expect(seen.answered, JSON.stringify(seen)).toBeGreaterThan(100);
      expect(seen.refused, JSON.stringify(seen)).toBeGreaterThan(100);
      expect(seen.usage, JSON.stringify(seen)).toBeGreaterThan(100);
      expect(logs.lines.filter((l) => l.level === 50)).toEqual([]);
    },
    MANY,
  );
});

describe('console lines with any characters, control characters and NUL included', () => {
  it(
    'are cleaned where they enter: answered without an internal error, every /ledger line audited',
    async () => {
      const output = new PassThrough();
      let printed = '';
      output.on('data', (c: Buffer) => (printed += c.toString()));
      const shell = new ConsoleShell({
        // TODO(plumbing): no cast once the Dispatcher implements Dispatch (branch `plumbing`).
        dispatcher: dispatcher as unknown as Dispatch,
        input: new PassThrough(),
        output,
        userId: 'U0BBB',
        locale: 'en',
        names: () => undefined,
        saveFile: (name) => `/tmp/${name}`,
      });
      const raw = fc.tuple(commandText('/ledger'), fc.constantFrom('', '\0', '\u0007', '\u202e', '\ud800'));
      await fc.assert(
        fc.asyncProperty(raw, user, async ([text, extra], userId) => {
          await shell.handle(`as ${userId}`);
          const before = await auditCount(userId);
          printed = '';
          await shell.handle(`/ledger ${text}${extra}`.replace(/[\r\n]/g, ' '));
          expect(printed).not.toMatch(STACK);
          expect(await auditCount(userId)).toBeGreaterThan(before);
        }),
        { numRuns: 300 },
      );
    },
    MANY,
  );
});

describe('/oncall with any text', () => {
  it(
    'answers without an internal error, within Slack’s limits',
    async () => {
      await fc.assert(
        fc.asyncProperty(typed('/oncall'), user, locale, async (text, userId, loc) => {
          const out = await dispatcher.run({ command: '/oncall', text, userId, locale: loc });
          expectAnswerable(out, `/oncall ${JSON.stringify(text)}`);
        }),
        { numRuns: 1000 },
      );
    },
    MANY,
  );
});

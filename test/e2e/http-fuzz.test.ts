// Property-based tests (fast-check) of the signed HTTP endpoint of the real process: thousands of
// generated command texts and request bodies, each correctly signed. Whatever they hold, the answer
// is never a 5xx and never carries a stack trace, the process stays up, and every /ledger asked by
// someone outside finance leaves exactly one refusal row in the audit log.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { postSigned } from '../helpers/slack-sign.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const SECRET = 'fuzz-secret';
const RUNS = Number(process.env.TOBAN_FUZZ_RUNS ?? 1500);
const STACK = /\n\s+at |\bat [^\s]+ \(|\.(ts|js):\d+:\d+/;
let db: TestDatabase;
let slack: FakeSlack;
let toban: TobanProcess;

beforeAll(async () => {
  db = await freshDatabase();
  slack = await startFakeSlack();
  toban = await spawnToban([], {
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_URL: db.url,
    TOBAN_DATA_DIR: tempDataDir(),
    SLACK_BOT_TOKEN: 'xoxb-fuzz',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: 'hook',
    LOG_LEVEL: 'warn',
  });
  await toban.waitHealthy();
}, 90_000);

afterAll(async () => {
  if (toban) await toban.kill('SIGKILL');
  await slack?.close();
  await db?.drop();
});

/** Text as people (and attackers) type it: any code point, plus NUL, lone surrogates, bidi overrides. */
const text = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', '\u0000', '\ud800', '\udfff', '\u202e', '\r\n', ' 売掛金\u0000', '　ｍｏｎｔｈ'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  )
  .map(([a, b, c]) => a + b + c);

let counter = 0;
async function send(body: string, contentType: string): Promise<Response> {
  counter++;
  return postSigned(`${toban.baseUrl}/slack/events`, SECRET, body, {
    contentType,
    // A distinct timestamp per request: identical bodies would otherwise be replays (409).
    timestampSec: Math.floor(Date.now() / 1000) - (counter % 200),
  });
}

async function expectSafe(res: Response, what: string): Promise<void> {
  const reply = await res.text();
  expect(res.status, what).toBeLessThan(500);
  expect(reply, what).not.toMatch(STACK);
}

describe('the signed HTTP endpoint under generated input', () => {
  let ledgerAccepted = 0;

  it('answers every generated command text with 200 and never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/ledger', '/oncall', '/sales'), text, async (command, t) => {
        const form = new URLSearchParams({
          command,
          text: t,
          user_id: 'U0BBB', // not in permissions.finance
          channel_id: 'C0ALERTS',
          team_id: 'T0TEAM',
          response_url: slack.responseUrl(`fuzz-${counter}`),
          trigger_id: '1.2.3',
        }).toString();
        const res = await send(form, 'application/x-www-form-urlencoded');
        await expectSafe(res, `${command} ${JSON.stringify(t)}`);
        expect(res.status).toBe(200);
        if (command === '/ledger') ledgerAccepted++;
      }),
      { numRuns: RUNS },
    );
    expect(toban.proc.exitCode).toBeNull();
  }, 300_000);

  it('answers every generated body, form or JSON, below 500 and without a stack trace', async () => {
    const formValue = fc.oneof(
      text,
      fc.json(),
      fc.constantFrom('null', '[]', '{}', '{"type":"block_actions"}'),
    );
    const body = fc.oneof(
      fc.record({ type: fc.constant('form'), raw: fc.dictionary(fc.string({ maxLength: 12 }), formValue) }),
      fc.record({ type: fc.constant('form'), raw: formValue.map((v) => ({ payload: v })) }),
      fc.record({ type: fc.constant('json'), raw: fc.oneof(fc.json(), text) }),
      fc.record({
        type: fc.constant('json'),
        raw: fc
          .record({
            type: fc.constantFrom('event_callback', 'url_verification', 'x'),
            event_id: text,
            event: fc.jsonValue(),
          })
          .map((v) => JSON.stringify(v)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const raw =
          typeof b.raw === 'string' ? b.raw : new URLSearchParams(b.raw as Record<string, string>).toString();
        const type = b.type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
        await expectSafe(await send(raw, type), `${type} ${JSON.stringify(raw).slice(0, 300)}`);
      }),
      { numRuns: RUNS },
    );
    expect(toban.proc.exitCode).toBeNull();
    expect((await fetch(`${toban.baseUrl}/healthz`)).status).toBe(200);
  }, 300_000);

  it('answers an Events API body missing a field, or with one of the wrong type, 400 naming it', async () => {
    // A valid body of each kind, then one field removed or given a value of another type.
    const wrong = fc.constantFrom<unknown>(null, 7, -1.5, true, [], {}, ['x'], '');
    const field = fc.constantFrom(
      ['event_callback', 'event'],
      ['event_callback', 'event_id'],
      ['event_callback', 'team_id'],
      ['event_callback', 'api_app_id'],
      ['event_callback', 'event_time'],
      ['event_callback', 'event.type'],
      ['url_verification', 'challenge'],
    );
    const optional = new Set(['team_id', 'api_app_id', 'event_time']);
    await fc.assert(
      fc.asyncProperty(field, fc.option(wrong, { nil: undefined }), async ([type, path], value) => {
        const eventId = `EvFuzz${++counter}`;
        const body: Record<string, unknown> =
          type === 'url_verification'
            ? { type, token: 't', challenge: `c${counter}` }
            : {
                type,
                token: 't',
                team_id: 'T0TEAM',
                api_app_id: 'A0APP',
                event_id: eventId,
                event_time: 1_700_000_000,
                event: {
                  type: 'app_mention',
                  user: 'U0AAA',
                  text: 'hi',
                  channel: 'C0ALERTS',
                  ts: '1.2',
                  event_ts: '1.2',
                },
              };
        const [top, sub] = path.split('.') as [string, string | undefined];
        const holder = (sub ? body[top] : body) as Record<string, unknown>;
        const key = sub ?? top;
        if (value === undefined) delete holder[key];
        else holder[key] = value;
        const res = await send(JSON.stringify(body), 'application/json');
        const reply = await res.text();
        // Removing an optional field leaves a valid body; an empty challenge or event type is refused.
        const stillValid =
          value === undefined
            ? optional.has(key)
            : key === 'event_time'
              ? Number.isInteger(value) && (value as number) >= 0
              : typeof value === 'string' && value !== '';
        if (stillValid) {
          expect(res.status, `${path} = ${JSON.stringify(value)}: ${reply}`).toBe(200);
          return;
        }
        expect(res.status, `${path} = ${JSON.stringify(value)}: ${reply}`).toBe(400);
        expect(JSON.parse(reply)).toMatchObject({
          error: 'invalid body',
          detail: expect.stringMatching(new RegExp(`^${path.replace('.', '\\.')}[.:]`)),
        });
      }),
      { numRuns: Math.min(RUNS, 400) },
    );
    expect(toban.proc.exitCode).toBeNull();
  }, 120_000);

  it('leaves exactly one refusal row in the audit log per /ledger asked outside finance', async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.pool.query(
        `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending FROM slack_requests WHERE kind = 'command'`,
      );
      if (rows[0].pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0].pending} commands still unanswered`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const audit = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'ledger' AND outcome = 'refused' AND actor = 'U0BBB'`,
    );
    expect(audit.rows[0].n).toBe(ledgerAccepted);
    const replies = await db.pool.query<{ text: string }>(
      `SELECT payload->>'text' AS text FROM outbox WHERE kind = 'slack.respond'`,
    );
    for (const r of replies.rows) expect(r.text).not.toMatch(STACK);
  }, 180_000);
});

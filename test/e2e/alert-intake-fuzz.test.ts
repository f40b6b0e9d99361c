// Mutated payloads of every source through the real process's route (issue 9: "thousands of mutated
// payloads per source: always 202 or a 400 with a reason; never a 5xx or a crash"): the sources' own
// generators plus what only exists on the wire (alert-payload-arbitraries.ts httpBodies: wrong types,
// numbers as strings, Unicode, extra fields, empty arrays, deep nesting, duplicate keys, invalid
// UTF-8, 1 MiB edges), 16 requests in flight, into the database, so the SQL is fuzzed too. Then the
// process still answers, and the database holds one payload row per 202 and nothing orphaned.
//
// TOBAN_ALERT_FUZZ_RUNS sets the bodies per source (default 2,000).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSource } from '../../src/domain/alert.ts';
import { MAX_BODY_BYTES } from '../../src/http/body.ts';
import { FIXTURES, httpBodies, type WireBody } from '../helpers/alert-payload-arbitraries.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { spawnToban, tempDataDir, type TobanProcess } from '../helpers/toban-process.ts';

const TOKEN = 'fuzz-token';
const PER_SOURCE = Number(process.env.TOBAN_ALERT_FUZZ_RUNS ?? 2_000);
/** Requests in flight at once: one property run sends this many together. */
const IN_FLIGHT = 16;
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
    SLACK_SIGNING_SECRET: 'fuzz-signing-secret',
    SLACK_API_URL: slack.url,
    ALERT_WEBHOOK_TOKEN: TOKEN,
    HOST: '127.0.0.1',
    // Every 400 is a warning line; errors (a 5xx's) still show.
    LOG_LEVEL: 'error',
  });
  await toban.waitHealthy();
}, 120_000);

afterAll(async () => {
  if (toban) await toban.kill('SIGKILL');
  await slack?.close();
  await db?.drop();
});

async function post(source: string, body: WireBody): Promise<{ status: number; text: string }> {
  const res = await fetch(`${toban.baseUrl}/hooks/alerts/${source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: body.bytes,
  });
  return { status: res.status, text: await res.text() };
}

/**
 * fc.assert, with the process's error log appended to a failure: a 5xx's cause (the SQLSTATE of a
 * database error) is only in the log, and CI keeps only the test's output.
 */
async function assertWithLog(property: fc.IAsyncProperty<[WireBody[]]>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { numRuns });
  } catch (err) {
    const log = toban.stderr().slice(-6000) + toban.stdout().slice(-6000);
    if (err instanceof Error) err.message += `\n--- the process's log, last lines:\n${log}`;
    throw err;
  }
}

/** A body's description for a failure: what was done, and its head. */
const described = (b: WireBody) =>
  `${b.what} (${b.bytes.length} bytes): ${b.bytes.subarray(0, 300).toString('utf8')}`;

// cloudwatch is fuzzed in test/db/alert-sns-fuzz.test.ts: its bodies are checked against Amazon
// SNS's signing certificate, which a real process fetches from AWS (there is no network here, so a
// well-formed body would be a 503 "try again"); there the certificate is served at the HTTP boundary.
const SOURCES = (Object.keys(FIXTURES) as AlertSource[]).filter((s) => s !== 'cloudwatch');

describe.each(SOURCES)(
  'POST /hooks/alerts/%s with mutated payloads, over HTTP to the real process',
  (source) => {
    it(`answers ${PER_SOURCE} bodies 202, or 400 naming a field (413 only over 1 MiB); never a 5xx; stores one payload per 202`, async () => {
      const seen = { 202: 0, 400: 0, 413: 0 };
      let accepted = 0;
      await assertWithLog(
        fc.asyncProperty(
          fc.array(httpBodies(source, MAX_BODY_BYTES), { minLength: IN_FLIGHT, maxLength: IN_FLIGHT }),
          async (bodies) => {
            const answers = await Promise.all(bodies.map((b) => post(source, b)));
            answers.forEach((res, i) => {
              const body = bodies[i]!;
              const what = `${res.status} ${res.text.slice(0, 300)} for ${described(body)}`;
              expect(res.status, what).toBeLessThan(500);
              expect(res.text, what).not.toMatch(STACK);
              if (body.bytes.length > MAX_BODY_BYTES) {
                expect(res.status, what).toBe(413);
                seen[413]++;
                return;
              }
              expect([202, 400], what).toContain(res.status);
              const reply = JSON.parse(res.text) as { accepted?: number; error?: string };
              if (res.status === 400) expect(reply.error, what).toMatch(/^\S.*: \S/s);
              else {
                expect(Number.isInteger(reply.accepted) && reply.accepted! >= 0, what).toBe(true);
                accepted += reply.accepted!;
              }
              seen[res.status as 202 | 400]++;
            });
          },
        ),
        Math.ceil(PER_SOURCE / IN_FLIGHT),
      );
      // Both answers were reached: the generator is not all garbage nor all valid.
      expect(seen[202]).toBeGreaterThan(PER_SOURCE / 20);
      expect(seen[400]).toBeGreaterThan(PER_SOURCE / 20);
      // Still up, still answering.
      expect(toban.proc.exitCode).toBeNull();
      expect((await fetch(`${toban.baseUrl}/healthz`)).status).toBe(200);

      // One payload row per 202 and as many alerts as the 202s said; refusals stored nothing.
      const { rows } = await db.ownerPool.query<{ payloads: number; alerts: number }>(
        `SELECT count(*)::int AS payloads, coalesce(sum(alert_count), 0)::int AS alerts
         FROM alert_payloads WHERE source = $1`,
        [source],
      );
      expect(rows[0]).toEqual({ payloads: seen[202], alerts: accepted });
      // Nothing orphaned: every group holds an alert (two racing resolves of a never-seen alert once
      // left an empty hidden group: test/db/alert-intake-race.test.ts), every alert names the
      // payload it came in, every Slack row of a group names a group that exists.
      const orphans = await db.ownerPool.query<Record<string, number>>(
        `SELECT
           (SELECT count(*)::int FROM alert_groups g
             WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.group_id = g.id)) AS empty_groups,
           (SELECT count(*)::int FROM alerts a
             WHERE a.last_payload IS NULL
                OR NOT EXISTS (SELECT 1 FROM alert_payloads p WHERE p.id = a.last_payload)) AS alerts_without_payload,
           (SELECT count(*)::int FROM outbox o
             WHERE o.payload->>'ref' LIKE 'alert-group:%'
               AND NOT EXISTS (SELECT 1 FROM alert_groups g
                               WHERE 'alert-group:' || g.id = o.payload->>'ref')) AS rows_without_group`,
      );
      expect(orphans.rows[0]).toEqual({ empty_groups: 0, alerts_without_payload: 0, rows_without_group: 0 });
      console.log(
        `${source}: ${seen[202]} × 202 (${accepted} alerts), ${seen[400]} × 400, ${seen[413]} × 413`,
      );
    }, 900_000);
  },
);

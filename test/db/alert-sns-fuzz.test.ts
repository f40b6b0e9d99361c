// Mutated Amazon SNS / CloudWatch payloads through the real route (issue 9: "thousands of mutated
// payloads per source: always 202 or a 400 with a reason; never a 5xx"). Each mutated body is signed
// as SNS signs what it sends, with the test key whose certificate is served (nock) at the URL the
// body names: the signature check, the schema, normalization and the SQL all see it. A mutation of
// SignatureVersion is refused 401 naming it. (The other sources run against the real process:
// test/e2e/alert-intake-fuzz.test.ts.) TOBAN_ALERT_FUZZ_RUNS sets the bodies (default 2,000).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloads } from '../helpers/alert-payload-arbitraries.ts';
import { startIntakeServer, type IntakeServer } from '../helpers/alert-intake.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { serveSnsTestCerts, signSns } from '../helpers/sns.ts';

const TOKEN = 'fuzz-token';
const RUNS = Number(process.env.TOBAN_ALERT_FUZZ_RUNS ?? 2_000);
let db: TestDatabase;
let server: IntakeServer;

beforeAll(async () => {
  db = await freshDatabase();
  server = await startIntakeServer(testContext(db.pool), TOKEN);
  serveSnsTestCerts();
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

describe('POST /hooks/alerts/cloudwatch with mutated, signed SNS payloads', () => {
  it(`answers ${RUNS} bodies 202, 400 naming a field, or 401 naming the signature; never a 5xx`, async () => {
    const seen = { 202: 0, 400: 0, 401: 0 };
    await fc.assert(
      fc.asyncProperty(payloads('cloudwatch'), async (body) => {
        const res = await server.post('cloudwatch', signSns(body));
        expect([202, 400, 401]).toContain(res.status);
        if (res.status !== 202) expect(res.body.error).toMatch(/^\S.*: \S/s);
        seen[res.status as 202 | 400 | 401]++;
      }),
      { numRuns: RUNS },
    );
    // Both answers were reached: the generator is not all garbage nor all valid.
    expect(seen[202]).toBeGreaterThan(RUNS / 20);
    expect(seen[400]).toBeGreaterThan(RUNS / 20);
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alert_payloads WHERE source = 'cloudwatch'`,
    );
    expect(rows[0]!.n).toBe(seen[202]);
  }, 600_000);
});

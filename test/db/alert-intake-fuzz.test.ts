// Mutated payloads of every source through the real route (issue 9: "always 202 or a 400 with a
// reason; never a 5xx"): the same generators as the sources' own fuzz test, over HTTP, into the
// database, so the SQL (keys, times, labels of every shape) is fuzzed too.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSource } from '../../src/domain/alert.ts';
import { FIXTURES, payloads } from '../helpers/alert-payload-arbitraries.ts';
import { startIntakeServer, type IntakeServer } from '../helpers/alert-intake.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { serveSnsTestCerts, signSns } from '../helpers/sns.ts';

const TOKEN = 'fuzz-token';
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

describe.each(Object.keys(FIXTURES) as AlertSource[])(
  'POST /hooks/alerts/%s with mutated payloads',
  (source) => {
    it('answers 202, or 400 naming a field; never a 5xx', async () => {
      const seen = { 202: 0, 400: 0 };
      await fc.assert(
        fc.asyncProperty(payloads(source), async (body) => {
          // SNS messages are signed after the change (as SNS would sign what it sends); a changed
          // SignatureVersion is refused 401 naming it, which the sender cannot fix by retrying either.
          const res = await server.post(source, source === 'cloudwatch' ? signSns(body) : body);
          expect(source === 'cloudwatch' ? [202, 400, 401] : [202, 400]).toContain(res.status);
          if (res.status !== 202) expect(res.body.error).toMatch(/^\S.*: \S/s);
          if (res.status !== 401) seen[res.status as 202 | 400]++;
        }),
        { numRuns: 250 },
      );
      // Both answers were reached: the generator is not all garbage nor all valid.
      expect(seen[202]).toBeGreaterThan(0);
      expect(seen[400]).toBeGreaterThan(0);
    }, 120_000);
  },
);

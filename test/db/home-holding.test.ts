// The App Home's "what you hold now": the investigations assigned to the person that are open or
// taken, soonest deadline first, as INV-n with their deadline, then those waiting for the customer
// (since when); not others', not resolved ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { home } from '../../handlers/home.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  const add = (assignee: string, customer: string, deadline: string, status: string) =>
    db.ownerPool.query(
      `INSERT INTO investigations (requester, assignee, customer, category, question, deadline, status,
                                   created_at, updated_at, waiting_since, answer, resolved_at)
       VALUES ('U0FIN1', $1, $2, 'payment', 'q', $3, $4, now(), now(),
               CASE WHEN $4 = 'waiting' THEN '2024-04-09T01:00:00Z'::timestamptz END,
               CASE WHEN $4 = 'resolved' THEN 'a' END,
               CASE WHEN $4 = 'resolved' THEN now() END)`,
      [assignee, customer, deadline, status],
    );
  await add('U0DDD', 'ACME <b>', '2024-04-12T09:00:00Z', 'open'); // INV-1
  await add('U0DDD', 'Beta', '2024-04-11T09:00:00Z', 'taken'); // INV-2
  await add('U0DDD', 'Gamma', '2024-04-10T09:00:00Z', 'waiting'); // INV-3
  await add('U0DDD', 'Delta', '2024-04-10T09:00:00Z', 'resolved'); // INV-4
  await add('U0EEE', 'Epsilon', '2024-04-10T09:00:00Z', 'open'); // INV-5
});
afterAll(async () => db?.drop());

describe('App Home: what you hold now', () => {
  it('lists the person’s open and taken investigations, soonest deadline first, then those waiting', async () => {
    const ctx = testContext(db.pool);
    const out = await home.build({ userId: 'U0DDD', locale: 'en' }, ctx);
    expect(out.text).toContain(
      '*What you hold now*\nINV-2 (taken), reply due Thu 11 Apr 18:00: Beta\nINV-1 (open), reply due Fri 12 Apr 18:00: ACME &lt;b&gt;\nINV-3 (waiting for the customer since Tue 9 Apr 10:00): Gamma\n',
    );
    expect(out.text).not.toMatch(/INV-[45]/);
    const ja = await home.build({ userId: 'U0DDD', locale: 'ja' }, ctx);
    expect(ja.text).toContain('INV-2（対応中）回答期限');
  });

  it('says nothing is assigned when nothing is', async () => {
    const out = await home.build({ userId: 'U0AAA', locale: 'en' }, testContext(db.pool));
    expect(out.text).toContain('*What you hold now*\nNothing assigned to you.');
  });
});

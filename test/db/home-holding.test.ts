// The App Home's "what you hold now": the alert groups the person acknowledged that still fire
// (first), then the investigations assigned to them that are open or taken, soonest deadline first,
// as INV-n with their deadline, then those waiting for the customer (since when); not others', not
// resolved ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { home } from '../../handlers/home.ts';
import { acknowledgeGroup, resolveGroup } from '../../src/services/alerts/actions.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { openAlertGroups } from '../../src/services/rotations/handoffs.ts';
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

  it('lists the alert groups the person acknowledged that still fire, before the investigations', async () => {
    const ctx = testContext(db.pool);
    const fire = async (title: string) => {
      const r = await intakeAlerts(ctx, { source: 'generic', body: { title, status: 'firing' } });
      if (r.status !== 202) throw new Error('refused');
      return r.groups[0]!;
    };
    const mine = await fire('Ledger <lag>');
    const resolved = await fire('Old one');
    const others = await fire('Someone else’s');
    await acknowledgeGroup(ctx, mine, 'U0EEE');
    await acknowledgeGroup(ctx, resolved, 'U0EEE');
    await acknowledgeGroup(ctx, others, 'U0FFF');
    await resolveGroup(ctx, resolved, 'U0EEE');
    const out = await home.build({ userId: 'U0EEE', locale: 'en' }, ctx);
    expect(out.text).toMatch(
      new RegExp(
        `\\*What you hold now\\*\\n:rotating_light: \`#${mine}\` Ledger &lt;lag&gt; \\(acknowledged [^)]+\\)\\nINV-5 \\(open\\)`,
      ),
    );
    expect(out.text).not.toContain('Old one');
    expect(out.text).not.toContain('Someone else');
    // The handoff lists every open group, newest first; not the resolved one.
    expect(await openAlertGroups(db.pool)).toEqual([
      { id: others, title: 'Someone else’s' },
      { id: mine, title: 'Ledger <lag>' },
    ]);
  });
});

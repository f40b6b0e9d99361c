// Investigation reminders (issue 11, item 6) against PostgreSQL on a moved clock: two app instances
// (two schedulers, each with its own pool, on one database and one ManualClock) run the reminder job
// every minute. The assignee is DMed when two business hours (09:00-18:00, weekends and Japanese
// holidays off) are left to the effective deadline, not earlier and once; at the deadline the channel
// is told once (a reply in the post's thread, a notice mentioning the assignee) and the post is
// updated to show it is overdue. A request waiting for the customer does not run late, and after it
// resumes the reminders follow its deadline moved by the time waited. A resolved request gets nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { AppContext } from '../../src/core/context.ts';
import { insertInvestigation } from '../../src/db/investigations.ts';
import { isBusinessDay } from '../../src/domain/business-days.ts';
import { moveDueAt } from '../../src/domain/investigation.ts';
import type { Pool } from '../../src/db/pool.ts';
import { DEMO_USERS } from '../../src/demo/config.ts';
import { investigationReminderJob } from '../../src/jobs/investigation-reminders.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { sendDueReminders } from '../../src/services/investigations/reminders.ts';
import { testContext } from '../helpers/context.ts';
import { jst } from '../helpers/jst.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { replicaFactory, type Replica } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);

beforeAll(async () => {
  db = await freshDatabase();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox, slack_messages, job_firings RESTART IDENTITY CASCADE',
  );
});
afterEach(async () => {
  await replicas.stopAll();
});
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const LOCALES = Object.fromEntries(Object.entries(DEMO_USERS).map(([id, u]) => [id, u.locale]));
const MINUTE = 60_000;

/** One app instance: a scheduler (with its own pool) running the reminder job over its own context. */
function instance(name: string, clock: ManualClock): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  const ctx: AppContext = {
    ...testContext(r.pool as Pool),
    clock,
    directory: staticDirectory({}, LOCALES, {}, Object.keys(DEMO_USERS)),
  };
  r.scheduler.register(investigationReminderJob(ctx));
  return { ...r, ctx };
}

/** A request filed at `filed` (JST wall clock), due at `due`, assigned to U0DDD (Daiki, ja). */
async function file(filed: string, due: string): Promise<string> {
  const inv = await insertInvestigation(db.pool, {
    requester: 'U0SUP1',
    assignee: 'U0DDD',
    customer: 'cus_42',
    reference: null,
    category: 'payout',
    question: '入金がまだです',
    deadline: jst(due),
    urgency: 'normal',
    source: null,
    requestKey: null,
    at: jst(filed),
  });
  return inv!.id;
}

interface Event {
  id: string;
  what: string;
  at: string;
  deadline: string;
}

/** The reminder events, in order, with the (JST) clock they were written at and the deadline they are about. */
async function reminders(): Promise<Event[]> {
  const { rows } = await db.pool.query<{ id: string; what: string; at: Date; deadline: string }>(
    `SELECT investigation_id::text AS id, what, at, detail->>'deadline' AS deadline FROM investigation_events
      WHERE what IN ('reminded', 'overdue') ORDER BY investigation_events.id`,
  );
  const wall = (d: Date) =>
    new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  return rows.map((r) => ({ id: r.id, what: r.what, at: wall(r.at), deadline: wall(new Date(r.deadline)) }));
}

interface Row {
  kind: string;
  payload: { channel?: string; user?: string; text: string; threadRef?: string; ref?: string };
}

async function outbox(): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>('SELECT kind, payload FROM outbox ORDER BY id');
  return rows;
}

/** Moves the clock to `to` in steps of `stepMs`, both instances ticking together at every step. */
async function walk(clock: ManualClock, xs: Replica[], to: string, stepMs: number): Promise<void> {
  const end = jst(to).getTime();
  while (clock.now().getTime() < end) {
    clock.set(new Date(Math.min(end, clock.now().getTime() + stepMs)));
    await Promise.all(xs.map((x) => x.scheduler.tick()));
  }
}

describe('before the deadline and at it', () => {
  it('DMs the assignee on Friday 17:00 for a Monday 10:00 deadline (two business hours), once; tells the channel at 10:00 once', async () => {
    // Thu 3 Dec 2026 10:00 filed, due Mon 7 Dec 10:00: one business hour on Friday (17-18) and one on
    // Monday (09-10) are the two hours before it.
    const id = await file('2026-12-03 10:00', '2026-12-07 10:00');
    const clock = new ManualClock(jst('2026-12-04 16:50'));
    const a = instance('a', clock);
    const b = instance('b', clock);

    await walk(clock, [a, b], '2026-12-04 16:59', MINUTE);
    expect(await reminders()).toEqual([]); // not earlier
    await walk(clock, [a, b], '2026-12-04 17:10', MINUTE);
    await walk(clock, [a, b], '2026-12-07 09:59', 30 * MINUTE); // the weekend: nothing more
    const dm = { id, what: 'reminded', at: '2026-12-04 17:00', deadline: '2026-12-07 10:00' };
    expect(await reminders()).toEqual([dm]);

    await walk(clock, [a, b], '2026-12-07 10:30', MINUTE);
    await walk(clock, [a, b], '2026-12-07 18:00', 30 * MINUTE);
    expect(await reminders()).toEqual([
      dm,
      { id, what: 'overdue', at: '2026-12-07 10:00', deadline: '2026-12-07 10:00' },
    ]);

    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual(['slack.dm', 'slack.post', 'slack.post', 'slack.update']);
    const [reminder, thread, notice, update] = rows as [Row, Row, Row, Row];
    expect(reminder.payload.user).toBe('U0DDD');
    expect(reminder.payload.text).toMatch(
      /^⏰ INV-1（cus_42）の回答期限 12\/7\(月\) 10:00 まで、営業時間であと 2 時間です。/,
    );
    // The thread of the request's post, and the channel itself, each mentioning the assignee.
    expect(thread.payload).toMatchObject({ channel: 'C0INVEST', threadRef: `investigation:${id}` });
    expect(thread.payload.text).toContain('<@U0DDD> INV-1 は回答期限 12/7(月) 10:00 を過ぎました');
    expect(notice.payload.channel).toBe('C0INVEST');
    expect(notice.payload.threadRef).toBeUndefined();
    expect(notice.payload.text).toContain('<@U0DDD> INV-1（cus_42）が回答期限 12/7(月) 10:00 を過ぎています');
    expect(update.payload.ref).toBe(`investigation:${id}`);
    expect(update.payload.text).toContain('⏰ 期限超過');
  });

  it('writes each reminder once when two replicas run at the same instant and when a run is repeated (kill -9)', async () => {
    await file('2026-12-03 10:00', '2026-12-07 10:00');
    const clock = new ManualClock(jst('2026-12-04 17:00'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    // Not through the scheduler (which runs a firing once): the service itself, concurrently.
    const first = await Promise.all([
      sendDueReminders(a.ctx, clock.now()),
      sendDueReminders(b.ctx, clock.now()),
    ]);
    expect(first.flat().map((r) => r.stage)).toEqual(['before']);
    // A run that died after its commit, run again (and the next minute's run).
    expect(await sendDueReminders(a.ctx, clock.now())).toEqual([]);
    clock.advance(MINUTE);
    expect(await sendDueReminders(b.ctx, clock.now())).toEqual([]);

    clock.set(jst('2026-12-07 10:00'));
    const overdue = await Promise.all([
      sendDueReminders(a.ctx, clock.now()),
      sendDueReminders(b.ctx, clock.now()),
    ]);
    expect(overdue.flat().map((r) => r.stage)).toEqual(['overdue']);
    expect(await sendDueReminders(a.ctx, clock.now())).toEqual([]);
    expect((await outbox()).map((r) => r.kind)).toEqual([
      'slack.dm',
      'slack.post',
      'slack.post',
      'slack.update',
    ]);
  });

  it('gives a request due less than two business hours after filing no reminder before it, only the overdue notice', async () => {
    const id = await file('2026-12-08 14:00', '2026-12-08 15:00');
    const clock = new ManualClock(jst('2026-12-08 14:00'));
    const a = instance('a', clock);
    await walk(clock, [a], '2026-12-08 15:10', 5 * MINUTE);
    expect(await reminders()).toEqual([
      { id, what: 'overdue', at: '2026-12-08 15:00', deadline: '2026-12-08 15:00' },
    ]);
  });

  it('gives a resolved request nothing', async () => {
    const id = await file('2026-12-07 10:00', '2026-12-08 15:00');
    await db.pool.query(
      `UPDATE investigations SET status = 'resolved', resolved_at = $2, resolved_by = 'U0DDD', answer = '入金済みです'
        WHERE id = $1`,
      [id, jst('2026-12-08 09:30')],
    );
    const clock = new ManualClock(jst('2026-12-08 12:00'));
    const a = instance('a', clock);
    await walk(clock, [a], '2026-12-08 16:00', 5 * MINUTE);
    expect(await reminders()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });
});

describe('waiting for the customer', () => {
  it('does not go overdue while waiting; after Resume the reminders follow the deadline moved by the time waited', async () => {
    // Both due Tue 8 Dec 15:00 (reminder at 13:00). INV-1 waits from 12:00, before its reminder;
    // INV-2 from 14:00, after it. Both resume Wed 10:00: INV-1 waited 7 business hours (Tue 12–18,
    // Wed 9–10: due Wed 13:00, reminded at 11:00), INV-2 5 (due Wed 11:00: one business hour left,
    // reminded at once).
    const one = await file('2026-12-07 10:00', '2026-12-08 15:00');
    const two = await file('2026-12-07 10:00', '2026-12-08 15:00');
    const clock = new ManualClock(jst('2026-12-08 11:55'));
    const a = instance('a', clock);
    const b = instance('b', clock);
    const wait = (id: string) =>
      db.pool.query(`UPDATE investigations SET status = 'waiting', waiting_since = $2 WHERE id = $1`, [
        id,
        clock.now(),
      ]);
    // As Resume does (services/investigations/waiting.ts): the due instant moved by the business time waited.
    const resume = async (id: string) => {
      const { rows } = await db.pool.query<{ dueAt: Date; since: Date }>(
        `SELECT due_at AS "dueAt", waiting_since AS since FROM investigations WHERE id = $1`,
        [id],
      );
      const moved = moveDueAt(rows[0]!.dueAt, rows[0]!.since, clock.now(), {
        zone: 'Asia/Tokyo',
        isBusinessDay,
        hours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
      });
      await db.pool.query(
        `UPDATE investigations SET status = 'open', waited_ms = waited_ms + $2, due_at = $3, waiting_since = NULL
          WHERE id = $1`,
        [id, moved.waitedMs, moved.dueAt],
      );
    };

    await walk(clock, [a, b], '2026-12-08 12:00', MINUTE);
    await wait(one);
    await walk(clock, [a, b], '2026-12-08 14:00', 5 * MINUTE);
    await wait(two);
    await walk(clock, [a, b], '2026-12-09 10:00', 15 * MINUTE); // past the promised 15:00: not overdue
    expect(await reminders()).toEqual([
      { id: two, what: 'reminded', at: '2026-12-08 13:00', deadline: '2026-12-08 15:00' },
    ]);

    await resume(one);
    await resume(two);
    await walk(clock, [a, b], '2026-12-09 13:30', MINUTE);
    expect(await reminders()).toEqual([
      { id: two, what: 'reminded', at: '2026-12-08 13:00', deadline: '2026-12-08 15:00' },
      { id: two, what: 'reminded', at: '2026-12-09 10:01', deadline: '2026-12-09 11:00' },
      { id: two, what: 'overdue', at: '2026-12-09 11:00', deadline: '2026-12-09 11:00' },
      { id: one, what: 'reminded', at: '2026-12-09 11:00', deadline: '2026-12-09 13:00' },
      { id: one, what: 'overdue', at: '2026-12-09 13:00', deadline: '2026-12-09 13:00' },
    ]);
  });
});

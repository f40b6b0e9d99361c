// The handoff job (issue 10, item 4) against PostgreSQL, the real scheduler and the fake Slack API:
// two app instances (two schedulers, each with its own pool, on one database and one ManualClock)
// record each handoff once and tell it once: an announcement in the rotation's channel with what is
// open, a DM to the person coming on duty, the Slack user group set when the people on duty change.
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import type { Config } from '../../src/config/load.ts';
import type { AppContext } from '../../src/core/context.ts';
import { insertInvestigation } from '../../src/db/investigations.ts';
import type { Pool } from '../../src/db/pool.ts';
import { DEMO_USERS } from '../../src/demo/config.ts';
import type { Rotation } from '../../src/domain/rotation.ts';
import { handoffJob } from '../../src/jobs/handoffs.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { setOverride } from '../../src/services/rotations/overrides.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { startSlackWorker } from '../helpers/outbox.ts';
import { replicaFactory, type Replica } from '../helpers/scheduler.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';

let db: TestDatabase;
let slack: FakeSlack | undefined;
const workers: OutboxWorker[] = [];
const replicas = replicaFactory(() => db);
let restoreNetwork: () => void = () => {};

beforeAll(async () => {
  restoreNetwork = onlyLocalNetwork();
  db = await freshDatabase();
});
beforeEach(async () => {
  await db.ownerPool.query(
    `TRUNCATE rotation_handoffs, rotation_overrides, rotation_cover_requests, rotation_usergroups, outbox,
              slack_messages, job_firings, investigations RESTART IDENTITY CASCADE`,
  );
});
afterEach(async () => {
  await replicas.stopAll();
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await slack?.close();
  slack = undefined;
});
afterAll(async () => {
  restoreNetwork();
  await replicas.closePools();
  await db?.drop();
});

const CHANNEL = 'C0HANDOFF';
const PEOPLE = [...Object.keys(DEMO_USERS)];
const LOCALES = Object.fromEntries(Object.entries(DEMO_USERS).map(([id, u]) => [id, u.locale]));

function rotation(r: Partial<Rotation> & Pick<Rotation, 'id'>): Rotation {
  return {
    name: r.id,
    members: ['U0AAA', 'U0BBB', 'U0CCC'],
    shift: { kind: 'daily' },
    handoff: { hour: 10, minute: 0 },
    timeZone: 'Asia/Tokyo',
    start: '2026-01-05',
    businessDaysOnly: false,
    channel: CHANNEL,
    ...r,
  };
}

/** One app instance: a scheduler (with its own pool) running the handoff job over its own context. */
function instance(name: string, clock: ManualClock, rotations: Rotation[]): Replica & { ctx: AppContext } {
  const r = replicas.replica(name, clock);
  const base = testContext(r.pool as Pool);
  const config: Config = { ...base.config, rotations };
  const ctx: AppContext = {
    ...base,
    clock,
    config,
    directory: staticDirectory({}, LOCALES, {}, PEOPLE),
  };
  r.scheduler.register(handoffJob(ctx));
  return { ...r, ctx };
}

interface Row {
  kind: string;
  idempotency_key: string;
  payload: { channel?: string; user?: string; text?: string; usergroup?: string; users?: string[] };
}

async function outboxRows(kind?: string): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT kind, idempotency_key, payload FROM outbox WHERE $1::text IS NULL OR kind = $1 ORDER BY id`,
    [kind ?? null],
  );
  return rows;
}

/** The handoffs (rotation@instant) the outbox holds rows of `what` (announce, dm, usergroup) for. */
const told = (rows: Row[], what: string) =>
  rows
    .map((r) => /:handoff:([^:]+):(\d{4}-[^Z]+Z):(\w+)/.exec(r.idempotency_key))
    .filter((m): m is RegExpExecArray => m !== null && m[3] === what)
    .map((m) => `${m[1]}@${m[2]}`);

/** Waits until every outbox row is delivered (a condition; the timeout only bounds a hang). */
async function allDelivered(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query(
      `SELECT id, state, last_error FROM outbox WHERE state <> 'delivered'`,
    );
    if (rows.length === 0) return;
    if (Date.now() > deadline) throw new Error(`rows not delivered: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function tickAll(...xs: Replica[]): Promise<void> {
  await Promise.all(xs.map((x) => x.scheduler.tick()));
}

describe('handoffs across DST changes: each fires once that day, at the local time', () => {
  // 2026: New York springs forward Sun 8 Mar (02:00 -> 03:00; 02:30 does not exist and moves to
  // 03:30) and falls back Sun 1 Nov; Berlin Sun 29 Mar and Sun 25 Oct (02:30 happens twice).
  const cases = [
    { zone: 'America/New_York', day: '2026-03-08', at: '2026-03-08T07:30:00.000Z', local: '03:30' },
    { zone: 'America/New_York', day: '2026-11-01', at: '2026-11-01T07:30:00.000Z', local: '02:30' },
    { zone: 'Europe/Berlin', day: '2026-03-29', at: '2026-03-29T01:30:00.000Z', local: '03:30' },
    { zone: 'Europe/Berlin', day: '2026-10-25', at: '2026-10-25T01:30:00.000Z', local: '02:30' },
  ];
  for (const { zone, day, at, local } of cases) {
    it(`${zone} ${day}: the 02:30 handoff (daily and weekly) is announced, DMed and recorded once, at ${local} local`, async () => {
      const start = DateTime.fromISO(day, { zone });
      const clock = new ManualClock(start.toJSDate());
      const rotations = [
        rotation({ id: 'daily', timeZone: zone, handoff: { hour: 2, minute: 30 } }),
        rotation({
          id: 'weekly',
          timeZone: zone,
          handoff: { hour: 2, minute: 30 },
          shift: { kind: 'weekly', weekday: 7 },
        }),
      ];
      const a = instance('a', clock, rotations);
      const b = instance('b', clock, rotations);
      // Through the local day in 5-minute steps, both instances ticking at every step.
      const end = start.plus({ days: 1 }).toMillis();
      await tickAll(a, b);
      while (clock.now().getTime() < end) {
        clock.advance(5 * 60_000);
        await tickAll(a, b);
      }
      const rows = await outboxRows();
      expect(told(rows, 'announce').sort()).toEqual([`daily@${at}`, `weekly@${at}`]);
      expect(told(rows, 'dm').sort()).toEqual([`daily@${at}`, `weekly@${at}`]);
      const { rows: handoffs } = await db.pool.query<{ rotation_id: string; starts_at: Date }>(
        'SELECT rotation_id, starts_at FROM rotation_handoffs ORDER BY rotation_id, starts_at',
      );
      // The shift under way at midnight (recorded, not announced: nobody handed over) and the one at 02:30.
      expect(handoffs.filter((h) => h.rotation_id === 'daily').map((h) => h.starts_at.toISOString())).toEqual(
        [DateTime.fromISO(day, { zone }).minus({ days: 1 }).set({ hour: 2, minute: 30 }).toUTC().toISO(), at],
      );
      expect(DateTime.fromISO(at, { zone }).toFormat('HH:mm')).toBe(local);
      const announcement = rows.find((r) => r.kind === 'slack.post')!;
      expect(announcement.payload.channel).toBe(CHANNEL);
    });
  }
});

describe('two app instances over a simulated week', () => {
  // Mon 7 Dec 2026 09:00 JST to Mon 14 Dec 12:00 JST. primary: weekly Mon 10:00 (U0AAA U0BBB
  // U0CCC from Mon 5 Jan: handoff 47 on 30 Nov is U0CCC's, 48 on 7 Dec U0AAA's, 49 on 14 Dec
  // U0BBB's); secondary: daily 10:00 (U0DDD on even days since 5 Jan, so from 7 Dec; U0EEE on odd).
  // Both share the user group S0ONCALL. An override (U0LEAD on primary, Wed 15:00 to Thu 09:00) is
  // set on Tuesday.
  const FROM = '2026-12-07T00:00:00Z';
  const TO = '2026-12-14T03:00:00Z';
  const rotations = [
    rotation({
      id: 'primary',
      name: 'Primary on-call',
      shift: { kind: 'weekly', weekday: 1 },
      userGroup: 'S0ONCALL',
    }),
    rotation({ id: 'secondary', name: 'Secondary', members: ['U0DDD', 'U0EEE'], userGroup: 'S0ONCALL' }),
  ];

  async function week(opts: { killAAt?: string } = {}) {
    const clock = new ManualClock(FROM);
    const a = instance('a', clock, rotations);
    const b = instance('b', clock, rotations);
    await insertInvestigation(db.pool, {
      requester: 'U0FIN1',
      assignee: 'U0DDD',
      customer: 'Acme 株式会社',
      reference: null,
      category: 'payment',
      question: 'Why was the payment declined?',
      deadline: new Date('2026-12-20T09:00:00Z'),
      urgency: 'urgent',
      source: null,
      requestKey: null,
      at: clock.now(),
    });
    let alive = [a, b];
    for (;;) {
      await tickAll(...alive);
      const now = clock.now().toISOString();
      if (now === '2026-12-08T03:00:00.000Z') {
        await setOverride(a.ctx, {
          rotation: rotations[0]!,
          userId: 'U0LEAD',
          start: new Date('2026-12-09T06:00:00Z'), // Wed 15:00 JST
          end: new Date('2026-12-10T00:00:00Z'), // Thu 09:00 JST
          by: 'U0BBB',
        });
      }
      if (opts.killAAt && now === opts.killAAt) {
        // Instance a dies after it committed (handoffs recorded, outbox rows written), before any
        // of its rows were delivered: no worker ever ran on it.
        await a.scheduler.stop();
        alive = [b];
      }
      if (clock.now().getTime() >= new Date(TO).getTime()) break;
      clock.advance(15 * 60_000);
    }
    return { a, b, clock };
  }

  const expectedAnnouncements = [
    'primary@2026-12-07T01:00:00.000Z', // U0CCC -> U0AAA
    'primary@2026-12-09T06:00:00.000Z', // override: U0AAA -> U0LEAD
    'primary@2026-12-10T00:00:00.000Z', // override over: U0LEAD -> U0AAA
    'primary@2026-12-14T01:00:00.000Z', // U0AAA -> U0BBB
    ...['07', '08', '09', '10', '11', '12', '13', '14'].map((d) => `secondary@2026-12-${d}T01:00:00.000Z`),
  ].sort();

  it('announces and DMs each handoff once and sets the user group once per change, delivered once', async () => {
    slack = await startFakeSlack();
    workers.push((await startSlackWorker(db, slack)).worker, (await startSlackWorker(db, slack)).worker);
    await week();

    const rows = await outboxRows();
    expect(told(rows, 'announce').sort()).toEqual(expectedAnnouncements);
    expect(told(rows, 'dm').sort()).toEqual(expectedAnnouncements);
    // The group: set first (nothing set before), then Mon 10:00 once for both rotations handing off
    // together, Tue–Sun 10:00 (secondary), the override's start and end, Mon 14 Dec 10:00.
    const groups = rows.filter((r) => r.kind === 'slack.usergroup').map((r) => r.payload.users);
    expect(groups).toEqual([
      ['U0CCC', 'U0EEE'],
      ['U0AAA', 'U0DDD'],
      ['U0AAA', 'U0EEE'],
      ['U0AAA', 'U0DDD'],
      ['U0DDD', 'U0LEAD'],
      ['U0AAA', 'U0DDD'],
      ['U0AAA', 'U0EEE'],
      ['U0AAA', 'U0DDD'],
      ['U0AAA', 'U0EEE'],
      ['U0AAA', 'U0DDD'],
      ['U0BBB', 'U0EEE'],
    ]);
    // The override's handoffs are in the shift history.
    const { rows: history } = await db.pool.query<{ user_id: string; reason: string }>(
      `SELECT user_id, reason FROM rotation_handoffs WHERE rotation_id = 'primary' ORDER BY starts_at`,
    );
    expect(history.map((h) => `${h.user_id}:${h.reason}`)).toEqual([
      'U0CCC:schedule',
      'U0AAA:schedule',
      'U0LEAD:override',
      'U0AAA:schedule',
      'U0BBB:schedule',
    ]);
    // What the announcement says: who hands over to whom, for whom an override stands in, what is open.
    const overrideStart = rows.find((r) =>
      r.idempotency_key.endsWith('primary:2026-12-09T06:00:00.000Z:announce'),
    );
    expect(overrideStart?.payload.text).toContain(
      '<@U0AAA> から <@U0LEAD>（<@U0AAA> の代わり） に交代しました（12/10(木) 09:00 まで）。',
    );
    expect(overrideStart?.payload.text).toContain('INV-1 Acme 株式会社');
    // The DM in the incoming person's language (U0LEAD reads English), their shift in their zone.
    const dm = rows.find((r) => r.idempotency_key.endsWith('primary:2026-12-09T06:00:00.000Z:dm'));
    expect(dm?.payload.user).toBe('U0LEAD');
    expect(dm?.payload.text).toContain(
      'You are on duty in *Primary on-call* (override for <@U0AAA>): Wed 9 Dec 15:00 – Thu 10 Dec 09:00 (Asia/Tokyo).',
    );

    // Delivered through the fake Slack API: each row once.
    await allDelivered();
    expect(slack.callsTo('usergroups.users.update').map((c) => c.body.users)).toEqual(
      groups.map((g) => g!.join(',')),
    );
    expect(slack.usergroups.get('S0ONCALL')).toEqual(['U0BBB', 'U0EEE']);
    const inChannel = slack.messages.filter((m) => m.channel === CHANNEL);
    expect(inChannel).toHaveLength(expectedAnnouncements.length);
    expect(slack.messages.filter((m) => m.channel !== CHANNEL)).toHaveLength(expectedAnnouncements.length);
  });

  it('loses nothing when an instance dies between recording a handoff and its delivery (the outbox)', async () => {
    // Instance a dies at Mon 10:00, the tick that recorded Monday's handoffs; b goes on alone.
    await week({ killAAt: '2026-12-07T01:00:00.000Z' });
    const rows = await outboxRows();
    expect(told(rows, 'announce').sort()).toEqual(expectedAnnouncements);
    expect(rows.filter((r) => r.kind === 'slack.usergroup')).toHaveLength(11);
    // Only now does anything deliver (a worker on b): every row, once.
    slack = await startFakeSlack();
    workers.push((await startSlackWorker(db, slack)).worker);
    await allDelivered();
    expect(slack.callsTo('usergroups.users.update')).toHaveLength(11);
    expect(slack.messages.filter((m) => m.channel === CHANNEL)).toHaveLength(expectedAnnouncements.length);
    expect(
      slack.messages.filter((m) => m.channel === CHANNEL && m.text?.includes('<@U0CCC> から <@U0AAA>')),
    ).toHaveLength(1);
  });
});

describe('what is not announced', () => {
  it('the first shift recorded, handoffs that ended while the job was down, and a handoff to the same person', async () => {
    const rotations = [
      rotation({ id: 'primary', shift: { kind: 'weekly', weekday: 1 }, userGroup: 'S0ONCALL' }),
      rotation({ id: 'secondary', members: ['U0DDD', 'U0EEE'], userGroup: 'S0ONCALL' }),
      rotation({ id: 'solo', members: ['U0LEAD'] }),
    ];
    const clock = new ManualClock('2026-12-07T00:00:00Z'); // Mon 09:00 JST
    const a = instance('a', clock, rotations);
    const b = instance('b', clock, rotations);
    await tickAll(a, b);
    expect(await outboxRows('slack.post')).toEqual([]);
    // Down from Monday 09:00 to Friday 12:00: both instances come back at once.
    clock.set('2026-12-11T03:00:00Z');
    await tickAll(a, b);
    const rows = await outboxRows();
    // Primary's Monday handoff is still in effect (until next Monday); secondary's Tue–Thu ones ended.
    expect(told(rows, 'announce').sort()).toEqual([
      'primary@2026-12-07T01:00:00.000Z',
      'secondary@2026-12-11T01:00:00.000Z',
    ]);
    expect(told(rows, 'dm').sort()).toEqual(told(rows, 'announce').sort());
    // The group: set when the history began, then once to who is on duty now.
    expect(rows.filter((r) => r.kind === 'slack.usergroup').map((r) => r.payload.users)).toEqual([
      ['U0CCC', 'U0EEE'],
      ['U0AAA', 'U0DDD'],
    ]);
    const { rows: solo } = await db.pool.query(`SELECT 1 FROM rotation_handoffs WHERE rotation_id = 'solo'`);
    expect(solo.length).toBe(6); // the shift under way, then Mon–Fri 10:00: recorded, never told
  });
});

// Rotations against PostgreSQL: the shift history written once (recordHandoffs), the future computed
// on from it (membership changes take effect at the next handoff), overrides laid over by the one
// resolver that /oncall, the App Home and investigation duty ask.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { home } from '../../handlers/home.ts';
import { oncall } from '../../commands/oncall.ts';
import type { Config } from '../../src/config/load.ts';
import { dutyAssignee } from '../../src/services/investigations/duty.ts';
import { recordHandoffs } from '../../src/services/rotations/history.ts';
import { onDutyAt, upcoming } from '../../src/services/rotations/resolver.ts';
import { setOverride } from '../../src/services/rotations/overrides.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE rotation_handoffs, rotation_overrides, rotation_cover_requests, outbox RESTART IDENTITY CASCADE',
  );
});

// Mon 2026-11-30 12:00 JST. Primary (weekly, Mon 10:00 from 2024-01-01, U0AAA U0BBB U0CCC): 152 weeks
// in, so U0CCC since 10:00 today, U0AAA from Mon 7 Dec. cs-duty (daily on business days): U0DDD or U0EEE.
const NOW = '2026-11-30T03:00:00Z';

function withMembers(config: Config, id: string, members: string[]): Config {
  return { ...config, rotations: config.rotations.map((r) => (r.id === id ? { ...r, members } : r)) };
}

const ctxAt = (at = NOW) => {
  const ctx = testContext(db.pool);
  ctx.clock.set(at);
  return ctx;
};

async function handoffRows() {
  const { rows } = await db.pool.query(
    `SELECT rotation_id, starts_at, ends_at, user_id, scheduled_user_id, position, reason
       FROM rotation_handoffs ORDER BY rotation_id, starts_at`,
  );
  return rows;
}

describe('shift history', () => {
  it('records the shift in effect first, then each handoff once, however often and by however many it is called', async () => {
    const ctx = ctxAt();
    const first = await recordHandoffs(ctx, ctx.clock.now());
    expect(first.map((h) => [h.rotationId, h.userId, h.reason])).toEqual([
      ['primary', 'U0CCC', 'schedule'],
      ['cs-duty', expect.stringMatching(/^U0(DDD|EEE)$/), 'schedule'],
    ]);
    expect(first[0]!.startsAt.toISOString()).toBe('2026-11-30T01:00:00.000Z');
    expect(await recordHandoffs(ctx, ctx.clock.now())).toEqual([]);
    // A week later, two replicas at once: each handoff is written by one of them.
    const later = new Date('2026-12-07T03:00:00Z');
    const [a, b] = await Promise.all([recordHandoffs(ctx, later), recordHandoffs(ctxAt(), later)]);
    const written = [...a, ...b];
    const primary = written.filter((h) => h.rotationId === 'primary');
    expect(primary.map((h) => h.userId)).toEqual(['U0AAA']);
    // cs-duty: Tue 1 … Fri 4 Dec and Mon 7 Dec, each once.
    expect(written.filter((h) => h.rotationId === 'cs-duty')).toHaveLength(5);
    const rows = await handoffRows();
    expect(rows.filter((r) => r.rotation_id === 'primary')).toEqual([
      expect.objectContaining({ user_id: 'U0CCC', ends_at: new Date('2026-12-07T01:00:00Z') }),
      expect.objectContaining({ user_id: 'U0AAA', position: 0 }),
    ]);
  });

  it('hands the handoffs it writes to onRecorded inside the transaction (the handoff job announces there)', async () => {
    const ctx = ctxAt();
    const seen: string[] = [];
    await recordHandoffs(ctx, ctx.clock.now(), async (tx, h) => {
      const { rows } = await tx.query(
        'SELECT count(*)::int AS n FROM rotation_handoffs WHERE rotation_id = $1',
        [h.rotationId],
      );
      seen.push(`${h.rotationId}:${rows[0].n}`);
    });
    expect(seen).toEqual(['primary:1', 'cs-duty:1']);
  });

  for (const [what, members] of [
    ['a member appended', ['U0AAA', 'U0BBB', 'U0CCC', 'U0LEAD']],
    ['the order reversed', ['U0CCC', 'U0BBB', 'U0AAA']],
    ['the person on duty removed', ['U0AAA', 'U0BBB']],
  ] as const) {
    it(`keeps the person on duty when ${what}; the change takes effect at the next handoff`, async () => {
      const ctx = ctxAt();
      await recordHandoffs(ctx, ctx.clock.now());
      const changed = { ...ctx, config: withMembers(ctx.config, 'primary', [...members]) };
      expect((await onDutyAt(changed, 'primary', ctx.clock.now()))?.shift?.userId).toBe('U0CCC');
      const next = (await upcoming(changed, changed.config.rotations[0]!, 2)).shifts.map((s) => s.userId);
      const i = members.indexOf('U0CCC' as never);
      const after = i >= 0 ? members[(i + 1) % members.length] : members[2 % members.length];
      expect(next.slice(0, 2)).toEqual(['U0CCC', after]);
      // Once the next handoff is recorded under the new list, the turn goes on from it.
      await recordHandoffs(changed, new Date('2026-12-07T03:00:00Z'));
      expect((await onDutyAt(changed, 'primary', new Date('2026-12-08T00:00:00Z')))?.shift?.userId).toBe(
        after,
      );
    });
  }

  it('reads the past from the record even after the members changed', async () => {
    const ctx = ctxAt();
    await recordHandoffs(ctx, ctx.clock.now());
    await recordHandoffs(ctx, new Date('2026-12-14T03:00:00Z'));
    const changed = { ...ctx, config: withMembers(ctx.config, 'primary', ['U0LEAD', 'U0BBB']) };
    const lastWeek = await onDutyAt(changed, 'primary', new Date('2026-12-08T00:00:00Z'));
    expect(lastWeek?.shift?.userId).toBe('U0AAA');
  });
});

describe('an override over a shift already recorded', () => {
  it('is handed off when toban learns of it ("take it now"), then the schedule goes on as before', async () => {
    // 10:00:30 JST Monday: U0CCC's week began at 10:00 and is recorded.
    const ctx = ctxAt('2026-11-30T01:00:30Z');
    await recordHandoffs(ctx, ctx.clock.now());
    const rot = ctx.config.rotations.find((r) => r.id === 'primary')!;
    // U0CCC asks U0LEAD to take it from the start of the shift (10:00, already past) until 12:00.
    await setOverride(ctx, {
      rotation: rot,
      userId: 'U0LEAD',
      start: new Date('2026-11-30T01:00:00Z'),
      end: new Date('2026-11-30T03:00:00Z'),
      by: 'U0CCC',
    });
    await recordHandoffs(ctx, new Date('2026-11-30T01:01:00Z'));
    await recordHandoffs(ctx, new Date('2026-11-30T01:02:00Z')); // again: nothing new
    await recordHandoffs(ctx, new Date('2026-12-07T01:30:00Z'));
    expect(
      (await handoffRows())
        .filter((r) => r.rotation_id === 'primary')
        .map((r) => [r.starts_at.toISOString(), r.user_id, r.reason]),
    ).toEqual([
      ['2026-11-30T01:00:00.000Z', 'U0CCC', 'schedule'],
      ['2026-11-30T01:01:00.000Z', 'U0LEAD', 'override'],
      ['2026-11-30T03:00:00.000Z', 'U0CCC', 'schedule'],
      ['2026-12-07T01:00:00.000Z', 'U0AAA', 'schedule'],
    ]);
  });
});

describe('the resolver with overrides', () => {
  it('answers the override for its period, the schedule around it, and marks whom it stands in for', async () => {
    const ctx = ctxAt();
    await recordHandoffs(ctx, ctx.clock.now());
    const rot = ctx.config.rotations.find((r) => r.id === 'primary')!;
    await setOverride(ctx, {
      rotation: rot,
      userId: 'U0LEAD',
      start: new Date('2026-11-30T09:00:00Z'),
      end: new Date('2026-12-01T00:00:00Z'),
      by: 'U0CCC',
    });
    expect((await onDutyAt(ctx, 'primary', new Date('2026-11-30T08:59:00Z')))?.shift?.userId).toBe('U0CCC');
    const during = await onDutyAt(ctx, 'primary', new Date('2026-11-30T12:00:00Z'));
    expect(during?.shift).toMatchObject({
      userId: 'U0LEAD',
      scheduledUserId: 'U0CCC',
      override: { kind: 'override' },
    });
    expect((await onDutyAt(ctx, 'primary', new Date('2026-12-01T00:00:00Z')))?.shift?.userId).toBe('U0CCC');

    const reply = await oncall.run(
      { command: '/oncall', text: 'primary', userId: 'U0AAA', locale: 'en' },
      ctx,
    );
    expect(reply.message.text).toContain('<@U0LEAD> (override for <@U0CCC>)');
    const now = await oncall.run({ command: '/oncall', text: '', userId: 'U0AAA', locale: 'en' }, ctx);
    expect(now.message.text).toContain('Next handoff: Mon 30 Nov 18:00 to <@U0LEAD> (override for <@U0CCC>)');
    // Recorded as a handoff of its own when it begins, and the schedule's person again when it ends.
    await recordHandoffs(ctx, new Date('2026-12-01T01:00:00Z'));
    expect(
      (await handoffRows()).filter((r) => r.rotation_id === 'primary').map((r) => [r.user_id, r.reason]),
    ).toEqual([
      ['U0CCC', 'schedule'],
      ['U0LEAD', 'override'],
      ['U0CCC', 'schedule'],
    ]);
    // The App Home lists it under "Your overrides" for the person holding it.
    const tab = await home.build({ userId: 'U0LEAD', locale: 'en' }, ctx);
    expect(tab.text).toContain(
      '*Your overrides*\nMon 30 Nov 18:00 – Tue 1 Dec 09:00  *Primary on-call*: <@U0LEAD>',
    );
    expect(tab.text).toContain('Mon 30 Nov 18:00 – Tue 1 Dec 09:00  *Primary on-call*');
  });

  it('assigns investigation duty by the resolver: an override on cs-duty takes new requests', async () => {
    const ctx = ctxAt();
    const cs = ctx.config.rotations.find((r) => r.id === 'cs-duty')!;
    const before = await dutyAssignee(ctx);
    expect(before).toMatch(/^U0(DDD|EEE)$/);
    await setOverride(ctx, {
      rotation: cs,
      userId: 'U0LEAD',
      start: ctx.clock.now(),
      end: new Date('2026-12-01T00:00:00Z'),
      by: before!,
    });
    expect(await dutyAssignee(ctx)).toBe('U0LEAD');
  });

  it('says nobody is on duty outside business hours (and when someone is again), not a gap', async () => {
    const ctx = ctxAt('2026-11-30T12:00:00Z'); // 21:00 JST
    const config: Config = {
      ...ctx.config,
      rotations: ctx.config.rotations.map((r) =>
        r.id === 'cs-duty'
          ? { ...r, businessHours: { from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } } }
          : r,
      ),
    };
    const c = { ...ctx, config };
    expect(await onDutyAt(c, 'cs-duty', ctx.clock.now())).toMatchObject({
      offHours: { resumesAt: new Date('2026-12-01T00:00:00Z') },
    });
    expect(await dutyAssignee(c)).toBeUndefined();
    const reply = await oncall.run({ command: '/oncall', text: '', userId: 'U0AAA', locale: 'en' }, c);
    expect(reply.message.text).toContain('*調査当番*: outside business hours (someone from Tue 1 Dec 09:00)');
  });
});

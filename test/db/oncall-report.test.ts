// /oncall report <YYYY-MM> [rotation]: hours per person from the shift history for the past and the
// resolver for the rest, overrides included; the totals are the month's hours.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oncall } from '../../commands/oncall.ts';
import type { Config } from '../../src/config/load.ts';
import type { Invocation } from '../../src/core/command.ts';
import { recordHandoffs } from '../../src/services/rotations/history.ts';
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

const H = 60; // minutes in the model

function withMembers(config: Config, id: string, members: string[]): Config {
  return { ...config, rotations: config.rotations.map((r) => (r.id === id ? { ...r, members } : r)) };
}

const ctxAt = (at: string, config?: Config) => {
  const ctx = testContext(db.pool, config ? { config } : {});
  ctx.clock.set(at);
  return ctx;
};

const run = (ctx: ReturnType<typeof ctxAt>, text: string, locale: 'ja' | 'en' = 'en') => {
  const inv: Invocation = { command: '/oncall', text, userId: 'U0BBB', locale };
  return oncall.run(inv, ctx);
};

interface ReportModel {
  month: string;
  rotations: {
    id: string;
    coveredMinutes: number;
    people: { userId: string; minutes: number; nightMinutes: number; offDayMinutes: number }[];
    total: { minutes: number };
  }[];
}

describe('/oncall report', () => {
  // Primary: weekly, Mon 10:00 JST from 2024-01-01, U0AAA U0BBB U0CCC. In November 2026 by the
  // schedule: Oct 26 U0AAA, Nov 2 U0BBB, Nov 9 U0CCC, Nov 16 U0AAA, Nov 23 U0BBB, Nov 30 U0CCC.
  it('counts the recorded past, then the schedule after a membership change, with an override, and adds up to the month', async () => {
    const early = ctxAt('2026-11-01T00:00:00Z');
    await recordHandoffs(early, early.clock.now()); // Oct 26 U0AAA
    await setOverride(early, {
      rotation: early.config.rotations.find((r) => r.id === 'primary')!,
      userId: 'U0LEAD',
      start: new Date('2026-11-20T03:00:00Z'), // Fri 20 Nov 12:00 JST
      end: new Date('2026-11-21T03:00:00Z'),
      by: 'U0AAA',
    });
    const mid = ctxAt('2026-11-10T00:00:00Z');
    await recordHandoffs(mid, mid.clock.now()); // Nov 2 U0BBB, Nov 9 U0CCC
    // Reordered on 10 Nov: after U0CCC's week comes U0BBB (Nov 16), U0AAA (Nov 23), U0CCC (Nov 30).
    const config = withMembers(mid.config, 'primary', ['U0AAA', 'U0CCC', 'U0BBB']);
    const reply = await run(ctxAt('2026-11-30T03:00:00Z', config), 'report 2026-11 primary');
    const model = reply.model as ReportModel;
    const [primary] = model.rotations;
    const minutes = Object.fromEntries(primary!.people.map((p) => [p.userId, p.minutes]));
    expect(minutes).toEqual({
      U0AAA: (34 + 168) * H, // Nov 1 00:00 – Nov 2 10:00 (recorded), Nov 23 – Nov 30
      U0BBB: (168 + 168 - 24) * H, // Nov 2 – 9 (recorded), Nov 16 – 23 less the override
      U0CCC: (168 + 14) * H, // Nov 9 – 16 (recorded), Nov 30 10:00 – Dec 1 00:00
      U0LEAD: 24 * H,
    });
    expect(primary!.total.minutes).toBe(30 * 24 * H);
    expect(primary!.coveredMinutes).toBe(30 * 24 * H);
    const lead = primary!.people.find((p) => p.userId === 'U0LEAD')!;
    // Fri 12:00 – Sat 12:00: 22:00–05:00 at night, Saturday's 12 hours a day off.
    expect(lead).toMatchObject({ nightMinutes: 7 * H, offDayMinutes: 12 * H });
  });

  it('totals every rotation to the hours of a future month from the schedule alone', async () => {
    const reply = await run(ctxAt('2026-11-30T03:00:00Z'), 'report 2027-02');
    const model = reply.model as ReportModel;
    expect(model.rotations.map((r) => r.id)).toEqual(['primary', 'cs-duty']);
    for (const r of model.rotations) {
      expect(r.total.minutes).toBe(28 * 24 * H);
      expect(r.people.reduce((s, p) => s + p.minutes, 0)).toBe(28 * 24 * H);
    }
  });

  it('attaches a CSV of every line and a PNG chart per rotation, in the asker’s language', async () => {
    const reply = await run(ctxAt('2026-11-30T03:00:00Z'), 'report 2026-12 primary', 'ja');
    expect(reply.message.text).toContain('当番時間 2026-12');
    const [csv, png] = reply.files ?? [];
    expect(csv?.filename).toBe('oncall-hours-2026-12.csv');
    const lines = csv!.content
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('当番表,ユーザー ID,名前,時間,深夜時間（22:00-05:00）,土日祝の時間');
    expect(lines.at(-1)).toMatch(/^primary,,合計,744,217,/);
    expect(png?.filename).toBe('oncall-hours-2026-12-primary.png');
    expect(Buffer.from(png!.content, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const en = await run(ctxAt('2026-11-30T03:00:00Z'), 'report 2026-12 primary', 'en');
    expect(en.message.text).toContain('Hours on duty, 2026-12');
  });

  it('answers a missing or malformed month, or an unknown rotation, with usage and changes nothing', async () => {
    const ctx = ctxAt('2026-11-30T03:00:00Z');
    for (const text of ['report', 'report 2026-13', 'report november'])
      await expect(run(ctx, text)).rejects.toMatchObject({
        key: 'rotations.report_usage',
        usageOf: '/oncall',
      });
    await expect(run(ctx, 'report 2026-11 nosuch')).rejects.toMatchObject({ key: 'oncall.unknown_rotation' });
  });
});

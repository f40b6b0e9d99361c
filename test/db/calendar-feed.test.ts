// iCal feeds: `/oncall calendar [rotation]` hands a person a secret URL; GET (and HEAD)
// /oncall/<rotation>.ics and /oncall/me.ics serve RFC 5545 that an independent parser (ical.js) reads
// as the same shifts `/oncall <rotation>` lists, overrides included; a wrong token is a plain 404.
import http from 'node:http';
import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oncall } from '../../commands/oncall.ts';
import type { Invocation } from '../../src/core/command.ts';
import { createRoutes } from '../../src/http/routes.ts';
import { createRouter } from '../../src/http/router.ts';
import { calendarFeed, issueFeedLink } from '../../src/services/rotations/calendar.ts';
import { setOverride } from '../../src/services/rotations/overrides.ts';
import { demoConfig, testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let server: http.Server;
let base: string;
// Mon 2026-11-30 12:00 JST: U0CCC holds primary since 10:00 today.
const NOW = '2026-11-30T03:00:00Z';
const ctx = () => {
  const c = testContext(db.pool, { config: demoConfig({ TOBAN_PUBLIC_URL: 'https://toban.example.com/' }) });
  c.clock.set(NOW);
  return c;
};
let shared: ReturnType<typeof ctx>;

beforeAll(async () => {
  db = await freshDatabase();
  shared = ctx();
  const router = createRouter(shared.log);
  createRoutes(shared, router);
  server = http.createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE rotation_handoffs, rotation_overrides, rotation_cover_requests, calendar_feed_tokens, outbox RESTART IDENTITY CASCADE',
  );
});

const run = async (text: string, userId = 'U0BBB') => {
  const inv: Invocation = { command: '/oncall', text, userId, locale: 'en' };
  return oncall.run(inv, shared);
};

/** The feed URL `/oncall calendar …` answers, pointed at the test server. */
async function feedUrl(text: string, userId = 'U0BBB'): Promise<string> {
  const { model } = await run(text, userId);
  const url = (model as { feed: string }).feed;
  expect(url).toMatch(/^https:\/\/toban\.example\.com\/oncall\/[a-z0-9-]+\.ics\?token=[A-Za-z0-9_-]{43}$/);
  return url.replace('https://toban.example.com', base);
}

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  tzid: string | null;
}

function parse(text: string): { events: ParsedEvent[]; zones: string[] } {
  const cal = new ICAL.Component(ICAL.parse(text));
  const zones = cal.getAllSubcomponents('vtimezone');
  for (const z of zones) ICAL.TimezoneService.register(z);
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      tzid: v.getFirstProperty('dtstart')?.getParameter('tzid') as string | null,
    };
  });
  return { events, zones: zones.map((z) => String(z.getFirstPropertyValue('tzid'))) };
}

describe('iCal feed of a rotation', () => {
  it('lists the shifts /oncall <rotation> lists, overrides included, with stable UIDs and the rotation’s TZID', async () => {
    const primary = shared.config.rotations.find((r) => r.id === 'primary')!;
    await setOverride(shared, {
      rotation: primary,
      userId: 'U0LEAD',
      start: new Date('2026-12-08T00:00:00Z'),
      end: new Date('2026-12-09T00:00:00Z'),
      by: 'U0AAA',
    });
    const url = await feedUrl('calendar primary');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    const { events, zones } = parse(text);
    expect(zones).toEqual(['Asia/Tokyo']);
    // DTSTAMP in UTC (RFC 5545 3.8.7.2); DTSTART on the rotation's wall clock with its TZID.
    expect(text).toMatch(/\r\nDTSTAMP:20261130T030000Z\r\n/);
    expect(text).toContain('\r\nDTSTART;TZID=Asia/Tokyo:20261130T100000\r\n');
    expect(events.every((e) => e.tzid === 'Asia/Tokyo')).toBe(true);

    const listed = (await run('primary')).model as { shifts: { user: string; from: string; to: string }[] };
    expect(listed.shifts.length).toBeGreaterThan(3);
    for (const s of listed.shifts) {
      const e = events.find((x) => x.start === s.from);
      expect(e, s.from).toBeDefined();
      expect(e).toMatchObject({ end: s.to, summary: expect.stringContaining(s.user) });
      expect(e!.summary).toContain('Primary on-call');
    }
    expect(events.find((e) => e.start === '2026-12-08T00:00:00.000Z')?.summary).toBe(
      // The demo's language (ja): the token holder's locale is not known to the test directory.
      'Primary on-call: U0LEAD（U0AAA さんと交代）',
    );
    // 30 days back, 90 ahead: back to back, no gap, no overlap.
    for (let i = 1; i < events.length; i++) expect(events[i]!.start).toBe(events[i - 1]!.end);
    expect(events[0]!.start <= '2026-10-31T03:00:00.000Z').toBe(true);
    expect(events.at(-1)!.end >= '2027-02-28T03:00:00.000Z').toBe(true);

    const again = parse(await (await fetch(url)).text()).events;
    expect(again.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const url = await feedUrl('calendar primary');
    const get = await fetch(url);
    const body = await get.text();
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await head.text()).toBe('');
  });

  it('answers a missing, wrong, replaced or other feed’s token with the 404 of an unknown path, and logs no token', async () => {
    const url = await feedUrl('calendar primary');
    const token = new URL(url).searchParams.get('token')!;
    const unknownPath = await fetch(`${base}/no/such/path`);
    const notFound = { status: unknownPath.status, body: await unknownPath.text() };
    expect(notFound.status).toBe(404);
    const wrongToken = url.replace(/token=.*/, `token=${'A'.repeat(43)}`);
    for (const u of [
      url.replace(/\?token=.*/, ''),
      wrongToken,
      url.replace('/primary.ics', '/cs-duty.ics'),
      url.replace('/primary.ics', '/nosuch.ics'),
      url.replace('/primary.ics', '/me.ics'),
    ]) {
      const res = await fetch(u);
      expect({ status: res.status, body: await res.text() }, u).toEqual(notFound);
    }
    expect(JSON.stringify(shared.logs.lines)).not.toContain(token);
    // Asked again, the person gets a new link and the old one stops working.
    const newer = await feedUrl('calendar primary');
    expect(newer).not.toBe(url);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(newer)).status).toBe(200);
    // Tokens are stored hashed.
    const { rows } = await db.ownerPool.query('SELECT token_hash FROM calendar_feed_tokens');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('iCal feed of one person', () => {
  it('lists only their shifts over every rotation, overrides they hold included', async () => {
    const cs = shared.config.rotations.find((r) => r.id === 'cs-duty')!;
    await setOverride(shared, {
      rotation: cs,
      userId: 'U0BBB',
      start: new Date('2026-12-02T01:00:00Z'),
      end: new Date('2026-12-02T05:00:00Z'),
      by: 'U0DDD',
    });
    const url = await feedUrl('calendar');
    expect(url).toContain('/oncall/me.ics?token=');
    const { events } = parse(await (await fetch(url)).text());
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.summary.includes('U0BBB'))).toBe(true);
    expect(events.find((e) => e.start === '2026-12-02T01:00:00.000Z')).toMatchObject({
      end: '2026-12-02T05:00:00.000Z',
      summary: expect.stringMatching(/^調査当番: U0BBB（U0(DDD|EEE) さんと交代）$/),
    });
    expect(events.some((e) => e.summary.startsWith('Primary on-call: U0BBB'))).toBe(true);
  });

  it('gives the path alone when TOBAN_PUBLIC_URL is not set', async () => {
    const c = testContext(db.pool);
    c.clock.set(NOW);
    const reply = await oncall.run(
      { command: '/oncall', text: 'calendar', userId: 'U0BBB', locale: 'en' },
      c,
    );
    expect((reply.model as { feed: string }).feed).toMatch(/^\/oncall\/me\.ics\?token=/);
    expect(reply.message.text).toContain('TOBAN_PUBLIC_URL');
  });
});

describe('iCal feed of a rotation that has not started', () => {
  it('has no event before its first handoff, and the same UIDs on every fetch', async () => {
    const c = ctx();
    const base0 = c.config.rotations.find((r) => r.id === 'primary')!;
    const future = { ...base0, id: 'future', name: 'Future', start: '2027-03-01' };
    const withFuture = { ...c, config: { ...c.config, rotations: [...c.config.rotations, future] } };
    const link = await issueFeedLink(withFuture, 'U0BBB', future);
    const token = new URL(`https://x${link.path}`).searchParams.get('token')!;
    const first = parse((await calendarFeed(withFuture, { rotationId: 'future', token }))!);
    withFuture.clock.advance(65_000);
    const again = parse((await calendarFeed(withFuture, { rotationId: 'future', token }))!);
    // 90 days ahead of 2026-11-30 ends before 2027-03-01 10:00 JST: nothing to list yet, and nothing made up.
    expect(first.events).toEqual([]);
    expect(again.events.map((e) => e.uid)).toEqual(first.events.map((e) => e.uid));
    withFuture.clock.set('2027-02-20T00:00:00Z');
    const near = parse((await calendarFeed(withFuture, { rotationId: 'future', token }))!);
    expect(near.events.length).toBeGreaterThan(0);
    expect(near.events[0]!.start).toBe('2027-03-01T01:00:00.000Z');
  });
});

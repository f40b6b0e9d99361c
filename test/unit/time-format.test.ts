// Dates people read: the year is shown when the instant is not in the current year of the business
// time zone (a deadline next January, a shift across the year end), never otherwise.
import { describe, expect, it } from 'vitest';
import type { Investigation } from '../../src/domain/investigation.ts';
import { homeView } from '../../src/views/home.ts';
import { assignedDm, filedReply, investigationPost } from '../../src/views/investigation.ts';
import { oncallNowView, oncallUpcomingView } from '../../src/views/oncall.ts';
import { formatInstant } from '../../src/views/time.ts';

const TZ = 'Asia/Tokyo';
/** Tuesday 1 December 2026, 10:00 in Tokyo. */
const NOW = new Date('2026-12-01T01:00:00Z');

describe('formatInstant', () => {
  it('leaves the year out within the current year', () => {
    const at = new Date('2026-12-28T09:00:00Z');
    expect(formatInstant(at, TZ, 'ja', NOW)).toBe('12/28(月) 18:00');
    expect(formatInstant(at, TZ, 'en', NOW)).toBe('Mon 28 Dec 18:00');
  });

  it('shows the year of an instant in another year, ja and en', () => {
    const at = new Date('2030-01-15T09:00:00Z');
    expect(formatInstant(at, TZ, 'ja', NOW)).toBe('2030/1/15(火) 18:00');
    expect(formatInstant(at, TZ, 'en', NOW)).toBe('Tue 15 Jan 2030 18:00');
    expect(formatInstant(new Date('2025-06-02T00:00:00Z'), TZ, 'en', NOW)).toBe('Mon 2 Jun 2025 09:00');
  });

  it('reads both years in the business time zone, not in UTC', () => {
    // 31 Dec 2026 15:30 UTC is already 1 Jan 2027 00:30 in Tokyo; now is still 2026 there.
    const newYear = new Date('2026-12-31T15:30:00Z');
    expect(formatInstant(newYear, TZ, 'ja', new Date('2026-12-31T10:00:00Z'))).toBe('2027/1/1(金) 00:30');
    // Now is 1 Jan 2027 in Tokyo (31 Dec in UTC): an instant that day needs no year.
    expect(formatInstant(newYear, TZ, 'ja', new Date('2026-12-31T15:10:00Z'))).toBe('1/1(金) 00:30');
  });
});

const inv: Investigation = {
  id: '7',
  requester: 'U0FIN1',
  assignee: 'U0EEE',
  customer: 'cus_1',
  reference: null,
  category: 'refund',
  question: 'Where is the refund?',
  deadline: new Date('2030-01-15T09:00:00Z'),
  urgency: 'normal',
  status: 'open',
  source: null,
  createdAt: NOW,
  monthClose: false,
  waitingSince: null,
  waitedMs: 0,
  dueAt: new Date('2030-01-15T09:00:00Z'),
  answer: null,
  cause: null,
  ticket: null,
  resolvedAt: null,
  resolvedBy: null,
};

describe('views that show a deadline or a shift', () => {
  it('show a deadline in another year with its year: the post, the DM and the filer’s reply', () => {
    expect(investigationPost(inv, 'ja', TZ, NOW).text).toContain('*回答期限* 2030/1/15(火) 18:00');
    expect(assignedDm(inv, 'en', TZ, NOW).text).toContain('Tue 15 Jan 2030 18:00');
    expect(filedReply(inv, 'ja', TZ, 'C0INVEST', NOW).message.text).toContain('回答期限 2030/1/15(火) 18:00');
    const thisYear = {
      ...inv,
      deadline: new Date('2026-12-04T09:00:00Z'),
      dueAt: new Date('2026-12-04T09:00:00Z'),
    };
    expect(investigationPost(thisYear, 'ja', TZ, NOW).text).toContain('*回答期限* 12/4(金) 18:00');
  });

  it('show a shift across the year end on the App Home with the year of its end only', () => {
    const shift = {
      rotationId: 'cs-duty',
      rotationName: 'CS duty',
      userId: 'U0AAA',
      start: new Date('2026-12-28T01:00:00Z'),
      end: new Date('2027-01-04T01:00:00Z'),
    };
    const ja = homeView({ mine: [shift], rotations: [] }, 'ja', TZ, NOW).text;
    expect(ja).toContain('12/28(月) 10:00 〜 2027/1/4(月) 10:00');
    const en = homeView({ mine: [shift], rotations: [] }, 'en', TZ, NOW).text;
    expect(en).toContain('Mon 28 Dec 10:00 – Mon 4 Jan 2027 10:00');
  });

  it('show /oncall handoffs in another year with the year when given the clock’s now', () => {
    const shift = {
      rotationId: 'p',
      userId: 'U0AAA',
      start: new Date('2026-12-28T01:00:00Z'),
      end: new Date('2027-01-04T01:00:00Z'),
    };
    const now = oncallNowView(
      [{ id: 'p', name: 'Primary', current: shift, next: { ...shift, userId: 'U0BBB', start: shift.end } }],
      'en',
      TZ,
      NOW,
    );
    expect(now.message.text).toContain('Mon 4 Jan 2027 10:00');
    const upcoming = oncallUpcomingView({ id: 'p', name: 'Primary', shifts: [shift] }, 'ja', TZ, NOW);
    expect(upcoming.message.text).toContain('12/28(月) 10:00');
    expect(upcoming.message.text).toContain('2027/1/4(月) 10:00');
  });
});

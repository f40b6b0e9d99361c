// Month-close requests (issue 11, item 5) through the filing handlers against PostgreSQL: during the
// monthly close (business days 1 to 10 of the month, in the business calendar) a request filed by
// finance opens with today's date and urgent, is filed urgent and marked month_close, due at close of
// business, and pages the person on duty at once (an urgent DM and a mention in the post's thread,
// event 'paged'). After the close, or filed by someone not in finance, none of this.
//
// January 2026: Thu 1 is 元日 and Mon 12 成人の日, so business day 3 is Tue 6, day 10 Fri 16 and day
// 11 Mon 19 (counting weekdays alone, Fri 16 would be day 12, outside the close).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { investigateFromMessage } from '../../handlers/investigate-from-message.ts';
import { investigateNew } from '../../handlers/investigate-new.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import type { FieldValues, Modal } from '../../src/core/modal.ts';
import { testContext } from '../helpers/context.ts';
import { jst } from '../helpers/jst.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox, slack_messages RESTART IDENTITY CASCADE',
  );
});

const FINANCE = 'U0FIN1'; // permissions.finance lists U0FIN1 and the group S0FINANCE (U0FIN2)
const SUPPORT = 'U0SUP1';

function ctxAt(wall: string) {
  const ctx = testContext(db.pool);
  ctx.clock.set(jst(wall));
  return ctx;
}

async function modalFor(wall: string, userId: string): Promise<Modal> {
  const out = await investigateNew.run(
    { callbackId: 'investigate_new', type: 'global', userId, locale: 'en', triggerId: 't' },
    ctxAt(wall),
  );
  return out.view!.modal as Modal;
}

const initial = (m: Modal, id: string) => m.fields.find((f) => f.id === id)?.initial;

async function fileAt(wall: string, userId: string, values: Partial<FieldValues> = {}) {
  await investigationFile.submit(
    {
      callbackId: 'investigation.file',
      userId,
      locale: 'en',
      key: `view:${wall}:${userId}`,
      values: {
        customer: 'cus_7',
        category: 'payment',
        question: '売掛金の残高が合いません',
        deadline_date: wall.slice(0, 10),
        urgency: 'normal',
        ...values,
      },
    },
    ctxAt(wall),
  );
  const { rows } = await db.pool.query<{
    assignee: string;
    urgency: string;
    month_close: boolean;
    deadline: Date;
  }>('SELECT assignee, urgency, month_close, deadline FROM investigations ORDER BY id DESC LIMIT 1');
  const { rows: events } = await db.pool.query<{ what: string; detail: Record<string, unknown> }>(
    'SELECT what, detail FROM investigation_events ORDER BY id',
  );
  const { rows: outbox } = await db.pool.query<{
    kind: string;
    payload: { user?: string; channel?: string; threadRef?: string; text: string };
  }>('SELECT kind, payload FROM outbox ORDER BY id');
  return { inv: rows[0]!, events, outbox };
}

describe('a finance filing during the monthly close', () => {
  it('opens the modal due today and urgent on business day 3 (Tue 6 Jan), and on day 10 (Fri 16 Jan)', async () => {
    for (const wall of ['2026-01-06 10:00', '2026-01-16 17:59']) {
      const modal = await modalFor(wall, FINANCE);
      expect(initial(modal, 'deadline_date'), wall).toBe(wall.slice(0, 10));
      expect(initial(modal, 'urgency'), wall).toBe('urgent');
      expect(modal.intro).toContain('monthly close');
    }
    // A member through the finance user group, and from a message.
    const out = await investigateFromMessage.run(
      {
        callbackId: 'investigate_from_message',
        type: 'message',
        userId: 'U0FIN2',
        locale: 'ja',
        triggerId: 't',
        message: { channelId: 'C0FINANCE', ts: '1767661200.000100', text: '残高が違う', authorId: 'U0FIN2' },
      },
      ctxAt('2026-01-06 10:00'),
    );
    expect(initial(out.view!.modal as Modal, 'deadline_date')).toBe('2026-01-06');
    expect(initial(out.view!.modal as Modal, 'urgency')).toBe('urgent');
  });

  it('after close of business, or on a holiday, defaults to the next business day', async () => {
    expect(initial(await modalFor('2026-01-06 18:30', FINANCE), 'deadline_date')).toBe('2026-01-07');
    // Sun 11 Jan and Mon 12 Jan (成人の日): Tue 13, business day 7.
    expect(initial(await modalFor('2026-01-11 11:00', FINANCE), 'deadline_date')).toBe('2026-01-13');
    expect(initial(await modalFor('2026-01-12 11:00', FINANCE), 'deadline_date')).toBe('2026-01-13');
    // 元日: the close of January starts on Fri 2 Jan, business day 1.
    expect(initial(await modalFor('2026-01-01 11:00', FINANCE), 'deadline_date')).toBe('2026-01-02');
  });

  it('files it urgent (chosen normal) and month-close, due at 18:00, and pages the person on duty at once', async () => {
    const { inv, events, outbox } = await fileAt('2026-01-06 10:00', FINANCE);
    expect(inv).toMatchObject({ urgency: 'urgent', month_close: true });
    expect(inv.deadline.toISOString()).toBe(jst('2026-01-06 18:00').toISOString());
    const duty = inv.assignee;
    expect(duty).toMatch(/^U0(DDD|EEE)$/);
    expect(events).toEqual([
      { what: 'filed', detail: { assignee: duty } },
      { what: 'paged', detail: { user: duty } },
    ]);
    // One DM to the person on duty: the page stands for the assignment DM.
    expect(outbox.map((r) => r.kind)).toEqual(['slack.post', 'slack.dm', 'slack.post']);
    const [post, page, mention] = outbox;
    expect(post!.payload.text).toContain('月次決算');
    expect(page!.payload.user).toBe(duty);
    expect(page!.payload.text).toMatch(
      /^🚨 月次決算の至急依頼 INV-1（<@U0FIN1> から）。回答期限 1\/6\(火\) 18:00。/,
    );
    expect(mention!.payload).toMatchObject({ channel: 'C0INVEST', threadRef: 'investigation:1' });
    expect(mention!.payload.text).toContain(`<@${duty}>`);
  });

  it('keeps a time the filer typed', async () => {
    const { inv } = await fileAt('2026-01-16 10:00', FINANCE, { deadline_time: '15:00' });
    expect(inv).toMatchObject({ urgency: 'urgent', month_close: true });
    expect(inv.deadline.toISOString()).toBe(jst('2026-01-16 15:00').toISOString());
  });
});

describe('none of this', () => {
  it('after the close: business day 11 (Mon 19 Jan)', async () => {
    const modal = await modalFor('2026-01-19 10:00', FINANCE);
    expect(initial(modal, 'deadline_date')).toBeUndefined();
    expect(initial(modal, 'urgency')).toBe('normal');
    expect(modal.intro).not.toContain('monthly close');
    const { inv, events, outbox } = await fileAt('2026-01-19 10:00', FINANCE);
    expect(inv).toMatchObject({ urgency: 'normal', month_close: false });
    expect(events.map((e) => e.what)).toEqual(['filed']);
    expect(outbox.map((r) => r.kind)).toEqual(['slack.post', 'slack.dm']);
  });

  it('filed by someone not in finance, inside the close', async () => {
    const modal = await modalFor('2026-01-06 10:00', SUPPORT);
    expect(initial(modal, 'deadline_date')).toBeUndefined();
    expect(initial(modal, 'urgency')).toBe('normal');
    const { inv, events, outbox } = await fileAt('2026-01-06 10:00', SUPPORT);
    expect(inv).toMatchObject({ urgency: 'normal', month_close: false });
    expect(events.map((e) => e.what)).toEqual(['filed']);
    expect(outbox.map((r) => r.kind)).toEqual(['slack.post', 'slack.dm']);
  });
});

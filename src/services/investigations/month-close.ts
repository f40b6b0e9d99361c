// Month-close requests (domain/month-close.ts): during the monthly close, a request filed by finance
// (permissions.finance) opens with the deadline's date on the business day it is worked on and
// urgency urgent (filingDefaults), is filed urgent and marked month_close, due at that date's close of
// business when no time was typed (asMonthClose), and pages the person on duty in the filing's
// transaction: an urgent DM and a mention in the post's thread, event 'paged' (pageDutyPerson).
// Outside the close, or for anyone not in finance, nothing changes.
import type { AppContext } from '../../core/context.ts';
import { insertEvent, postRef } from '../../db/investigations.ts';
import type { Queryable } from '../../db/pool.ts';
import { closeOfBusiness } from '../../domain/business-time.ts';
import type { Investigation } from '../../domain/investigation.ts';
import { monthCloseDay } from '../../domain/month-close.ts';
import type { Locale } from '../../i18n/index.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { pageDm, pageThreadReply } from '../../views/investigation-deadlines.ts';
import type { FilingDefaults } from '../../views/investigation.ts';
import { within } from '../budget.ts';
import { businessCalendar } from '../business-calendar.ts';
import { isFinance } from '../permissions.ts';
import type { FilingRequest } from './file.ts';
import { DateTime } from 'luxon';

type Ctx = Pick<AppContext, 'config' | 'directory' | 'log'>;

/** The close's length when toban.yml gives none (business days 1 to 10). */
const DEFAULT_CLOSE_BUSINESS_DAYS = 10;

/**
 * How long the modal's defaults may wait for the finance check (it may read a Slack user group): the
 * shortcut's modal must open inside its trigger_id's 3 seconds. Not known in time: no defaults.
 */
export const DEFAULTS_BUDGET_MS = 300;

/**
 * The business day `userId` files a month-close request for at `at`, or undefined (outside the
 * close, not in finance, or the finance check failed: logged, and the request is an ordinary one).
 */
export async function monthCloseFor(ctx: Ctx, userId: string, at: Date): Promise<string | undefined> {
  const days = ctx.config.investigations?.close_business_days ?? DEFAULT_CLOSE_BUSINESS_DAYS;
  const day = monthCloseDay(at, days, businessCalendar(ctx));
  if (!day) return undefined;
  try {
    return (await isFinance(ctx.config, ctx.directory, userId)) ? day : undefined;
  } catch (err) {
    ctx.log.warn(
      { err, user: userId },
      'month close: the finance check failed, filed as an ordinary request',
    );
    return undefined;
  }
}

/** What the filing modal starts with for `userId` now: for a month-close request, that day and urgent; else nothing. */
export async function filingDefaults(
  ctx: Ctx & Pick<AppContext, 'clock'>,
  userId: string,
): Promise<FilingDefaults> {
  const day = await within(monthCloseFor(ctx, userId, ctx.clock.now()), DEFAULTS_BUDGET_MS);
  return day ? { deadlineDate: day, urgency: 'urgent', monthClose: true } : {};
}

/**
 * `req` as filed at `at`: for a month-close request, urgent (whatever was chosen), marked monthClose,
 * and, when no time was typed, due at the close of business of its deadline's date (still in the
 * future; else the date's 18:00 stands). Anything else is returned unchanged.
 */
export async function asMonthClose(
  ctx: Ctx & Pick<AppContext, 'clock'>,
  req: FilingRequest,
  at: Date,
): Promise<FilingRequest> {
  if (!(await monthCloseFor(ctx, req.requester, at))) return req;
  const cal = businessCalendar(ctx);
  let deadline = req.filing.deadline;
  if (!req.deadlineTimeGiven) {
    const date = DateTime.fromJSDate(deadline, { zone: cal.zone }).toISODate()!;
    const close = closeOfBusiness(date, cal);
    if (close.getTime() > at.getTime()) deadline = close;
  }
  return { ...req, filing: { ...req.filing, urgency: 'urgent', deadline }, monthClose: true };
}

/**
 * Pages the person a month-close request was assigned to (on duty at filing): an urgent DM in
 * `locale` (theirs), a mention in the post's thread in the team's language, and the event 'paged'.
 * Nothing when nobody was on duty. In the filing's transaction.
 */
export async function pageDutyPerson(
  db: Queryable,
  ctx: Pick<AppContext, 'config' | 'outboxTransport' | 'clock'>,
  inv: Investigation,
  locale: Locale,
): Promise<void> {
  if (!inv.assignee) return;
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  await insertEvent(db, {
    investigationId: inv.id,
    at: now,
    actor: inv.requester,
    what: 'paged',
    detail: { user: inv.assignee },
  });
  await enqueue(
    db,
    {
      kind: 'slack.dm',
      orderingKey: `dm:${inv.assignee}`,
      idempotencyKey: `investigation:${inv.id}:page:dm`,
      payload: { user: inv.assignee, ...pageDm(inv, locale, tz, now) },
    },
    ctx.outboxTransport,
  );
  await enqueue(
    db,
    {
      kind: 'slack.post',
      orderingKey: `investigation:${inv.id}`,
      idempotencyKey: `investigation:${inv.id}:page:thread`,
      payload: {
        channel: ctx.config.channels.investigations,
        threadRef: postRef(inv.id),
        ...pageThreadReply({ ...inv, assignee: inv.assignee }, ctx.config.locale, tz, now),
      },
    },
    ctx.outboxTransport,
  );
}

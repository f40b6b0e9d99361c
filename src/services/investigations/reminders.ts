// Reminders of investigation deadlines (the rule: domain/investigation-reminders.ts): a DM to the
// assignee when the business time left to the effective deadline falls to the lead (toban.yml
// `investigations.remind_before`, 2 business hours by default), and at the deadline a reply in the
// post's thread, a notice in the investigations channel mentioning the assignee and the post updated
// to show it is overdue. Each reminder is one investigation_events row ('reminded' / 'overdue') under
// a unique request_key naming the stage and the effective deadline, written in the transaction of
// its outbox rows: however many replicas or re-runs (after kill -9) try, it is written once.
import type { AppContext } from '../../core/context.ts';
import { REMIND_BEFORE_PATTERN } from '../../config/schema.ts';
import { reminderCandidates } from '../../db/investigation-reminders.ts';
import { insertEvent, lockInvestigation, postRef } from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { addBusinessMs } from '../../domain/business-time.ts';
import {
  DEFAULT_REMIND_BEFORE_MS,
  dueReminder,
  reminderKey,
  type DueReminder,
} from '../../domain/investigation-reminders.ts';
import type { Locale } from '../../i18n/index.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { overdueMessage, reminderDm } from '../../views/investigation-deadlines.ts';
import { businessCalendar } from '../business-calendar.ts';
import { enqueuePostUpdate } from './posts.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>;

/** At most this many requests are looked at per run; the rest (soonest deadline first) wait a minute. */
const BATCH = 200;

/** The reminder lead in business milliseconds: toban.yml's `investigations.remind_before` ("90m", "2h"), else 2 hours. */
export function remindBeforeMs(config: AppContext['config']): number {
  const m = REMIND_BEFORE_PATTERN.exec(config.investigations?.remind_before ?? '');
  if (!m) return DEFAULT_REMIND_BEFORE_MS;
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000);
}

/** One reminder written: which request, which stage, for which effective deadline. */
export interface Reminded {
  id: string;
  stage: DueReminder['stage'];
  deadline: Date;
}

/**
 * Writes every reminder due at `now` and not yet written (see the module comment); returns those
 * this call wrote. Throws database errors (the job's run retries; what was committed stays written).
 */
export async function sendDueReminders(ctx: Ctx, now: Date): Promise<Reminded[]> {
  const cal = businessCalendar(ctx);
  const leadMs = remindBeforeMs(ctx.config);
  // Past this instant more than the lead of business time is left: nothing can be due.
  const until = addBusinessMs(now, leadMs + 1, cal);
  const written: Reminded[] = [];
  for (const c of await reminderCandidates(ctx.pool, until, BATCH)) {
    const due = dueReminder(c, now, leadMs, cal);
    if (!due || (due.stage === 'before' && c.remindedBefore)) continue;
    const done = await remind(ctx, c.id, now, leadMs, due);
    if (done) written.push(done);
  }
  return written;
}

/** A person's language for a DM: theirs when the directory knows it, else the team's. */
async function localeOf(ctx: Ctx, userId: string | null): Promise<Locale> {
  if (!userId) return ctx.config.locale;
  try {
    return (await ctx.directory.userLocale(userId)) ?? ctx.config.locale;
  } catch (err) {
    ctx.log.warn({ err, user: userId }, 'investigation reminder: locale not found, the team’s used');
    return ctx.config.locale;
  }
}

/**
 * Writes one reminder of request `id` under its lock, checked again there (it may have been
 * resolved, put on hold or reassigned since the candidates were read); undefined when nothing was due
 * any more or another run wrote it first.
 */
async function remind(
  ctx: Ctx,
  id: string,
  now: Date,
  leadMs: number,
  expected: DueReminder,
): Promise<Reminded | undefined> {
  const cal = businessCalendar(ctx);
  // Before the transaction: the directory may ask Slack. A change of hands since is told in the team's language.
  const { rows } = await ctx.pool.query<{ assignee: string | null }>(
    'SELECT assignee FROM investigations WHERE id = $1',
    [id],
  );
  const assignee = rows[0]?.assignee ?? null;
  const assigneeLocale = expected.stage === 'before' ? await localeOf(ctx, assignee) : ctx.config.locale;
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, id);
    if (!inv) return undefined;
    const due = dueReminder(inv, now, leadMs, cal);
    if (!due || due.stage !== expected.stage) return undefined;
    const key = reminderKey(inv.id, due.stage, due.deadline);
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at: now,
      actor: 'toban',
      what: due.stage === 'before' ? 'reminded' : 'overdue',
      detail: { deadline: due.deadline.toISOString(), assignee: inv.assignee, leftMs: due.leftMs },
      requestKey: key,
    });
    if (!event) return undefined;
    const tz = ctx.config.timezone;
    if (due.stage === 'before') {
      if (inv.assignee) {
        const locale = inv.assignee === assignee ? assigneeLocale : ctx.config.locale;
        await enqueue(
          tx,
          {
            kind: 'slack.dm',
            orderingKey: `dm:${inv.assignee}`,
            idempotencyKey: `${key}:dm`,
            payload: { user: inv.assignee, ...reminderDm(inv, due.deadline, due.leftMs, locale, tz, now) },
          },
          ctx.outboxTransport,
        );
      }
    } else {
      const locale = ctx.config.locale;
      const channel = ctx.config.channels.investigations;
      await enqueue(
        tx,
        {
          kind: 'slack.post',
          orderingKey: `investigation:${inv.id}`,
          idempotencyKey: `${key}:thread`,
          payload: {
            channel,
            threadRef: postRef(inv.id),
            ...overdueMessage('thread', inv, due.deadline, locale, tz, now),
          },
        },
        ctx.outboxTransport,
      );
      await enqueue(
        tx,
        {
          kind: 'slack.post',
          orderingKey: `channel:${channel}`,
          idempotencyKey: `${key}:channel`,
          payload: { channel, ...overdueMessage('channel', inv, due.deadline, locale, tz, now) },
        },
        ctx.outboxTransport,
      );
      await enqueuePostUpdate(tx, ctx, inv, event);
    }
    return { id: inv.id, stage: due.stage, deadline: due.deadline };
  });
}

// Demo investigation requests: a few open ones, so a first console start has something to show.
// Filed "now" (the clock), due one to three business days later at the end of business, assigned
// to whoever is on investigation duty; one already taken. Loading twice keeps the rows already there.
import { DateTime } from 'luxon';
import type { AppContext } from '../core/context.ts';
import { insertDemoInvestigations } from '../db/demo/investigations.ts';
import { isBusinessDay } from '../domain/business-days.ts';
import { END_OF_BUSINESS, type Category, type Urgency } from '../domain/investigation.ts';
import { dutyAssignee } from '../services/investigations/duty.ts';

const REQUESTS: {
  requester: string;
  customer: string;
  reference: string | null;
  category: Category;
  question: string;
  urgency: Urgency;
  /** Business days from today to the deadline. */
  due: number;
  takenBy?: string;
}[] = [
  {
    requester: 'U0FIN1',
    customer: 'user_48213（山田様）',
    reference: 'ORD-2024-0412-0031',
    category: 'payment',
    question:
      'クレジットカードで二重に請求されたとのお問い合わせです。決済代行側の記録と注文の状態を確認してください。',
    urgency: 'urgent',
    due: 1,
  },
  {
    requester: 'U0CCC',
    customer: 'user_10977',
    reference: 'RF-88120',
    category: 'refund',
    question: '返金手続きから 10 日経っても口座に入金がないそうです。返金の処理状況を教えてください。',
    urgency: 'normal',
    due: 2,
    takenBy: 'U0DDD',
  },
  {
    requester: 'U0CCC',
    customer: '株式会社さくら商事',
    reference: null,
    category: 'account',
    question: '管理者アカウントのメールアドレスを変更したら、請求書メールが届かなくなったとのことです。',
    urgency: 'normal',
    due: 3,
  },
];

/** The end of business `days` business days after `now`'s date, in `tz`. */
function dueIn(now: Date, tz: string, days: number): Date {
  let day = DateTime.fromJSDate(now, { zone: tz }).startOf('day');
  for (let left = days; left > 0;) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(day.toISODate()!)) left--;
  }
  return day.set(END_OF_BUSINESS).toJSDate();
}

/** Loads the demo requests; returns how many were new. */
export async function loadInvestigationsDemo(
  ctx: Pick<AppContext, 'pool' | 'clock' | 'config'>,
): Promise<number> {
  const at = ctx.clock.now();
  const assignee = (await dutyAssignee(ctx)) ?? null;
  return insertDemoInvestigations(
    ctx.pool,
    REQUESTS.map((r, i) => ({
      requester: r.requester,
      assignee,
      customer: r.customer,
      reference: r.reference,
      category: r.category,
      question: r.question,
      deadline: dueIn(at, ctx.config.timezone, r.due),
      urgency: r.urgency,
      source: null,
      requestKey: `demo:${i + 1}`,
      at,
      ...(r.takenBy ? { takenBy: r.takenBy } : {}),
    })),
  );
}

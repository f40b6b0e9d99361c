// Demo history of investigation requests: about four months of requests before the clock's now, most
// answered (answers and causes in natural Japanese, a few in English), with the questions support
// keeps getting (二重請求, 返金が届かない, 入金予定日, ログインできない) asked several times, a few
// answered late, one still late and open, two waiting for the customer. So `/investigate stats`,
// `search` and the similar answers offered at filing answer something real.
//
// Deterministic: placed relative to the clock (N calendar days before now, at an hour of the day),
// times counted in the business calendar; money questions name an order of the demo ledger placed
// shortly before the request (the same ledger gives the same order). Keyed demo-history:<n>: loading
// twice keeps the rows already there.
import { DateTime } from 'luxon';
import type { AppContext } from '../core/context.ts';
import { demoOrderBefore, insertDemoHistory, type DemoHistoryRow } from '../db/demo/investigations.ts';
import { addBusinessMs, businessDayAfter, closeOfBusiness } from '../domain/business-time.ts';
import type { Category, Urgency } from '../domain/investigation.ts';
import { businessCalendar } from '../services/business-calendar.ts';

const HOUR = 3_600_000;

interface Template {
  /** Calendar days before now, and the hour of that day (business time zone) it was filed. */
  daysAgo: number;
  hour: number;
  requester: string;
  assignee: string;
  customer: string;
  category: Category;
  /** Names a demo ledger order (money categories). */
  order?: boolean;
  question: string;
  urgency?: Urgency;
  /** Business days from filing to the deadline (at the close of business). */
  due: number;
  /**
   * answered: after this many business hours (late when past the deadline); waitedFor: a wait for
   * the customer of this many business hours, starting an hour after filing, before the answer.
   * waiting: waits since an hour after filing. open: taken, not answered.
   */
  outcome:
    | { kind: 'answered'; hours: number; waitedFor?: number; answer: string; cause: string; ticket?: string }
    | { kind: 'waiting' }
    | { kind: 'open' };
}

const DOUBLE_CHARGE_ANSWER =
  'オーソリ（与信枠の確保）が 2 件残っていたためで、実際の売上確定は 1 件だけです。もう 1 件の与信は決済代行会社側で 7 日以内に自動で取り消されます。お客さまにはカード明細の「保留中」は請求ではないとご案内ください。';
const REFUND_ANSWER =
  '返金は当社から決済代行会社へ処理済みです。カード会社での反映に 1〜2 回の締め日をまたぐことがあり、翌月の明細でマイナス計上されます。それでも見当たらない場合はカード会社へお問い合わせいただくようご案内ください。';
const PAYOUT_ANSWER =
  '売上は毎月 15 日締めで当月 20 日、末日締めで翌月 5 日に振り込みます（銀行休業日の場合は翌営業日）。管理画面の「入金予定」に次回の金額と日付が出ています。';
const LOGIN_ANSWER =
  'ログイン試行の失敗が続いたためアカウントが一時ロックされていました。ロックを解除しました。30 分ほど待ってから再設定後のパスワードでログインするようご案内ください。';

const TEMPLATES: Template[] = [
  {
    daysAgo: 118,
    hour: 10,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_20411（佐藤様）',
    category: 'payment',
    order: true,
    question: 'クレジットカードで二重に請求されたとのお問い合わせです。決済の記録を確認してください。',
    due: 2,
    outcome: {
      kind: 'answered',
      hours: 5,
      answer: DOUBLE_CHARGE_ANSWER,
      cause: '決済画面での再送信により与信が 2 回取られた（売上確定は 1 回）',
    },
  },
  {
    daysAgo: 112,
    hour: 14,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_31876',
    category: 'refund',
    order: true,
    question:
      '返金手続きから 1 週間以上経っても返金が届かないとのお問い合わせです。返金の処理状況を教えてください。',
    due: 3,
    outcome: {
      kind: 'answered',
      hours: 7,
      answer: REFUND_ANSWER,
      cause: 'カード会社の締め日の関係で翌月明細での反映になる',
    },
  },
  {
    daysAgo: 105,
    hour: 11,
    requester: 'U0FIN1',
    assignee: 'U0DDD',
    customer: '出品者 S0042（山本商店）',
    category: 'payout',
    question:
      '出品者さまから売上の入金予定日を知りたいとのお問い合わせです。次回の入金予定日を教えてください。',
    due: 2,
    outcome: { kind: 'answered', hours: 2, answer: PAYOUT_ANSWER, cause: '入金サイクルの案内不足' },
  },
  {
    daysAgo: 99,
    hour: 16,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_55120',
    category: 'account',
    question:
      'パスワードを再設定してもログインできないとのお問い合わせです。アカウントの状態を確認してください。',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 3,
      answer: LOGIN_ANSWER,
      cause: 'ログイン失敗の連続によるアカウントの一時ロック',
    },
  },
  {
    daysAgo: 92,
    hour: 10,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: '株式会社みなと物産',
    category: 'bug',
    question: '領収書の PDF をダウンロードすると宛名が文字化けするとのことです。再現するか確認してください。',
    due: 5,
    outcome: {
      kind: 'answered',
      hours: 30,
      answer:
        '宛名に旧字体（髙・﨑など）が含まれると PDF のフォントに字形がなく文字化けしていました。修正を本日リリースしました。再ダウンロードで正しく表示されます。',
      cause: 'PDF 生成に使うフォントに JIS 第 3・第 4 水準の字形が含まれていなかった',
      ticket: 'BILL-2193',
    },
  },
  {
    daysAgo: 85,
    hour: 13,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_20877（高橋様）',
    category: 'payment',
    order: true,
    question:
      'クレジットカードで二重に請求されているとのお問い合わせです。注文と決済の記録を確認してください。',
    urgency: 'urgent',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 20,
      answer: DOUBLE_CHARGE_ANSWER,
      cause: '決済画面での再送信により与信が 2 回取られた（売上確定は 1 回）',
    },
  },
  {
    daysAgo: 78,
    hour: 15,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_70233',
    category: 'refund',
    order: true,
    question:
      'Customer says the refund has not arrived two weeks after cancellation. Can you check the refund status?',
    due: 3,
    outcome: {
      kind: 'answered',
      hours: 6,
      waitedFor: 9,
      answer:
        'The refund was sent to the payment provider the day the order was cancelled. Card issuers show it on the next statement; please ask the customer to check it, or their card issuer if it is missing.',
      cause: 'Refund shown on the following card statement (issuer cut-off date)',
    },
  },
  {
    daysAgo: 71,
    hour: 10,
    requester: 'U0FIN1',
    assignee: 'U0EEE',
    customer: '出品者 S0107（こもれび雑貨）',
    category: 'payout',
    question: '出品者さまから次回の入金予定日はいつかとのお問い合わせです。入金予定日を教えてください。',
    due: 2,
    outcome: { kind: 'answered', hours: 1, answer: PAYOUT_ANSWER, cause: '入金サイクルの案内不足' },
  },
  {
    daysAgo: 64,
    hour: 17,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_81502',
    category: 'account',
    question: 'パスワードを再設定したのにログインできないとのことです。アカウントの状態を確認してください。',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 14,
      answer: LOGIN_ANSWER,
      cause: 'ログイン失敗の連続によるアカウントの一時ロック',
    },
  },
  {
    daysAgo: 57,
    hour: 11,
    requester: 'U0FIN1',
    assignee: 'U0EEE',
    customer: '株式会社さくら商事',
    category: 'other',
    question:
      '請求書に適格請求書発行事業者の登録番号が載っていないとのご指摘です。記載の条件を教えてください。',
    due: 3,
    outcome: {
      kind: 'answered',
      hours: 4,
      answer:
        '登録番号は 2023 年 10 月 1 日以降の取引の請求書に記載されます。それより前の取引の請求書には載りません。該当の請求書は 9 月分のため記載がないのが正しい状態です。',
      cause: '制度開始前の取引の請求書',
    },
  },
  {
    daysAgo: 50,
    hour: 14,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_12994（伊藤様）',
    category: 'refund',
    order: true,
    question: '返金手続きから 10 日経っても返金が届かないとのことです。返金の処理状況を教えてください。',
    due: 2,
    outcome: {
      kind: 'answered',
      hours: 25,
      answer: REFUND_ANSWER,
      cause: 'カード会社の締め日の関係で翌月明細での反映になる',
    },
  },
  {
    daysAgo: 43,
    hour: 10,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_40318',
    category: 'payment',
    order: true,
    question: 'カードの二重請求についてお客さまから連絡がありました。決済の記録を確認してください。',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 3,
      answer: DOUBLE_CHARGE_ANSWER,
      cause: '決済画面での再送信により与信が 2 回取られた（売上確定は 1 回）',
    },
  },
  {
    daysAgo: 36,
    hour: 15,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_66021',
    category: 'bug',
    question: '購入履歴の CSV をダウンロードすると注文日が 1 日ずれているとのことです。',
    due: 3,
    outcome: {
      kind: 'answered',
      hours: 9,
      answer:
        'CSV の注文日が UTC で出力されていたため、午前 9 時より前の注文が前日の日付になっていました。日本時間で出力するよう修正しました。',
      cause: 'CSV 出力のタイムゾーン指定漏れ',
      ticket: 'SHOP-877',
    },
  },
  {
    daysAgo: 29,
    hour: 11,
    requester: 'U0FIN1',
    assignee: 'U0EEE',
    customer: '出品者 S0231（ひだまり工房）',
    category: 'payout',
    question:
      '売上の入金予定日を教えてほしいと出品者さまから問い合わせがありました。入金予定日を教えてください。',
    due: 2,
    outcome: { kind: 'answered', hours: 2, answer: PAYOUT_ANSWER, cause: '入金サイクルの案内不足' },
  },
  {
    daysAgo: 22,
    hour: 13,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_93310',
    category: 'account',
    question: 'Customer cannot log in even after resetting the password. Please check the account status.',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 2,
      answer:
        'The account was locked after repeated failed logins. We unlocked it; the customer can log in with the new password after about 30 minutes.',
      cause: 'Temporary lock after repeated failed logins',
    },
  },
  {
    daysAgo: 18,
    hour: 10,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_20411（佐藤様）',
    category: 'payment',
    order: true,
    question: 'クレジットカードの請求が二重になっているとのお問い合わせです。決済の記録を確認してください。',
    due: 2,
    outcome: {
      kind: 'answered',
      hours: 4,
      answer: DOUBLE_CHARGE_ANSWER,
      cause: '決済画面での再送信により与信が 2 回取られた（売上確定は 1 回）',
    },
  },
  {
    daysAgo: 14,
    hour: 16,
    requester: 'U0CCC',
    assignee: 'U0DDD',
    customer: 'user_45871',
    category: 'refund',
    order: true,
    question: '返金が届かないとのお問い合わせです。返金の処理状況を教えてください。',
    due: 2,
    outcome: { kind: 'waiting' },
  },
  {
    daysAgo: 11,
    hour: 10,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_30092',
    category: 'payment',
    order: true,
    question: 'コンビニ払いの支払期限が切れた注文を支払いたいとのことです。再発行できるか確認してください。',
    due: 1,
    outcome: { kind: 'open' },
  },
  {
    daysAgo: 8,
    hour: 14,
    requester: 'U0FIN1',
    assignee: 'U0DDD',
    customer: '出品者 S0042（山本商店）',
    category: 'payout',
    question:
      '振込先口座を変更したのに、前の口座に入金されたとのことです。変更が反映された日を確認してください。',
    urgency: 'urgent',
    due: 1,
    outcome: { kind: 'waiting' },
  },
  {
    daysAgo: 6,
    hour: 11,
    requester: 'U0CCC',
    assignee: 'U0EEE',
    customer: 'user_77004',
    category: 'account',
    question: 'パスワードを再設定してもログインできないそうです。アカウントの状態を確認してください。',
    due: 1,
    outcome: {
      kind: 'answered',
      hours: 1,
      answer: LOGIN_ANSWER,
      cause: 'ログイン失敗の連続によるアカウントの一時ロック',
    },
  },
];

/** Loads the demo history; returns how many requests were new. */
export async function loadInvestigationHistoryDemo(
  ctx: Pick<AppContext, 'pool' | 'ledgerPool' | 'clock' | 'config'>,
): Promise<number> {
  const cal = businessCalendar(ctx);
  const now = ctx.clock.now();
  const rows: DemoHistoryRow[] = [];
  for (const [i, tp] of TEMPLATES.entries()) {
    const at = DateTime.fromJSDate(now, { zone: cal.zone })
      .minus({ days: tp.daysAgo })
      .set({ hour: tp.hour, minute: 7 * (i % 8), second: 0, millisecond: 0 })
      .toJSDate();
    const deadline = closeOfBusiness(businessDayAfter(at, tp.due, cal), cal);
    const taken = new Date(at.getTime() + HOUR / 2);
    const reference = tp.order ? ((await demoOrderBefore(ctx.ledgerPool, at, i)) ?? null) : null;
    const events: DemoHistoryRow['events'] = [
      { at: taken, actor: tp.assignee, what: 'taken', detail: { from: tp.assignee } },
    ];
    const row: DemoHistoryRow = {
      requestKey: `demo-history:${i + 1}`,
      requester: tp.requester,
      assignee: tp.assignee,
      customer: tp.customer,
      reference,
      category: tp.category,
      question: tp.question,
      deadline,
      urgency: tp.urgency ?? 'normal',
      at,
      status: 'taken',
      waitingSince: null,
      waitedMs: 0,
      answer: null,
      cause: null,
      ticket: null,
      resolvedAt: null,
      resolvedBy: null,
      events,
    };
    const o = tp.outcome;
    if (o.kind === 'waiting') {
      row.status = 'waiting';
      row.waitingSince = addBusinessMs(at, HOUR, cal);
      events.push({ at: row.waitingSince, actor: tp.assignee, what: 'waiting', detail: {} });
    } else if (o.kind === 'answered') {
      let waited = 0;
      if (o.waitedFor) {
        const from = addBusinessMs(at, HOUR, cal);
        const to = addBusinessMs(from, o.waitedFor * HOUR, cal);
        waited = to.getTime() - from.getTime();
        events.push(
          { at: from, actor: tp.assignee, what: 'waiting', detail: {} },
          { at: to, actor: tp.assignee, what: 'resumed', detail: {} },
        );
      }
      const resolvedAt = addBusinessMs(at, (o.hours + (o.waitedFor ?? 0)) * HOUR, cal);
      Object.assign(row, {
        status: 'resolved',
        waitedMs: waited,
        answer: o.answer,
        cause: o.cause,
        ticket: o.ticket ?? null,
        resolvedAt,
        resolvedBy: tp.assignee,
      });
      events.push({ at: resolvedAt, actor: tp.assignee, what: 'resolved', detail: {} });
    }
    rows.push(row);
  }
  return insertDemoHistory(ctx.pool, rows);
}

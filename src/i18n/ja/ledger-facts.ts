// 調査依頼の台帳情報: 依頼時のスレッド返信、「金額を表示」、参照番号の確認。
export const ledgerFacts: Record<string, string> = {
  'investigation.error.reference_unknown':
    '台帳に「{value}」という注文・取引・支払はありません。注文番号（ORD-…）、決済の取引 ID（ch_…, re_…）または支払 ID（PO-…）を入れてください（お客さま向けの番号ではなく）。',
  'investigation.facts.title': '*{reference} について台帳にあること*',
  'investigation.facts.summary': '仕訳 {entries} 件、決済代行の記録 {gateway} 件',
  'investigation.facts.payout.paid': '出品者への支払: {date} に支払済み（{id}）',
  'investigation.facts.payout.paid_amount':
    '出品者への支払: {date} に支払済み（{id}、出品者への支払総額 {amount}）',
  'investigation.facts.payout.due': '出品者への支払: 未払い（次回の支払で支払予定）',
  'investigation.facts.payout.not_due': '出品者への支払: 支払対象外（未完了・キャンセル・返金）',
  'investigation.facts.payout.none': '出品者への支払: なし（注文でも支払でもありません）',
  'investigation.facts.no_differences': '台帳と決済代行の記録は一致しています。',
  'investigation.facts.differences': '台帳と決済代行の記録に差異が {count} 件あります',
  'investigation.facts.nothing': '台帳に {reference} の記録はありません。',
  'investigation.facts.unavailable':
    '台帳が時間内に応答しなかったため、{reference} の台帳情報はここに出ていません。経理チームは {command} で確認できます。',
  'investigation.facts.who': '金額を見られるのは経理チーム（permissions.finance）だけです: {who}',
  'investigation.facts.button': '金額を表示',
  'investigation.facts.shown': '{id}（{reference}）の台帳情報（あなたにだけ表示しています）',
  'investigation.facts.refused':
    '申し訳ありません。{reference} の金額は経理チーム（permissions.finance）だけが見られます: {who}。このうちの誰かに聞いてください。',
  'investigation.facts.unknown': '{id} には調べる参照番号がありません（または削除されています）。',
};

// /ledger（財務: 元帳）の文言。
export const ledger: Record<string, string> = {
  'ledger.help':
    '`/ledger balance <勘定科目> [<日付>]` 勘定科目の残高（コードか名前: 売掛金, 1130, Accounts receivable）\n' +
    '`/ledger entries <参照番号>` 注文・決済・出金の番号ごとの仕訳\n' +
    '`/ledger trial <YYYY-MM>` 月の試算表（前月繰越・借方・貸方・残高）。日付を渡すとその日までの月初来\n' +
    '`/ledger account <勘定科目> <開始日> <終了日>` 元帳: 勘定の明細と残高の推移（長いときは CSV ファイル。`journal` でも可）\n' +
    '`/ledger reconcile <YYYY-MM>` 決済代行の記録との照合と差異\n' +
    '`/ledger close <YYYY-MM>` 月次決算のチェック（項目ごとに OK / NG と根拠）\n' +
    '日付: 2024-03-31, 2024/3/31, today, yesterday, last-month-end　月: 2024-03, 2024/3, this-month, last-month',
  'ledger.usage.missing': 'サブコマンドを指定してください。',
  'ledger.usage.unknown_subcommand': '`{sub}` というサブコマンドはありません。',
  'ledger.usage.balance': '勘定科目を指定してください。例: `/ledger balance 売掛金 2024-03-31`',
  'ledger.usage.entries': '参照番号を 1 つ指定してください。例: `/ledger entries ORD-00000123`',
  'ledger.usage.trial': '月を 1 つ指定してください。例: `/ledger trial 2024-03`',
  'ledger.usage.account':
    '勘定科目と期間を指定してください。例: `/ledger account 前受金 2024-03-01 2024-03-31`',
  'ledger.usage.reconcile': '月を 1 つ指定してください。例: `/ledger reconcile 2024-03`',
  'ledger.usage.close': '月を 1 つ指定してください。例: `/ledger close 2024-03`',
  'ledger.usage.range_order': '開始日 {from} が終了日 {to} より後になっています。',
  'ledger.unknown_account': '勘定科目 `{account}` が見つかりません。勘定科目: {known}',
  'ledger.ambiguous_account':
    '`{account}` に当てはまる勘定科目が複数あります: {candidates}。コードで指定してください。',
  'ledger.missing_role': '勘定科目表に役割 `{role}` の勘定がありません（ledger.accounts.role）。',

  'ledger.side.debit': '借方',
  'ledger.side.credit': '貸方',
  'ledger.type.asset': '資産',
  'ledger.type.liability': '負債',
  'ledger.type.equity': '純資産',
  'ledger.type.revenue': '収益',
  'ledger.type.expense': '費用',
  'ledger.kind.purchase': '購入',
  'ledger.kind.capture': '決済確定',
  'ledger.kind.completion': '取引完了',
  'ledger.kind.cancellation': 'キャンセル',
  'ledger.kind.refund': '返金',
  'ledger.kind.payout': '出金',
  'ledger.kind.deposit': '入金',
  'ledger.kind.capital': '資本金',
  'ledger.kind.adjustment': '調整',
  'ledger.kind.opening': '期首残高',
  'ledger.gateway.charge': '決済',
  'ledger.gateway.refund': '返金',
  'ledger.gateway.deposit': '入金',

  'ledger.balance.title': '{account} の残高（{date} 終了時点）',
  'ledger.balance.amount': '*{amount}*（{side}残高）',
  'ledger.balance.detail': '借方合計 {debit}　貸方合計 {credit}　明細 {lines} 行',

  'ledger.trial.title': '試算表 {month}（{from} 〜 {through}）',
  'ledger.trial.code': 'コード',
  'ledger.trial.account': '勘定科目',
  'ledger.trial.opening': '前月繰越',
  'ledger.trial.debit': '借方',
  'ledger.trial.credit': '貸方',
  'ledger.trial.closing': '残高',
  'ledger.trial.total': '合計',
  'ledger.trial.empty': 'この期間の残高・取引はありません。',
  'ledger.trial.note': '残高は借方 − 貸方（貸方残はマイナス）。借方合計 {debit} = 貸方合計 {credit}',
  'ledger.trial.unbalanced': '⚠️ 借方合計 {debit} と貸方合計 {credit} が一致しません。',
  'ledger.trial.file_title': '試算表 {month}',

  'ledger.entries.title': '`{reference}` の仕訳 {count} 件',
  'ledger.entries.none': '`{reference}` の仕訳はありません。',
  'ledger.entries.entry': '*#{id}* {date} {kind}',
  'ledger.entries.reverses': '（#{id} の取消）',
  'ledger.entries.gateway_title': '決済代行の記録',
  'ledger.entries.gateway_line': '{date} {kind} `{id}` {amount}',
  'ledger.entries.gateway_fee': '（手数料 {fee}）',
  'ledger.entries.truncated': '仕訳が多いため最初の部分だけを表示しています。',
  'ledger.entries.file': '全明細は CSV ファイルで添付しました。',
  'ledger.entries.file_title': '{reference} の仕訳',

  'ledger.account.title': '{account} の元帳 {from} 〜 {to}',
  'ledger.account.summary': '前残 {opening}　借方 {debit}　貸方 {credit}　残高 {closing}（{count} 行）',
  'ledger.account.none': 'この期間の明細はありません。',
  'ledger.account.file': '{count} 行の明細は CSV ファイルで添付しました。',
  'ledger.account.too_many':
    '明細が {count} 行あり、一度に出せる {limit} 行を超えています。期間を絞ってください（合計は上のとおりです）。',
  'ledger.account.file_title': '{account} の元帳 {from} 〜 {to}',

  'ledger.reconcile.title': '決済代行との照合 {month}',
  'ledger.reconcile.summary': '一致 {matched} 件　差異 {count} 件（差額の絶対値合計 {total}）',
  'ledger.reconcile.clean': '差異はありません。',
  'ledger.reconcile.line':
    '{kind} `{reference}`: {problem}　元帳 {ledger} / 決済代行 {gateway}（差 {difference}）',
  'ledger.reconcile.more': 'ほか {count} 件は CSV ファイルをご覧ください。',
  'ledger.reconcile.file_title': '照合差異 {month}',
  'ledger.problem.missing_in_ledger': '元帳に計上なし',
  'ledger.problem.missing_in_gateway': '決済代行に記録なし',
  'ledger.problem.amount': '金額の相違',
  'ledger.problem.fee': '手数料の相違',

  'ledger.close.title': '月次決算チェック {month}',
  'ledger.close.pass': '✅ すべてのチェックを通過しました。',
  'ledger.close.fail': '❌ 通過しなかったチェックがあります。',
  'ledger.close.status.pass': '✅ OK',
  'ledger.close.status.fail': '❌ NG',
  'ledger.close.status.skipped': '⏭ スキップ',
  'ledger.close.check.balanced': '全仕訳の貸借一致: {entries} 件中 不一致 {unbalanced} 件',
  'ledger.close.check.receivable':
    '売掛金 = 未回収の注文: 元帳 {ledger} / 注文 {subledger}（{open_items} 件）差額 {difference}',
  'ledger.close.check.advance':
    '前受金 = 未引渡しの注文: 元帳 {ledger} / 注文 {subledger}（{open_items} 件）差額 {difference}',
  'ledger.close.check.gateway':
    '決済代行との照合: 一致 {matched} 件、差異 {differences} 件（差額合計 {total}）',
  'ledger.close.check.suspense': '仮勘定の残高ゼロ: 残高のある勘定 {accounts}（合計 {total}）',
  'ledger.close.check.investigations':
    '当月のお金に関する調査依頼（決済・支払・返金）がすべて解決済み: 未解決 {open} 件（{ids}）',
  'ledger.close.check.drift': '残高集計と明細の一致: {compared} 行を比較、相違 {mismatches} 行',
  'ledger.close.file_title': '月次決算チェック {month} の照合差異',

  'ledger.csv.date': '計上日',
  'ledger.csv.entry': '仕訳番号',
  'ledger.csv.kind': '種別',
  'ledger.csv.reference': '参照番号',
  'ledger.csv.memo': '摘要',
  'ledger.csv.code': '勘定コード',
  'ledger.csv.account': '勘定科目',
  'ledger.csv.debit': '借方',
  'ledger.csv.credit': '貸方',
  'ledger.csv.balance': '残高',
  'ledger.csv.opening': '前月繰越',
  'ledger.csv.closing': '残高',
  'ledger.csv.problem': '差異',
  'ledger.csv.ledger_amount': '元帳金額',
  'ledger.csv.ledger_fee': '元帳手数料',
  'ledger.csv.gateway_amount': '決済代行金額',
  'ledger.csv.gateway_fee': '決済代行手数料',
  'ledger.csv.difference': '差額',
  'ledger.csv.line': '行',
};

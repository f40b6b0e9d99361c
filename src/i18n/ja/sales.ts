// /sales: 売上予実（予測と実績）の文言。
export const sales: Record<string, string> = {
  'sales.help':
    '`/sales month <YYYY-MM> [by project|customer|department]` その月の予測と実績（既定は部門別）\n`/sales forecast <YYYY-MM> <YYYY-MM>` 月ごとの予実（差異とグラフ、最大 24 か月）\n月は 2024-03, 2024/3, this-month, last-month のように書けます。',
  'sales.usage.missing_subcommand': '`month` か `forecast` を指定してください。',
  'sales.usage.bad_subcommand':
    '`{value}` というサブコマンドはありません。`month` か `forecast` を指定してください。',
  'sales.usage.missing_month': '月を指定してください。例: 2024-03, 2024/3, this-month, last-month',
  'sales.usage.bad_month': '月 `{value}` を読めません。例: 2024-03, 2024/3, this-month, last-month',
  'sales.usage.bad_group': '`{value}` では集計できません。`by {groups}` のいずれかを指定してください。',
  'sales.usage.extra': '余分な指定があります: `{value}`',
  'sales.usage.range_order': '終了月 {to} が開始月 {from} より前です。',
  'sales.usage.range_too_long':
    '{from} から {to} は {months} か月です。一度に指定できるのは {max} か月までです。',
  'sales.error.timeout':
    '売上データが時間内に返りませんでした（{seconds} 秒で打ち切り）。しばらくしてからもう一度お試しください。',
  'sales.error.unavailable':
    '売上サービスから回答を得られませんでした（HTTP {status}）。しばらくしてからもう一度お試しください。',

  'sales.group.project': 'プロジェクト別',
  'sales.group.customer': '顧客別',
  'sales.group.department': '部門別',
  'sales.month.title': '{month} の売上予実（{group}）',
  'sales.forecast.title': '売上予実 {from} 〜 {to}',
  'sales.month.empty': '{month} の売上データはありません。',
  'sales.line': '*{name}*　予測 {forecast}　実績 {actual}　差異 {diff}（{pct}）',
  'sales.line.partial':
    '*{name}*　予測 {forecast}　実績 {actual}　差異 {diff}（{pct}、実績のある分の予測 {base} との比較）',
  'sales.line.no_actual': '*{name}*　予測 {forecast}　実績 未計上',
  'sales.total': '合計',
  'sales.pct.none': '予測なし',
  'sales.more': 'ほか {count} 行は添付の CSV ファイルにあります。',
  'sales.footer': '差異 = 実績 − 予測（% は予測比）。出典: {source}',
  'sales.source.database': 'データベース（sales スキーマ）',
  'sales.source.api': '売上サービス API',
  'sales.file.csv': '売上予実 {range}（CSV）',
  'sales.file.chart': '売上予実グラフ {range}',

  'sales.csv.month': '月',
  'sales.csv.id': 'ID',
  'sales.csv.name': '名称',
  'sales.csv.forecast': '予測（円）',
  'sales.csv.actual': '実績（円）',
  'sales.csv.diff': '差異（円）',
  'sales.csv.pct': '差異率（%）',
};

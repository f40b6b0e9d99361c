// コマンド以外のハンドラー（handlers/）の文言: App Home、イベント、ショートカット、モーダル、Slack への応答。
export const handlers: Record<string, string> = {
  'handler.unknown_shortcut':
    'toban はショートカット `{what}` を知りません（新しい版のものかもしれません）。',
  'handler.shortcut_is_message':
    '「{name}」はメッセージのショートカットです。メッセージのメニュー（︙ の「その他のメッセージショートカット」）から使ってください。',
  'handler.shortcut_is_global':
    '「{name}」はグローバルショートカットです。メッセージのメニューではなく、メッセージ入力欄の ＋（ショートカット）から使ってください。',
  'handler.view_not_opened':
    'フォームを開けませんでした（{reason}）。Slack はこの操作に 3 秒しか待ちません。もう一度お試しください。',
  'handler.command_opens_form':
    'このコマンドはフォーム「{title}」を開きます。Slack かコンソールで使ってください。',
  'home.none': 'まだ表示するものはありません。',
  'home.title': 'toban — 当番',
  'home.your_shifts': '*あなたのこの先のシフト*',
  'home.no_shifts': 'この先のシフトはありません。',
  'home.shift': '{from} 〜 {to}　*{rotation}*',
  'home.on_duty_now': '*今の当番*',
  'home.rotation_now': '*{rotation}*: <@{user}>（{until} まで）',
  'home.rotation_nobody': '*{rotation}*: なし',
  'home.no_rotations': 'ローテーションが設定されていません（toban.yml の rotations）。',
  'mention.on_duty': '今の当番:\n{lines}',
  'mention.no_rotations': 'ローテーションが設定されていないため、当番はいません。',
  'joined.alerts':
    'ようこそ、<@{user}> さん。このチャンネルには監視アラートが届きます。ボタンで確認（ack）してください。`/oncall` で今の当番がわかります。',
  'joined.investigations':
    'ようこそ、<@{user}> さん。サポートからの調査依頼はここに届きます（ショートカット「Request investigation」）。作業はスレッドで進めます。`/oncall` で調査当番がわかります。',
  'joined.incidents':
    'ようこそ、<@{user}> さん。インシデントはここで宣言し、対応します。`/oncall` で今の当番がわかります。',
  'joined.finance':
    'ようこそ、<@{user}> さん。経理の問い合わせはここで: `/ledger help` と `/sales help`（経理メンバーのみ）。',
  'outbox.home_published': '[{user} の App Home]',
  'outbox.view_updated': '[フォーム {view} を更新]',
};

// コンソールモードのシェル: その動詞、モーダルのフォーム、メッセージとリアクションについての表示。
// （コンソールで outbox が表示する行、console.posted などは core.ts にあります。）
export const consoleShell: Record<string, string> = {
  'console.help':
    'コンソールでできること:\n' +
    '`/<コマンド> …`  スラッシュコマンド（使い方は `/<コマンド> help`）\n' +
    '`press <n>`  ボタン [n] を押す\n' +
    '`shortcut <名前>`  グローバルショートカットを実行\n' +
    '`shortcut <名前> on <n>`  メッセージ #n にメッセージショートカットを実行\n' +
    '`react <絵文字> <n>`、`unreact <絵文字> <n>`  メッセージ #n にリアクションを付ける・外す\n' +
    '`home`  App ホームを表示\n' +
    '`fire <ソース> [フィクスチャ]`  アラートのフィクスチャを HTTP インテークに送る\n' +
    '`as <ユーザー ID>`  別の人として操作（今は {user}）\n' +
    '`help`  この一覧\n' +
    'フォームでは: 空行で [ ] 内の値のまま、`-` で任意項目を空に、`cancel` でフォームを閉じます。',
  'console.help.commands': 'スラッシュコマンド: {commands}',
  'console.help.shortcuts': 'ショートカット:',
  'console.help.no_shortcuts': 'ショートカット: まだありません。',
  'console.help.shortcut': '  {name}（`{id}`、{type}）',
  'console.help.global': 'グローバル',
  'console.help.message': 'メッセージに対して',
  'console.unknown_verb': 'コンソールは `{verb}` を知りません。`help` で一覧を表示します。',
  'console.no_message': 'メッセージ #{n} はありません。',
  'console.usage.shortcut':
    'ショートカットの名前を指定してください: `shortcut <名前>`、メッセージ #n には `shortcut <名前> on <n>`。',
  'console.usage.react': '絵文字とメッセージ番号を指定してください。例: `{verb} eyes 3`',
  'console.unknown_shortcut': 'ショートカット `{name}` はありません。`help` で一覧を表示します。',
  'console.shortcut_needs_message':
    '`{name}` はメッセージショートカットです: `shortcut {name} on <n>` としてください。',
  'console.shortcut_is_global':
    '`{name}` はグローバルショートカットです: `on` を付けずに `shortcut {name}` としてください。',
  'console.run.shortcut_is_message':
    '`{id}` はメッセージショートカットで、対象のメッセージが要るため `toban run` では実行できません。コンソール（`toban`）でメッセージを表示してから `shortcut {id} on <n>`（n はメッセージの番号）と入力してください。',
  'console.reacted': '[#{n} に :{emoji}: を付けました]',
  'console.unreacted': '[#{n} から :{emoji}: を外しました]',
  'console.home': '[{user} の App ホーム]',
  'console.form.start': '項目を順に入力してください。`cancel` でフォームを閉じます。',
  'console.form.optional': '（任意）',
  'console.form.date': '日付 YYYY-MM-DD',
  'console.form.user': '人: U… または @名前',
  'console.form.required': 'この項目は必須です。',
  'console.form.bad_choice': '1〜{max} の番号か、選択肢の値で選んでください。',
  'console.form.bad_date': '日付は YYYY-MM-DD で入力してください。例: 2024-03-31',
  'console.form.bad_user': '`{value}` という人はいません。U… か @名前 で入力してください。',
  'console.form.too_long': '{max} 文字までです（{length} 文字あります）。',
  'console.form.error': '! {label}: {error}',
  'console.form.cancelled': '[{title}: キャンセルしました]',
  'console.form.sent': '[{title}: 送信しました]',
};

// 共通の文言: エラー、権限、ヘルプ、コンソール、/oncall。
export const core: Record<string, string> = {
  'error.unknown_command': '`{command}` というコマンドはありません。使えるコマンド: {commands}',
  'error.usage': '使い方が違います: {detail}',
  'error.internal': '処理中にエラーが発生しました（{code}）。しばらくしてからもう一度お試しください。',
  'error.timeout':
    '時間内に答えられませんでした（{seconds} 秒で打ち切り）。条件を絞ってもう一度お試しください。',
  'error.bad_date':
    '日付 `{value}` を読めません。例: 2024-03-31, 2024/3/31, today, yesterday, last-month-end',
  'error.bad_month': '月 `{value}` を読めません。例: 2024-03, 2024/3, this-month, last-month',
  'permission.finance_only':
    '申し訳ありません、`{command}` は経理チーム（permissions.finance）のメンバーだけが使えます。必要な場合は管理者にご相談ください。',
  'permission.unavailable':
    '`{command}` を使ってよいか確認できませんでした（Slack のユーザーディレクトリが応答しません: {reason}）。しばらくしてからもう一度お試しください。',
  'permission.admin_only': '申し訳ありません、この操作は管理者（permissions.admins）だけができます。',
  'reply.shortened': '…（長いため省略しました。全文は添付のファイルにあります）',
  'reply.file_title': '返答の全文',
  'help.title': '`{command}` の使い方',
  'help.footer': '`{command} help` でいつでもこの説明を表示します。',

  'oncall.help':
    '`/oncall` 今の当番と次の交代\n`/oncall <rotation>` 今の当番とこの先のシフト\n`/oncall override <rotation> @user <from> <to>` 交代を登録\n`/oncall cover <rotation> <from> <to>` 代打を募集\n（時刻は業務のタイムゾーンで `YYYY-MM-DD HH:MM` か `MM-DD HH:MM`。開始は `now` も可）\n`/oncall report <YYYY-MM> [rotation]` 当番時間の集計\n`/oncall calendar [rotation]` カレンダーフィードの URL（iCal）',
  'oncall.title': '今の当番',
  'oncall.now': '*{rotation}*: <@{user}> （{until} まで）',
  'oncall.next': '次の交代: {at} に <@{user}>',
  'oncall.none': '当番表が設定されていません（toban.yml の rotations）。',
  'oncall.unknown_rotation': '当番表 `{rotation}` はありません。あるもの: {known}',
  'oncall.ambiguous_rotation':
    '`{rotation}` に当たる当番表が複数あります: {candidates}。id か表示名を正確に書いてください。',
  'oncall.upcoming_title': '*{rotation}* のこの先のシフト',
  'oncall.shift': '{from} 〜 {to}　<@{user}>',
  'oncall.details_button': '詳細',

  'console.ready':
    'toban コンソール（{user} として入力します）。`/oncall` のようにスラッシュコマンドを入力してください。ボタンは `press N`。終了は Ctrl-D。',
  'console.webhook_token': 'アラート受信用トークン（このセッション限り）: {token}',
  'console.listening': 'HTTP: http://{host}:{port}',
  'console.posted': '[{channel} への投稿]',
  'console.updated': '[{channel} のメッセージ更新]',
  'console.ephemeral': '[{user} だけに表示]',
  'console.dm': '[{user} への DM]',
  'console.no_button': 'ボタン {n} はありません。',
  'console.drain_timeout':
    '! 終了します：{seconds} 秒たっても終わらなかったコマンド {count} 件を止めました。返答は表示されません。もう一度実行してください。',
  'console.file': '[ファイル {name} を保存: {path}]',
  'console.usergroup': '[ユーザーグループ {group} を更新: {users}]',
  'slack.unavailable':
    'toban は今コマンドを受け付けられません（データベースが応答していません）。何も実行していません。数分後にもう一度お試しください。',
  'slack.gave_up.expired':
    '`{what}` に時間内に応答できませんでした（toban の再起動中または混雑のため）。Slack がこの応答を受け付けなくなったので、もう一度実行してください。',
  'slack.gave_up.failed':
    '`{what}` に応答できませんでした（何度か失敗しました）。もう一度実行してください。再び失敗するときは toban の管理者に連絡してください。',
  'slack.gave_up.button': 'ボタン操作',
};

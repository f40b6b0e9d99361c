// 当番表: 交代の登録、代打の募集、対応時間、App Home の交代。
export const rotations: Record<string, string> = {
  'rotations.override_usage':
    '`/oncall override <rotation> @user <from> <to>` の形で入力してください。時刻は `YYYY-MM-DD HH:MM` か `MM-DD HH:MM`（開始は `now` も可）。',
  'rotations.cover_usage':
    '`/oncall cover <rotation> <from> <to>` の形で入力してください。時刻は `YYYY-MM-DD HH:MM` か `MM-DD HH:MM`（開始は `now` も可）。',
  'rotations.bad_time':
    '`{text}` は時刻として読めません。`YYYY-MM-DD HH:MM` か `MM-DD HH:MM`（{zone}）で入力してください。',
  'rotations.not_allowed':
    '*{rotation}* の当番を変えられるのは、そのメンバーと管理者だけです。何も変更していません。',
  'rotations.unknown_user': '<@{user}> はこのワークスペースのユーザーではありません。何も変更していません。',
  'rotations.user_check_failed':
    '<@{user}> を Slack で確認できませんでした。何も変更していません。もう一度お試しください。',
  'rotations.empty_period': '終了は開始より後にしてください（{from} 〜 {to}）。何も変更していません。',
  'rotations.past_period':
    '開始が過去です（{from}）。変更できるのはこれからの時間だけです。何も変更していません。',
  'rotations.overlap':
    '*{rotation}* の登録済みの交代と重なります: <@{user}> {from} 〜 {to}。何も変更していません。',
  'rotations.override_set': '交代を登録しました: {from} 〜 {to} の *{rotation}* は <@{user}> です。',
  'rotations.override_set_before': '登録済みです: {from} 〜 {to} の *{rotation}* は <@{user}> です。',
  'rotations.override_mark': '（<@{user}> と交代）',
  'rotations.cover_mark': '（<@{user}> の代打）',
  'rotations.cover_posted': '<#{channel}> で代打を募集しました: *{rotation}* {from} 〜 {to}',
  'rotations.cover_post':
    ':raising_hand: <@{requester}> さんが *{rotation}* の代打を募集しています: {from} 〜 {to}',
  'rotations.cover_accept_button': '引き受ける',
  'rotations.cover_accepted_post':
    ':white_check_mark: <@{user}> さんが <@{requester}> さんの代打で *{rotation}* を担当します: {from} 〜 {to}',
  'rotations.cover_accepted_dm': '<@{user}> さんが代打を引き受けました: *{rotation}* {from} 〜 {to}',
  'rotations.cover_accepted_reply': '*{rotation}* の代打を引き受けました: {from} 〜 {to}',
  'rotations.cover_own': 'ご自身の代打募集です。ほかの人が引き受ける必要があります。',
  'rotations.cover_taken': 'この代打は <@{user}> さんがすでに引き受けています。',
  'rotations.cover_gone': 'この代打募集は見つかりません。',
  'rotations.cover_over': 'この代打募集の期間は終わっています。',
  'rotations.off_hours': '*{rotation}*: 対応時間外（{at} から対応）',
  'rotations.business_hours': '対応は {from}〜{to} のみです。時間外は当番なしです。',
  'rotations.home_your_overrides': '*あなたの交代*',
  'rotations.home_no_overrides': '登録された交代はありません。',
  'rotations.home_override': '{from} 〜 {to}　*{rotation}*: <@{user}>',
  'rotations.report_usage':
    '`/oncall report <YYYY-MM> [rotation]` の形で入力してください（例: `/oncall report 2026-11`、`/oncall report 2026-11 primary`）。',
  'rotations.report_title': '当番時間 {month}',
  'rotations.report_rotation': '*{rotation}*（{zone}）当番のいる時間 {covered} 時間',
  'rotations.report_line': '{who}: {hours} 時間（うち深夜 {night} 時間、土日祝 {offDay} 時間）',
  'rotations.report_total': '合計',
  'rotations.report_nobody': 'この月に当番はいませんでした。',
  'rotations.report_note':
    '過去はシフト履歴、これからは予定から集計（交代を含む）。深夜は 22:00〜05:00、土日祝は土曜・日曜・祝日・休業日で、どちらも当番表のタイムゾーンの時刻、時間の内数です。',
  'rotations.report_csv_title': '当番時間 {month}（CSV）',
  'rotations.report_chart_title': '当番時間 {month}: {rotation}',
  'rotations.report_csv.rotation': '当番表',
  'rotations.report_csv.user': 'ユーザー ID',
  'rotations.report_csv.name': '名前',
  'rotations.report_csv.hours': '時間',
  'rotations.report_csv.night': '深夜時間（22:00-05:00）',
  'rotations.report_csv.off_day': '土日祝の時間',
  'rotations.feed_link': '*{rotation}* のカレンダーフィード:',
  'rotations.feed_link_mine': 'あなたのシフト（全当番表）のカレンダーフィード:',
  'rotations.feed_no_public_url':
    '（TOBAN_PUBLIC_URL が未設定のためパスだけです。先頭に toban のアドレスを付けてください。）',
  'rotations.feed_secret':
    'カレンダーアプリで購読してください。リンクを知っている人は誰でもシフトを見られるので、共有しないでください。もう一度実行すると新しいリンクになり、このリンクは使えなくなります。',
  'rotations.feed_name': '当番: {rotation}',
  'rotations.feed_name_mine': '自分の当番',
  'rotations.feed_summary': '{rotation}: {user}',
  'rotations.feed_override': '（{user} さんと交代）',
  'rotations.feed_cover': '（{user} さんの代打）',
  'home.holding_title': '*今あなたが持っているもの*',
  'home.holding_nothing': 'あなたに割り当てられたものはありません。',
  'home.holding_investigation': '{id}（{status}）回答期限 {deadline}: {customer}',
  'home.holding_status.open': '未着手',
  'home.holding_status.taken': '対応中',
  'rotations.handoff_announce':
    ':arrows_counterclockwise: *{rotation}*: <@{from}> から <@{to}>{standIn} に交代しました（{end} まで）。',
  'rotations.handoff_override': '（<@{user}> の代わり）',
  'rotations.handoff_cover': '（<@{user}> の代打）',
  'rotations.handoff_open_title': '*いま対応中のもの*',
  'rotations.handoff_nothing_open': '対応中のものはありません。',
  'rotations.handoff_investigation': '• {id} {customer}　期限 {deadline}　{holder}',
  'rotations.handoff_investigation_urgent': '• :rotating_light: {id} {customer}　期限 {deadline}　{holder}',
  'rotations.handoff_taken_by': '<@{user}> が対応中',
  'rotations.handoff_assigned_to': '<@{user}> に割当（未着手）',
  'rotations.handoff_unassigned': '担当なし',
  'rotations.handoff_alert_group': '• :rotating_light: {title}',
  'rotations.handoff_more': '…ほか {count} 件',
  'rotations.handoff_dm': '*{rotation}* の当番です{standIn}: {from} 〜 {to}（{zone}）。',
  'rotations.handoff_dm_business_zone': '{zone} では {from} 〜 {to}。',
  'rotations.handoff_dm_from': '<@{user}> から引き継ぎました。',
};

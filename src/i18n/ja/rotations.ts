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

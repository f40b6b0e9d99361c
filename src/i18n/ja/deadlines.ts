// 調査依頼の期限: the reminder before a reply deadline, the overdue notices, month-close requests
// (the modal's note, the post's mark, the page of the person on duty).
export const deadlines: Record<string, string> = {
  'investigation.deadline.hours': '{h} 時間',
  'investigation.deadline.minutes': '{m} 分',
  'investigation.deadline.hours_minutes': '{h} 時間 {m} 分',
  'investigation.reminder.dm': '⏰ {id}（{customer}）の回答期限 {deadline} まで、営業時間であと {left}です。',
  'investigation.overdue.thread': '⏰ <@{user}> {id} は回答期限 {deadline} を過ぎました。',
  'investigation.overdue.thread_no_assignee': '⏰ {id} は回答期限 {deadline} を過ぎました（担当なし）。',
  'investigation.overdue.channel':
    '⏰ <@{user}> {id}（{customer}）が回答期限 {deadline} を過ぎています。スレッドで状況を共有してください。',
  'investigation.overdue.channel_no_assignee':
    '⏰ {id}（{customer}）が回答期限 {deadline} を過ぎています。担当がいません。',
  'investigation.post.overdue': '*⏰ 期限超過*',
  'investigation.post.month_close': '*月次決算* の依頼（至急・当日中）',
  'investigation.modal.month_close':
    '月次決算期間中の経理からの依頼です。回答期限は当日の営業終了、緊急度は至急になり、当番を呼び出します。',
  'investigation.page.dm':
    '🚨 月次決算の至急依頼 {id}（<@{requester}> から）。回答期限 {deadline}。決算は待てないため、すぐに確認してください。',
  'investigation.page.thread': '🚨 <@{user}> 月次決算の至急依頼です（回答期限 {deadline}）。',
};

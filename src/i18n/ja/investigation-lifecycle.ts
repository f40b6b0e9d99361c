// 調査依頼の依頼後: 投稿のボタン、担当変更と解決のモーダルとそのエラー、スレッドの作業記録、
// 新しい担当と依頼者への DM、ボタンを押した人への返事。
export const investigationLifecycle: Record<string, string> = {
  'investigation.button.take': '担当する',
  'investigation.button.reassign': '担当を変更',
  'investigation.button.wait': 'お客さま待ち',
  'investigation.button.resume': '再開',
  'investigation.button.resolve': '解決',
  'investigation.button.ticket': 'チケット起票',
  'investigation.button.reopen': '再オープン',

  'investigation.post.waiting_since': '*お客さま待ち* {since} から（回答期限は止まっています）',
  'investigation.post.resolved_by': '*解決* <@{user}> {at}',
  'investigation.post.answer': '*回答*',
  'investigation.post.cause': '*原因*',
  'investigation.post.ticket': '*チケット* {ticket}',

  'investigation.reassign.title': '{id} の担当を変更',
  'investigation.reassign.submit': '変更する',
  'investigation.resolve.title': '{id} を解決',
  'investigation.resolve.submit': '解決する',
  'investigation.field.assignee': '新しい担当',
  'investigation.field.note': '引き継ぎメモ',
  'investigation.field.note_hint': '確認したこと、誰に聞けばよいかなど。',
  'investigation.field.answer': '回答',
  'investigation.field.answer_hint': '依頼者に送られ、次の似た質問のために残ります。',
  'investigation.field.cause': '原因',
  'investigation.field.ticket': 'チケット',
  'investigation.field.ticket_hint': 'URL か参照（owner/repo#12、BILL-431）',

  'investigation.error.answer_empty': '回答を入力してください。',
  'investigation.error.answer_too_long': '回答は {max} 文字までです（今 {length} 文字）。',
  'investigation.error.cause_too_long': '原因は {max} 文字までです（今 {length} 文字）。',
  'investigation.error.ticket_too_long': 'チケットは {max} 文字までです。',
  'investigation.error.ticket_malformed':
    'https のリンクか、空白を含まない参照を 1 つ入力してください（owner/repo#12、BILL-431）。',
  'investigation.error.assignee_missing': '引き継ぐ人を選んでください。',
  'investigation.error.assignee_invalid': '一覧から人を選んでください。',
  'investigation.error.assignee_bot': 'toban には引き継げません。人を選んでください。',
  'investigation.error.note_too_long': 'メモが {length} 文字あります。{max} 文字までにしてください。',
  'investigation.error.not_found': '{id} はありません。',
  'investigation.error.unknown_request':
    'このフォームがどの依頼のものか分かりません。投稿からもう一度開いてください。',
  'investigation.error.reopen_refused':
    '{id} を再オープンできるのは、依頼者、解決した人、担当、管理者だけです。',
  'investigation.error.clock_refused':
    '{id} の回答期限を止めたり再開したりできるのは、依頼者、担当、調査当番のメンバー、管理者だけです。',
  'investigation.error.already_resolved': '{id} は解決済みです。先に再オープンしてください。',
  'investigation.error.reassign_resolved':
    '{id} は解決済みです。担当を変えるには先に再オープンしてください。',

  'investigation.duration.d': '{n} 日',
  'investigation.duration.h': '{n} 時間',
  'investigation.duration.min': '{n} 分',
  'investigation.duration.s': '{n} 秒',

  'investigation.log.taken': '<@{user}> が担当しました。',
  'investigation.log.taken_over': '<@{user}> が <@{from}> から担当を引き継ぎました。',
  'investigation.log.released': '<@{user}> が担当を外しました。当番の <@{to}> に戻りました。',
  'investigation.log.released_nobody': '<@{user}> が担当を外しました。今は当番がいません。',
  'investigation.log.reassigned': '<@{user}> が担当を <@{to}> に変更しました。',
  'investigation.log.waiting': '<@{user}>: お客さまの返事待ちです。回答期限は止まります。',
  'investigation.log.resumed':
    '<@{user}> が再開しました（お客さま待ちのうち営業時間 {waited}）。回答期限は {deadline} になりました。',
  'investigation.log.resolved': '<@{user}> が解決しました。',
  'investigation.log.reopened': '<@{user}> が再オープンしました。回答期限 {deadline}。',

  'investigation.dm.reassigned': '<@{user}> が {id} の担当をあなたに変更しました（回答期限 {deadline}）。',
  'investigation.dm.note': '引き継ぎメモ:',
  'investigation.dm.resolved': 'ご依頼の調査 {id}（{customer}）に <@{user}> が回答しました。',
  'investigation.dm.your_question': 'ご質問:',

  'investigation.ticket.not_yet':
    '{id} から GitHub のチケットを起票する機能は、チケット機能とともに使えるようになります。それまでは手で起票し、「解決」のチケット欄に URL か参照（owner/repo#12 など）を書いてください。',
  'investigation.resolve.already':
    '{id} はすでに <@{user}> が解決しています。入力した回答は保存していません。',
  'investigation.resolve.your_answer': '入力した回答:',

  'home.holding_investigation_waiting': '{id}（{since} からお客さま待ち）: {customer}',
};

// 調査依頼: the filing modal, its field errors, the post in the investigations channel, the DM to
// the assignee and the reply to the filer.
export const investigation: Record<string, string> = {
  'investigation.modal.title': '調査依頼',
  'investigation.modal.submit': '依頼する',
  'investigation.modal.close': 'キャンセル',
  'investigation.modal.intro': 'お客さまの問い合わせを調査当番に依頼します。',
  'investigation.modal.from_message': '元のメッセージ: {link}',
  'investigation.modal.from_message_nolink': '元のメッセージ: <#{channel}> のメッセージ',
  'investigation.field.customer': 'お客さま（ユーザー ID または名前）',
  'investigation.field.reference': '参照番号',
  'investigation.field.reference_hint': '注文番号（ORD-…）、決済の取引 ID（ch_…, re_…）または支払 ID（PO-…）',
  'investigation.field.category': '分類',
  'investigation.field.question': '質問',
  'investigation.field.deadline_date': '回答期限（日付）',
  'investigation.field.deadline_time': '回答期限（時刻）',
  'investigation.field.deadline_time_hint': 'HH:MM（日本時間）。空欄なら 18:00（終業）',
  'investigation.field.urgency': '緊急度',

  'investigation.category.payment': '決済',
  'investigation.category.payout': '入金・振込',
  'investigation.category.refund': '返金',
  'investigation.category.account': 'アカウント',
  'investigation.category.bug': '不具合',
  'investigation.category.other': 'その他',
  'investigation.urgency.normal': '通常',
  'investigation.urgency.urgent': '至急',
  'investigation.status.open': '未着手',
  'investigation.status.taken': '対応中',
  'investigation.status.waiting': 'お客さま待ち',
  'investigation.status.resolved': '解決済み',

  'investigation.error.question_empty': '質問を入力してください。',
  'investigation.error.question_too_long': '質問は {max} 文字までです（今 {length} 文字）。',
  'investigation.error.customer_empty': 'お客さまのユーザー ID か名前を入力してください。',
  'investigation.error.customer_too_long': 'お客さまは {max} 文字までです。',
  'investigation.error.reference_too_long': '参照番号は {max} 文字までです。',
  'investigation.error.category_missing': '分類を選んでください。',
  'investigation.error.category_unknown': '分類「{value}」はありません。',
  'investigation.error.urgency_unknown': '緊急度「{value}」はありません。',
  'investigation.error.deadline_missing': '回答期限の日付を選んでください。',
  'investigation.error.deadline_date_malformed':
    '日付「{value}」を読めません。YYYY-MM-DD で入力してください。',
  'investigation.error.deadline_time_malformed':
    '時刻「{value}」を読めません。HH:MM（例 15:30）で入力してください。',
  'investigation.error.deadline_past': '回答期限が過ぎています（今 {now}）。後の日付か時刻にしてください。',
  'investigation.error.deadline_past_day':
    'この日の終業（18:00）を過ぎています（今 {now}）。時刻を入れるか、後の日付を選んでください。',
  'investigation.error.deadline_past_day_time':
    'この日の終業（18:00）を過ぎています（今 {now}）。後の時刻を入れるか、後の日付を選んでください。',

  'investigation.post.title': '{id} 調査依頼（{category}）',
  'investigation.post.title_urgent': '🚨 {id} 至急の調査依頼（{category}）',
  'investigation.post.customer': '*お客さま* {customer}',
  'investigation.post.reference': '*参照番号* {reference}',
  'investigation.post.deadline': '*回答期限* {deadline}',
  'investigation.post.urgency': '*緊急度* {urgency}',
  'investigation.post.status': '*状態* {status}',
  'investigation.post.requester': '*依頼者* <@{user}>',
  'investigation.post.assignee': '*担当* <@{user}>',
  'investigation.post.no_assignee': '*担当* なし（当番がいません）',
  'investigation.post.source': '<{link}|元のメッセージ>',
  'investigation.post.source_nolink': '元のメッセージ: <#{channel}>',
  'investigation.post.take_hint': ':eyes: を付けると自分が担当になります。外すと当番に戻ります。',

  'investigation.dm.assigned': '{id} の調査依頼があなたに割り当てられました（回答期限 {deadline}）。',
  'investigation.dm.taken_over': '{id} は <@{user}> が担当しました。あなたの担当ではなくなりました。',
  'investigation.dm.handed_back':
    '<@{user}> が {id} の :eyes: を外したため、当番のあなたの担当に戻りました（回答期限 {deadline}）。',
  'investigation.filed':
    '{id} を依頼しました。担当 <@{assignee}>、回答期限 {deadline}。<#{channel}> で進み具合が見られます。',
  'investigation.filed_no_assignee':
    '{id} を依頼しました。今は当番がいないため担当は未定です。回答期限 {deadline}。<#{channel}> をご覧ください。',
  'investigation.not_filed':
    '*何も依頼していません。* 送信の後の確認で、次の点が通りませんでした。直して、もう一度依頼してください。',
  'investigation.not_filed_question': '入力した質問（もう一度依頼するときにコピーしてください）:',
  'investigation.error.no_message':
    'メッセージが見つかりません。メッセージのショートカットから使ってください。',
};

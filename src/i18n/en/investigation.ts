// Investigation requests: the filing modal, its field errors, the post in the investigations
// channel, the DM to the assignee and the reply to the filer.
export const investigation: Record<string, string> = {
  'investigation.modal.title': 'Investigation request',
  'investigation.modal.submit': 'File request',
  'investigation.modal.close': 'Cancel',
  'investigation.modal.intro': "Hand a customer's question to whoever is on investigation duty.",
  'investigation.modal.from_message': 'From this message: {link}',
  'investigation.modal.from_message_nolink': 'From a message in <#{channel}>',
  'investigation.field.customer': 'Customer (user id or name)',
  'investigation.field.reference': 'Reference',
  'investigation.field.reference_hint':
    'order id (ORD-…), gateway transaction id (ch_…, re_…) or payout id (PO-…)',
  'investigation.field.category': 'Category',
  'investigation.field.question': 'Question',
  'investigation.field.deadline_date': 'Reply deadline (date)',
  'investigation.field.deadline_time': 'Reply deadline (time)',
  'investigation.field.deadline_time_hint': 'HH:MM, Japan time. Empty: 18:00, end of business',
  'investigation.field.urgency': 'Urgency',

  'investigation.category.payment': 'Payment',
  'investigation.category.payout': 'Payout',
  'investigation.category.refund': 'Refund',
  'investigation.category.account': 'Account',
  'investigation.category.bug': 'Bug',
  'investigation.category.other': 'Other',
  'investigation.urgency.normal': 'Normal',
  'investigation.urgency.urgent': 'Urgent',
  'investigation.status.open': 'Open',
  'investigation.status.taken': 'Taken',
  'investigation.status.waiting': 'Waiting for customer',
  'investigation.status.resolved': 'Resolved',

  'investigation.error.question_empty': 'Please write the question.',
  'investigation.error.question_too_long': 'The question can be at most {max} characters (it is {length}).',
  'investigation.error.customer_empty': "Please give the customer's user id or name.",
  'investigation.error.customer_too_long': 'The customer can be at most {max} characters.',
  'investigation.error.reference_too_long': 'The reference can be at most {max} characters.',
  'investigation.error.category_missing': 'Please choose a category.',
  'investigation.error.category_unknown': 'There is no category "{value}".',
  'investigation.error.urgency_unknown': 'There is no urgency "{value}".',
  'investigation.error.deadline_missing': 'Please choose the date of the reply deadline.',
  'investigation.error.deadline_date_malformed': 'Cannot read the date "{value}". Use YYYY-MM-DD.',
  'investigation.error.deadline_time_malformed': 'Cannot read the time "{value}". Use HH:MM, e.g. 15:30.',
  'investigation.error.deadline_past':
    'That deadline has passed (it is {now} now): pick a later date or time.',
  'investigation.error.deadline_past_day':
    'The end of business (18:00) of that day has passed (it is {now} now). Give a time or a later date.',
  'investigation.error.deadline_past_day_time':
    'The end of business (18:00) of that day has passed (it is {now} now). Enter a later time, or pick a later date.',

  'investigation.post.title': '{id} investigation request ({category})',
  'investigation.post.title_urgent': '🚨 {id} urgent investigation request ({category})',
  'investigation.post.customer': '*Customer* {customer}',
  'investigation.post.reference': '*Reference* {reference}',
  'investigation.post.deadline': '*Reply deadline* {deadline}',
  'investigation.post.urgency': '*Urgency* {urgency}',
  'investigation.post.status': '*Status* {status}',
  'investigation.post.requester': '*Requested by* <@{user}>',
  'investigation.post.assignee': '*Assignee* <@{user}>',
  'investigation.post.no_assignee': '*Assignee* none (nobody is on duty)',
  'investigation.post.source': '<{link}|Original message>',
  'investigation.post.source_nolink': 'Original message in <#{channel}>',
  'investigation.post.take_hint':
    'React with :eyes: to take it; remove it to hand it back to the duty person.',

  'investigation.dm.assigned':
    '{id}, an investigation request, is assigned to you (reply deadline {deadline}).',
  'investigation.dm.taken_over': '<@{user}> took {id}: it is no longer yours.',
  'investigation.dm.handed_back':
    '<@{user}> removed their :eyes: from {id}, so it is back with you, on duty (reply deadline {deadline}).',
  'investigation.filed':
    '{id} filed, assigned to <@{assignee}>, reply deadline {deadline}. Follow it in <#{channel}>.',
  'investigation.filed_no_assignee':
    '{id} filed. Nobody is on duty now, so it has no assignee yet. Reply deadline {deadline}. See <#{channel}>.',
  'investigation.not_filed':
    '*Nothing was filed.* The check after you sent it found these problems; correct them and file it again.',
  'investigation.not_filed_question': 'The question you typed (copy it to file again):',
  'investigation.error.no_message': 'No message came with this shortcut: use it from a message’s menu.',
};

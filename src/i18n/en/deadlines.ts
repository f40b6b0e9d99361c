// Investigation deadlines: the reminder before a reply deadline, the overdue notices, month-close
// requests (the modal's note, the post's mark, the page of the person on duty).
export const deadlines: Record<string, string> = {
  'investigation.deadline.hours': '{h} h',
  'investigation.deadline.minutes': '{m} min',
  'investigation.deadline.hours_minutes': '{h} h {m} min',
  'investigation.reminder.dm':
    '⏰ {id} ({customer}): {left} of business time left to its reply deadline, {deadline}.',
  'investigation.overdue.thread': '⏰ <@{user}> {id} is past its reply deadline, {deadline}.',
  'investigation.overdue.thread_no_assignee': '⏰ {id} is past its reply deadline, {deadline} (no assignee).',
  'investigation.overdue.channel':
    '⏰ <@{user}> {id} ({customer}) is past its reply deadline, {deadline}. Please say where it stands in its thread.',
  'investigation.overdue.channel_no_assignee':
    '⏰ {id} ({customer}) is past its reply deadline, {deadline}, and nobody holds it.',
  'investigation.post.overdue': '*⏰ Overdue*',
  'investigation.post.month_close': '*Month-close* request (urgent, due the same day)',
  'investigation.modal.month_close':
    'Filed by finance during the monthly close: due at the end of business today, urgent, and the person on duty is paged.',
  'investigation.page.dm':
    '🚨 Month-close request {id} from <@{requester}>, due {deadline}. The close cannot wait: please look at it now.',
  'investigation.page.thread': '🚨 <@{user}> month-close request, due {deadline}.',
};

// Investigation requests after filing: the post's buttons, the Reassign and Resolve modals and
// their errors, the thread's working log, the DMs to a new assignee and to the requester, and the
// replies to the person who pressed a button.
export const investigationLifecycle: Record<string, string> = {
  'investigation.button.take': 'Take',
  'investigation.button.reassign': 'Reassign',
  'investigation.button.wait': 'Waiting for customer',
  'investigation.button.resume': 'Resume',
  'investigation.button.resolve': 'Resolve',
  'investigation.button.ticket': 'File ticket',
  'investigation.button.reopen': 'Reopen',

  'investigation.post.waiting_since': '*Waiting for the customer since* {since} (the deadline is paused)',
  'investigation.post.resolved_by': '*Resolved by* <@{user}> {at}',
  'investigation.post.answer': '*Answer*',
  'investigation.post.cause': '*Cause*',
  'investigation.post.ticket': '*Ticket* {ticket}',

  'investigation.reassign.title': 'Reassign {id}',
  'investigation.reassign.submit': 'Reassign',
  'investigation.resolve.title': 'Resolve {id}',
  'investigation.resolve.submit': 'Resolve',
  'investigation.field.assignee': 'New assignee',
  'investigation.field.note': 'Note for them',
  'investigation.field.note_hint': 'What they should know: what was checked, whom to ask.',
  'investigation.field.answer': 'Answer',
  'investigation.field.answer_hint': 'Sent to the requester and kept for the next similar question.',
  'investigation.field.cause': 'Cause',
  'investigation.field.ticket': 'Ticket',
  'investigation.field.ticket_hint': 'A URL or a reference (owner/repo#12, BILL-431)',

  'investigation.error.answer_empty': 'Please write the answer.',
  'investigation.error.answer_too_long': 'The answer can be at most {max} characters (it is {length}).',
  'investigation.error.cause_too_long': 'The cause can be at most {max} characters (it is {length}).',
  'investigation.error.ticket_too_long': 'The ticket can be at most {max} characters.',
  'investigation.error.ticket_malformed':
    'Give an https link or one reference without spaces (owner/repo#12, BILL-431).',
  'investigation.error.assignee_missing': 'Please choose who takes it over.',
  'investigation.error.assignee_invalid': 'Please choose a person from the list.',
  'investigation.error.assignee_bot': 'toban cannot take it over: please choose a person.',
  'investigation.error.note_too_long': 'The note is {length} characters long; at most {max} fit.',
  'investigation.error.not_found': 'There is no {id}.',
  'investigation.error.unknown_request':
    'This form does not say which request it is for. Open it again from the post.',
  'investigation.error.reopen_refused':
    'Only the requester, the person who resolved it, its assignee or an admin can reopen {id}.',
  'investigation.error.clock_refused':
    'Only the requester, the assignee, the investigation duty rotation or an admin may pause or restart the reply clock of {id}.',
  'investigation.error.already_resolved': '{id} is already resolved: reopen it first.',
  'investigation.error.reassign_resolved': '{id} is resolved: reopen it before reassigning it.',

  'investigation.duration.d': '{n} d',
  'investigation.duration.h': '{n} h',
  'investigation.duration.min': '{n} min',
  'investigation.duration.s': '{n} s',

  'investigation.log.taken': '<@{user}> took it.',
  'investigation.log.taken_over': '<@{user}> took it over from <@{from}>.',
  'investigation.log.released': '<@{user}> handed it back; it is with <@{to}>, on duty.',
  'investigation.log.released_nobody': '<@{user}> handed it back; nobody is on duty now.',
  'investigation.log.reassigned': '<@{user}> reassigned it to <@{to}>.',
  'investigation.log.waiting': '<@{user}>: waiting for the customer. The reply deadline is paused.',
  'investigation.log.resumed':
    '<@{user}> resumed it after waiting for the customer ({waited} of business hours). Reply deadline now {deadline}.',
  'investigation.log.resolved': '<@{user}> resolved it.',
  'investigation.log.reopened': '<@{user}> reopened it. Reply deadline {deadline}.',

  'investigation.dm.reassigned': '<@{user}> reassigned {id} to you (reply deadline {deadline}).',
  'investigation.dm.note': 'Their note:',
  'investigation.dm.resolved': 'Your investigation request {id} ({customer}) was answered by <@{user}>.',
  'investigation.dm.your_question': 'Your question:',

  'investigation.ticket.not_yet':
    'Filing a GitHub ticket from {id} comes with the tickets feature. Meanwhile, file it by hand and name it in the Ticket field of Resolve (a URL or a reference such as owner/repo#12).',
  'investigation.resolve.already': '{id} was already resolved by <@{user}>: your answer was not saved.',
  'investigation.resolve.your_answer': 'The answer you typed:',

  'home.holding_investigation_waiting': '{id} (waiting for the customer since {since}): {customer}',
};

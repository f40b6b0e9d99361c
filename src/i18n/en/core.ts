// Shared text: errors, permissions, help, console, /oncall.
export const core: Record<string, string> = {
  'error.unknown_command': 'There is no command `{command}`. Commands: {commands}',
  'error.usage': 'That is not how this command is used: {detail}',
  'error.internal': 'Something went wrong ({code}). Please try again in a moment.',
  'error.timeout': 'No answer in time (stopped after {seconds} s). Narrow the question and try again.',
  'error.bad_date':
    'Cannot read the date `{value}`. Examples: 2024-03-31, 2024/3/31, today, yesterday, last-month-end',
  'error.bad_month': 'Cannot read the month `{value}`. Examples: 2024-03, 2024/3, this-month, last-month',
  'permission.finance_only':
    'Sorry, `{command}` is only for members of the finance team (permissions.finance). Please ask an admin if you need access.',
  'permission.unavailable':
    'Could not check whether you may use `{command}`: Slack’s user directory did not answer ({reason}). Please try again in a moment.',
  'permission.admin_only': 'Sorry, only admins (permissions.admins) can do that.',
  'reply.shortened': '… (shortened; the whole reply is in the attached file)',
  'reply.file_title': 'The whole reply',
  'help.title': 'How to use `{command}`',
  'help.footer': '`{command} help` shows this at any time.',

  'oncall.help':
    '`/oncall` who is on duty now, and the next handoff\n`/oncall <rotation>` now and the next shifts\n`/oncall override <rotation> @user <from> <to>` record an override\n`/oncall cover <rotation> <from> <to>` ask for cover\n(times: `YYYY-MM-DD HH:MM` or `MM-DD HH:MM` in the business time zone; the start may be `now`)\n`/oncall report <YYYY-MM> [rotation]` hours on duty\n`/oncall calendar [rotation]` your calendar feed URL (iCal)',
  'oncall.title': 'On duty now',
  'oncall.now': '*{rotation}*: <@{user}> (until {until})',
  'oncall.next': 'Next handoff: {at} to <@{user}>',
  'oncall.none': 'No rotations are configured (rotations in toban.yml).',
  'oncall.unknown_rotation': 'There is no rotation `{rotation}`. Known: {known}',
  'oncall.ambiguous_rotation':
    '`{rotation}` matches more than one rotation: {candidates}. Write its id or its name exactly.',
  'oncall.upcoming_title': 'Next shifts of *{rotation}*',
  'oncall.shift': '{from} – {to}  <@{user}>',
  'oncall.details_button': 'Details',

  'console.ready':
    'toban console (typing as {user}). Type a slash command such as `/oncall`; `press N` presses a button; Ctrl-D quits.',
  'console.webhook_token': 'Alert webhook token (this session only): {token}',
  'console.listening': 'HTTP: http://{host}:{port}',
  'console.posted': '[posted to {channel}]',
  'console.updated': '[message updated in {channel}]',
  'console.ephemeral': '[visible only to {user}]',
  'console.dm': '[DM to {user}]',
  'console.no_button': 'There is no button {n}.',
  'console.drain_timeout':
    '! Shutting down: {count} command(s) still running after {seconds} s were stopped; their replies are lost, run them again.',
  'console.file': '[file {name} saved: {path}]',
  'console.usergroup': '[user group {group} set to: {users}]',
  'slack.unavailable':
    'toban cannot take commands right now (its database is not answering). Nothing was run; please try again in a few minutes.',
  'slack.gave_up.expired':
    'toban could not answer your `{what}` in time (it was restarting or overloaded), and Slack no longer takes an answer to it. Please run it again.',
  'slack.gave_up.failed':
    'toban could not answer your `{what}`: it failed several times. Please run it again; if it fails again, tell whoever runs toban.',
  'slack.gave_up.button': 'button press',
};

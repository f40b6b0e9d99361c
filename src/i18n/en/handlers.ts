// Text of the handlers beside commands (handlers/): the App Home, events, shortcuts and modals, and
// what the Slack transport says about them.
export const handlers: Record<string, string> = {
  'handler.unknown_shortcut': 'toban does not know the shortcut `{what}` (it may be from a newer version).',
  'handler.shortcut_is_message':
    '“{name}” is a message shortcut: use it from a message’s menu (⋮, More message shortcuts).',
  'handler.shortcut_is_global':
    '“{name}” is a global shortcut: use it from the + (shortcuts) in the message box, not from a message’s menu.',
  'handler.view_not_opened':
    'The form could not be opened ({reason}): Slack allows only 3 seconds for that. Please try again.',
  'handler.command_opens_form': 'This command opens the form “{title}”: use it in Slack or in the console.',
  'home.none': 'Nothing to show here yet.',
  'home.title': 'toban — who is on duty',
  'home.your_shifts': '*Your next shifts*',
  'home.no_shifts': 'You have no upcoming shifts.',
  'home.shift': '{from} – {to}  *{rotation}*',
  'home.on_duty_now': '*On duty now*',
  'home.rotation_now': '*{rotation}*: <@{user}> (until {until})',
  'home.rotation_nobody': '*{rotation}*: nobody',
  'home.no_rotations': 'No rotations are configured (rotations in toban.yml).',
  'mention.on_duty': 'On duty now:\n{lines}',
  'mention.no_rotations': 'No rotations are configured, so nobody is on duty.',
  'joined.alerts':
    'Welcome, <@{user}>. Monitoring alerts arrive in this channel; acknowledge them with the buttons. `/oncall` shows who is on duty.',
  'joined.investigations':
    'Welcome, <@{user}>. Investigation requests from support are filed here ("Request investigation" shortcut); the thread holds the work. `/oncall` shows who is on investigation duty.',
  'joined.incidents':
    'Welcome, <@{user}>. Incidents are declared and run here. `/oncall` shows who is on duty.',
  'joined.finance':
    'Welcome, <@{user}>. Finance asks the ledger and sales here: `/ledger help` and `/sales help` (finance members only).',
  'outbox.home_published': '[App Home of {user}]',
  'outbox.view_updated': '[form {view} updated]',
};

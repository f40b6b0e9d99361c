// Console mode's shell: its verbs, the modal form and what it prints about messages and reactions.
// (The lines the outbox prints in console mode, console.posted and the like, are in core.ts.)
export const consoleShell: Record<string, string> = {
  'console.help':
    'In the console:\n' +
    '`/<command> …`  a slash command (`/<command> help` tells its usage)\n' +
    '`press <n>`  press button [n]\n' +
    '`shortcut <name>`  run a global shortcut\n' +
    '`shortcut <name> on <n>`  run a message shortcut on message #n\n' +
    '`react <emoji> <n>`, `unreact <emoji> <n>`  add or remove a reaction on message #n\n' +
    '`home`  show your App Home\n' +
    '`fire <source> [fixture]`  send an alert fixture through the HTTP intake\n' +
    '`as <user id>`  act as another person (now {user})\n' +
    '`help`  this list\n' +
    'In a form: an empty line keeps the value in [ ], `-` empties an optional field, `cancel` closes the form.',
  'console.help.commands': 'Slash commands: {commands}',
  'console.help.shortcuts': 'Shortcuts:',
  'console.help.no_shortcuts': 'Shortcuts: none yet.',
  'console.help.shortcut': '  {name} (`{id}`, {type})',
  'console.help.global': 'global',
  'console.help.message': 'on a message',
  'console.unknown_verb': 'The console does not know `{verb}`. Type `help` for the list.',
  'console.no_message': 'There is no message #{n}.',
  'console.usage.shortcut': 'Name a shortcut: `shortcut <name>`, or `shortcut <name> on <n>` for message #n.',
  'console.usage.react': 'Give an emoji and a message number, e.g. `{verb} eyes 3`.',
  'console.unknown_shortcut': 'There is no shortcut `{name}`. Type `help` for the list.',
  'console.shortcut_needs_message': '`{name}` is a message shortcut: `shortcut {name} on <n>`.',
  'console.shortcut_is_global': '`{name}` is a global shortcut: `shortcut {name}`, without `on`.',
  'console.run.shortcut_is_message':
    '`{id}` is a message shortcut: it needs a message, so `toban run` cannot run it. Start the console (`toban`), show a message, then type `shortcut {id} on <n>` (n: the message’s number).',
  'console.reacted': '[:{emoji}: added to #{n}]',
  'console.unreacted': '[:{emoji}: removed from #{n}]',
  'console.home': '[App Home of {user}]',
  'console.form.start': 'Answer each field in turn; `cancel` closes the form.',
  'console.form.optional': '(optional)',
  'console.form.date': 'a date, YYYY-MM-DD',
  'console.form.user': 'a person: U… or @name',
  'console.form.required': 'This field is required.',
  'console.form.bad_choice': 'Choose a number from 1 to {max}, or an option’s value.',
  'console.form.bad_date': 'Give a date as YYYY-MM-DD, e.g. 2024-03-31.',
  'console.form.bad_user': 'There is no person `{value}`: give U… or @name.',
  'console.form.too_long': 'At most {max} characters ({length} given).',
  'console.form.error': '! {label}: {error}',
  'console.form.cancelled': '[{title}: cancelled]',
  'console.form.sent': '[{title}: submitted]',
};

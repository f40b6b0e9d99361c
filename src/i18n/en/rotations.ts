// Rotations: overrides, cover requests, business hours, the App Home's overrides.
export const rotations: Record<string, string> = {
  'rotations.override_usage':
    'Write `/oncall override <rotation> @user <from> <to>`, each time `YYYY-MM-DD HH:MM` or `MM-DD HH:MM` (the start may be `now`).',
  'rotations.cover_usage':
    'Write `/oncall cover <rotation> <from> <to>`, each time `YYYY-MM-DD HH:MM` or `MM-DD HH:MM` (the start may be `now`).',
  'rotations.bad_time': '`{text}` is not a time: write `YYYY-MM-DD HH:MM` or `MM-DD HH:MM` ({zone}).',
  'rotations.not_allowed':
    'Only members of *{rotation}* and admins may change who is on duty in it. Nothing was changed.',
  'rotations.unknown_user': '<@{user}> is not a user of this workspace. Nothing was changed.',
  'rotations.user_check_failed':
    'Could not check <@{user}> with Slack just now. Nothing was changed; try again.',
  'rotations.empty_period': 'The period must end after it begins ({from} – {to}). Nothing was changed.',
  'rotations.past_period':
    'The period begins in the past ({from}); only the future can be changed. Nothing was changed.',
  'rotations.overlap':
    'This overlaps an override of *{rotation}*: <@{user}> {from} – {to}. Nothing was changed.',
  'rotations.override_set': 'Override recorded: <@{user}> holds *{rotation}* from {from} to {to}.',
  'rotations.override_set_before': 'Already recorded: <@{user}> holds *{rotation}* from {from} to {to}.',
  'rotations.override_mark': ' (override for <@{user}>)',
  'rotations.cover_mark': ' (covering for <@{user}>)',
  'rotations.cover_posted': 'Cover request posted in <#{channel}>: *{rotation}* {from} – {to}.',
  'rotations.cover_post': ':raising_hand: <@{requester}> asks for cover in *{rotation}*: {from} – {to}.',
  'rotations.cover_accept_button': 'Accept',
  'rotations.cover_accepted_post':
    ':white_check_mark: <@{user}> covers *{rotation}* {from} – {to} for <@{requester}>.',
  'rotations.cover_accepted_dm': '<@{user}> accepted your cover request: *{rotation}* {from} – {to}.',
  'rotations.cover_accepted_reply': 'You cover *{rotation}* {from} – {to}.',
  'rotations.cover_own': 'This is your own cover request: someone else has to accept it.',
  'rotations.cover_taken': '<@{user}> has already accepted this cover request.',
  'rotations.cover_gone': 'This cover request does not exist (any more).',
  'rotations.cover_over': 'The period of this cover request is over.',
  'rotations.off_hours': '*{rotation}*: outside business hours (someone from {at})',
  'rotations.business_hours': 'On duty {from}–{to} only; outside those hours nobody is.',
  'rotations.home_your_overrides': '*Your overrides*',
  'rotations.home_no_overrides': 'No overrides.',
  'rotations.home_override': '{from} – {to}  *{rotation}*: <@{user}>',
  'rotations.handoff_announce':
    ':arrows_counterclockwise: *{rotation}*: <@{from}> hands over to <@{to}>{standIn} (until {end}).',
  'rotations.handoff_override': ' (override for <@{user}>)',
  'rotations.handoff_cover': ' (covering for <@{user}>)',
  'rotations.handoff_open_title': '*Open now*',
  'rotations.handoff_nothing_open': 'Nothing is open.',
  'rotations.handoff_investigation': '• {id} {customer}  due {deadline}  {holder}',
  'rotations.handoff_investigation_urgent': '• :rotating_light: {id} {customer}  due {deadline}  {holder}',
  'rotations.handoff_taken_by': 'taken by <@{user}>',
  'rotations.handoff_assigned_to': 'assigned to <@{user}>, not taken yet',
  'rotations.handoff_unassigned': 'nobody assigned',
  'rotations.handoff_alert_group': '• :rotating_light: {title}',
  'rotations.handoff_more': '…and {count} more',
  'rotations.handoff_dm': 'You are on duty in *{rotation}*{standIn}: {from} – {to} ({zone}).',
  'rotations.handoff_dm_business_zone': 'In {zone}: {from} – {to}.',
  'rotations.handoff_dm_from': 'You take over from <@{user}>.',
};

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
  'rotations.report_usage':
    'Write `/oncall report <YYYY-MM> [rotation]`, e.g. `/oncall report 2026-11` or `/oncall report 2026-11 primary`.',
  'rotations.report_title': 'Hours on duty, {month}',
  'rotations.report_rotation': '*{rotation}* ({zone}), {covered} h with someone on duty',
  'rotations.report_line': '{who}: {hours} h (night {night} h, weekend/holiday {offDay} h)',
  'rotations.report_total': 'Total',
  'rotations.report_nobody': 'Nobody was on duty this month.',
  'rotations.report_note':
    'Past shifts from the shift history, the rest as scheduled, overrides included. Night: 22:00–05:00; weekend/holiday: Saturdays, Sundays, Japanese holidays and closure days; both on the rotation’s clock and part of the hours.',
  'rotations.report_csv_title': 'On-call hours {month} (CSV)',
  'rotations.report_chart_title': 'On-call hours {month}: {rotation}',
  'rotations.report_csv.rotation': 'rotation',
  'rotations.report_csv.user': 'user id',
  'rotations.report_csv.name': 'name',
  'rotations.report_csv.hours': 'hours',
  'rotations.report_csv.night': 'night hours (22:00-05:00)',
  'rotations.report_csv.off_day': 'weekend/holiday hours',
  'rotations.feed_link': 'Your calendar feed of *{rotation}*:',
  'rotations.feed_link_mine': 'Your calendar feed of your own shifts (every rotation):',
  'rotations.feed_no_public_url':
    '(TOBAN_PUBLIC_URL is not set, so this is only the path: put toban’s address in front of it.)',
  'rotations.feed_secret':
    'Subscribe to it in your calendar app. Keep it to yourself: anyone with the link sees the shifts. Asking again gives a new link, and this one stops working.',
  'rotations.feed_name': 'On call: {rotation}',
  'rotations.feed_name_mine': 'My on-call shifts',
  'rotations.feed_summary': '{rotation}: {user}',
  'rotations.feed_override': ' (override for {user})',
  'rotations.feed_cover': ' (covering for {user})',
  'home.holding_title': '*What you hold now*',
  'home.holding_nothing': 'Nothing assigned to you.',
  'home.holding_investigation': '{id} ({status}), reply due {deadline}: {customer}',
  'home.holding_status.open': 'open',
  'home.holding_status.taken': 'taken',
};

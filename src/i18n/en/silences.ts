// Silences: /alerts silence's argument problems and unsilencing.
export const silences: Record<string, string> = {
  'silence.no_matchers': 'Say which alerts to silence with label matchers such as `service=billing`.',
  'silence.no_duration': 'End with how long to silence them (e.g. `2h`, `90m`, `1d`).',
  'silence.bad_matcher':
    '`{value}` is not a label matcher. Write `name=value`, `name!=value`, `name=~regex` or `name!~regex`.',
  'silence.bad_label_name':
    '`{value}`: a label name has letters, digits and _ only, and does not start with a digit.',
  'silence.bad_regex': '`{value}`: the regular expression is not valid.',
  'silence.matches_everything':
    'These matchers would silence every alert. Narrow them with at least one `=` or `=~` matcher.',
  'silence.duration_not_a_duration': '`{value}` is not a duration (e.g. `2h`, `90m`, `1d`).',
  'silence.duration_too_short': '`{value}` is too short: at least 1 minute.',
  'silence.duration_too_long': '`{value}` is too long: at most 30 days.',
  'silence.bad_duration': 'A silence of {value} ms is not allowed (1 minute to 30 days).',
  'silence.not_found': 'There is no silence {id}.',
};

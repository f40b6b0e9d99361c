// /sales: sales forecast vs actual.
export const sales: Record<string, string> = {
  'sales.help':
    '`/sales month <YYYY-MM> [by project|customer|department]` one month, forecast and actual (by department unless told)\n`/sales forecast <YYYY-MM> <YYYY-MM>` forecast vs actual per month, with variance and a chart (at most 24 months)\nMonths may be written 2024-03, 2024/3, this-month or last-month.',
  'sales.usage.missing_subcommand': 'Say `month` or `forecast`.',
  'sales.usage.bad_subcommand': 'There is no subcommand `{value}`. Say `month` or `forecast`.',
  'sales.usage.missing_month': 'Which month? Examples: 2024-03, 2024/3, this-month, last-month',
  'sales.usage.bad_month':
    'Cannot read the month `{value}`. Examples: 2024-03, 2024/3, this-month, last-month',
  'sales.usage.bad_group': 'Cannot group by `{value}`. Use `by {groups}`.',
  'sales.usage.extra': 'Unexpected extra words: `{value}`',
  'sales.usage.range_order': 'The end month {to} comes before the start month {from}.',
  'sales.usage.range_too_long':
    '{from} to {to} is {months} months; at most {max} months can be asked at once.',
  'sales.error.timeout':
    'The sales figures did not arrive in time (stopped after {seconds} s). Please try again in a moment.',
  'sales.error.unavailable':
    'The sales service did not answer (HTTP {status}). Please try again in a moment.',

  'sales.group.project': 'by project',
  'sales.group.customer': 'by customer',
  'sales.group.department': 'by department',
  'sales.month.title': 'Sales {month}, forecast vs actual ({group})',
  'sales.forecast.title': 'Sales forecast vs actual, {from} to {to}',
  'sales.month.empty': 'There are no sales figures for {month}.',
  'sales.line': '*{name}*  forecast {forecast}  actual {actual}  variance {diff} ({pct})',
  'sales.line.partial':
    '*{name}*  forecast {forecast}  actual {actual}  variance {diff} ({pct}, against the {base} forecast of what is recorded)',
  'sales.line.no_actual': '*{name}*  forecast {forecast}  actual not recorded yet',
  'sales.total': 'Total',
  'sales.pct.none': 'no forecast',
  'sales.more': '{count} more rows are in the attached CSV file.',
  'sales.footer': 'Variance = actual − forecast (% of forecast). Source: {source}',
  'sales.source.database': 'database (sales schema)',
  'sales.source.api': 'sales service API',
  'sales.file.csv': 'Sales forecast vs actual {range} (CSV)',
  'sales.file.chart': 'Sales forecast vs actual chart {range}',

  'sales.csv.month': 'month',
  'sales.csv.id': 'id',
  'sales.csv.name': 'name',
  'sales.csv.forecast': 'forecast_yen',
  'sales.csv.actual': 'actual_yen',
  'sales.csv.diff': 'variance_yen',
  'sales.csv.pct': 'variance_pct',
};

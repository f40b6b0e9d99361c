// Silences: /alerts silence's argument problems and unsilencing.
export const silences: Record<string, string> = {
  'silence.no_matchers': '黙らせるアラートを `service=billing` のようなラベル条件で指定してください。',
  'silence.no_duration': '最後に期間を指定してください(例: `2h`, `90m`, `1d`, `2時間`)。',
  'silence.bad_matcher':
    '`{value}` はラベル条件として読めません。`名前=値`, `名前!=値`, `名前=~正規表現`, `名前!~正規表現` のいずれかで書いてください。',
  'silence.bad_label_name': '`{value}` のラベル名が使えません(英数字と _ のみ、先頭は数字以外)。',
  'silence.bad_regex': '`{value}` の正規表現が正しくありません。',
  'silence.matches_everything':
    'この条件ではすべてのアラートが黙ります。`=` か `=~` で少なくとも1つ対象を絞ってください。',
  'silence.duration_not_a_duration': '`{value}` は期間として読めません(例: `2h`, `90m`, `1d`, `2時間`)。',
  'silence.duration_too_short': '`{value}` は短すぎます。1分以上にしてください。',
  'silence.duration_too_long': '`{value}` は長すぎます。30日以内にしてください。',
  'silence.bad_duration': '期間 {value} ミリ秒は使えません(1分以上30日以内)。',
  'silence.not_found': 'サイレンス {id} は見つかりません。',
};

// アラートグループの Slack メッセージとそのスレッドの行 (views/alert-group.ts)。
export const alerts: Record<string, string> = {
  'alert.severity.critical': 'Critical',
  'alert.severity.error': 'Error',
  'alert.severity.warning': 'Warning',
  'alert.severity.info': 'Info',
  'alert.state.open': '発生中',
  'alert.state.resolved': '解消',
  'alert.fallback': '{emoji} [{severity}] {title}（{state}、{source}）',
  'alert.counts': '発生中 *{firing}* 件 · 解消 *{resolved}* 件',
  'alert.source': 'ソース: {source}',
  'alert.first_seen': '初回受信 {at}',
  'alert.last_seen': '最終受信 {at}',
  'alert.resolved_at': '解消 {at}',
  'alert.labels': 'ラベル: {labels}',
  'alert.link.runbook': 'Runbook',
  'alert.link.dashboard': 'ダッシュボード',
  'alert.link.source': 'ソース',
  'alert.silenced': ':mute: {at} までサイレンス中',
  'alert.silenced_by': ':mute: {at} までサイレンス中（<@{user}> さん）',
  'alert.acknowledged': ':eyes: <@{user}> が確認済み {at}',
  'alert.unacknowledged': '未確認',
  'alert.escalation': 'エスカレーション段階 {step}',
  'alert.button.ack': '確認',
  'alert.button.resolve': '解消にする',
  'alert.button.silence': 'サイレンス',
  'alert.button.incident': 'インシデント宣言',
  'alert.button.ticket': 'チケット起票',
  'alert.thread.resolved': ':white_check_mark: 解消: {count} 件のアラートがすべて解消しました（{at}）。',
  'alert.thread.refired': ':rotating_light: 再発: {count} 件のアラート（{at}）。',
  'alert.escalate.step':
    ':rotating_light: エスカレーション段階 {step}: {targets} このアラートを確認してください。',
  'alert.escalate.nobody': '{rotation} の当番はいません',
  'alert.escalate.dm':
    ':rotating_light: {title}（<#{channel}>）でエスカレーション段階 {step} の呼び出しです。',
  'alert.escalate.reminder': ':hourglass: <@{user}> さん、確認済みのこのアラートはまだ解消していません。',
  'alert.escalate.reminder_dm': ':hourglass: 確認済みの {title}（<#{channel}>）はまだ解消していません。',
  'alert.escalate.digest': ':rotating_light: {count} 件のアラートでまとめて呼び出されています:',
  'alert.escalate.digest_step': '{emoji} #{id} {title}（<#{channel}>）: エスカレーション段階 {step}',
  'alert.escalate.digest_reminder':
    ':hourglass: #{id} {title}（<#{channel}>）: 確認済みでまだ解消していません',
  'alert.escalate.digest_storm':
    '{emoji} <#{channel}> のストーム: 未確認のグループ {count} 件、最も重いのは #{id} {title}: エスカレーション段階 {step}',
  'alert.escalate.here_above': '（@here は {where} で通知済み）',
  'alert.escalate.here_storm': 'ストームのまとめ',
  'alert.escalate.digest_more': '… ほか {count} 件 — `/alerts mine` または `/alerts`',
  'console.fire.usage':
    '使い方: `fire <ソース> [フィクスチャ]`（例: `fire alertmanager`、`fire alertmanager alertmanager-resolved`）',
  'console.fire.sent': '→ POST /hooks/alerts/{source}（{fixture}）: {status} {body}',
  'console.fire.unknown_source': '知らないアラートソースです。ソース: {detail}',
  'console.fire.unknown_fixture': 'そのフィクスチャはありません。フィクスチャ: {detail}',
  'console.fire.no_server': 'HTTP ポートが開いていないため、送り先のインテークがありません。',
  // ストームのまとめ（views/alert-storm.ts）
  'alert.storm.fallback': ':rotating_light: アラートストーム: {since} から新しいアラートグループ {groups} 件',
  'alert.storm.header': ':rotating_light: アラートストーム: アラートグループ {groups} 件',
  'alert.storm.intro':
    'このチャンネルに 1 件ずつ投稿しきれない数のアラートグループが届いているため、ここにまとめています。{since} から、最新 {last}。',
  'alert.storm.over':
    'ストームは収まりました（{last} 以降新しいグループはありません）。次のグループからは個別に投稿します。',
  'alert.storm.by_service': '*サービス・重大度別*',
  'alert.storm.count_line': '{emoji} {service} · {severity}: *{groups}* 件（発生中 {open}）',
  'alert.storm.count_more': '… ほか {lines} 行（サービス・重大度）: *{groups}* 件（発生中 {open}）',
  'alert.storm.no_service': '（サービスなし）',
  'alert.storm.top': '*主なグループ*',
  'alert.storm.top_line': '{emoji} #{id} {title}{service} · 発生中 {firing}',
  'alert.storm.ids': 'このストームの全グループ（`/alerts show <id>` で 1 件ずつ見られます）: {ids}',
  // ストームのエスカレーションと「すべて確認」（services/alerts/storm-escalation.ts）
  'alert.storm.button.ack_all': 'すべて確認',
  'alert.storm.acknowledged': ':eyes: <@{user}> さんがすべて確認済み {at}',
  'alert.storm.escalation': 'エスカレーション段階 {step}',
  'alert.storm.unacknowledged': '未確認のグループ {count} 件',
  'alert.storm.escalate.step':
    ':rotating_light: ストーム: 未確認のグループ {count} 件、最も重いのは {severity} の #{id} {title}。エスカレーション段階 {step}: {targets} さん、確認してください（まとめの「すべて確認」で止まります）。',
  'alert.storm.escalate.dm':
    ':rotating_light: <#{channel}> のアラートストームで呼び出されています（エスカレーション段階 {step}）: 未確認のグループ {count} 件、最も重いのは {severity} の {title}。',
  'alert.storm.thread.acknowledged':
    ':eyes: <@{user}> さんがこのストームの未確認のグループ {count} 件をすべて確認しました（{at}）。エスカレーションは止まります。',
  'alert.storm.nothing_to_acknowledge':
    'このストームに未確認のグループはありません（最後に確認したのは <@{user}> さん、{at}）。',
  'alert.storm.nothing_open': 'このストームに未確認のグループはありません。',
  'alert.storm.not_found': 'ストーム #{id} はありません。',
};

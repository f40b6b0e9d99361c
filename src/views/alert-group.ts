// An alert group's Slack message, one per group, updated in place as the group changes, and the
// lines its thread gets on a change of state (resolved, firing again). Pure: (group, locale, time
// zone, now) -> Message.
//
// Severity shows as a coloured emoji in the header and the fallback text: the outbox's Slack kinds
// carry blocks, not legacy attachments, so there is no colour bar.
import type { KnownBlock } from '@slack/types';
import type { Message } from '../core/command.ts';
import type { Severity } from '../domain/alert.ts';
import type { AlertGroup } from '../domain/alert-group.ts';
import { t, type Locale, type Params } from '../i18n/index.ts';
import { context, header, section } from './common.ts';
import { escaped } from './investigation.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/**
 * The action ids of the message's buttons (block_actions). Stable: handlers register on them. Each
 * button's `value` is the group's id (a decimal string).
 */
export const ALERT_ACTIONS = {
  acknowledge: 'alert.acknowledge',
  resolve: 'alert.resolve',
  silence: 'alert.silence',
  unsilence: 'alert.unsilence',
  declareIncident: 'alert.declare_incident',
  fileTicket: 'alert.file_ticket',
} as const;

/** The emoji standing for each severity, red to blue; green once the group is resolved. */
export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  critical: ':red_circle:',
  error: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  info: ':large_blue_circle:',
};
export const RESOLVED_EMOJI = ':large_green_circle:';

/** The outbox ref of a group's message: later rows update it and reply in its thread. */
export function alertGroupRef(id: string): string {
  return `alert-group:${id}`;
}

/** How many labels the message lists (the routing ones: service, env, ... come first). */
const KEY_LABELS = 8;
const PREFERRED = ['service', 'env', 'environment', 'team', 'instance', 'job', 'namespace', 'severity'];

function keyLabels(labels: Record<string, string>): string[] {
  const names = Object.keys(labels).filter((n) => n !== 'alertname');
  const rank = (n: string) => (PREFERRED.includes(n) ? PREFERRED.indexOf(n) : PREFERRED.length);
  return names
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, KEY_LABELS)
    .map((n) => `\`${escaped(truncate(n, 60))}=${escaped(truncate(labels[n] ?? '', 80))}\``);
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

export function alertGroupMessage(g: AlertGroup, locale: Locale, tz: string, now: Date): Message {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const emoji = g.state === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[g.severity];
  const severity = t(locale, `alert.severity.${g.severity}`);
  const state = t(locale, `alert.state.${g.state}`);
  const text = t(locale, 'alert.fallback', {
    emoji,
    severity,
    title: escaped(truncate(g.title, 200)),
    state,
    source: g.source,
  });
  const blocks: KnownBlock[] = [header(`${emoji} ${g.title}`)];
  const lines = [
    `*${severity}* · ${state} · ${t(locale, 'alert.counts', { firing: g.firingCount, resolved: g.resolvedCount })}`,
  ];
  if (g.summary) lines.push(escaped(truncate(g.summary, 2_000)));
  blocks.push(section(lines.join('\n')));
  const facts = [
    t(locale, 'alert.source', { source: g.service ? `${g.source} · ${escaped(g.service)}` : g.source }),
    `${t(locale, 'alert.first_seen', { at: at(g.firstSeen) })} · ${t(locale, 'alert.last_seen', { at: at(g.lastSeen) })}`,
  ];
  if (g.resolvedAt) facts.push(t(locale, 'alert.resolved_at', { at: at(g.resolvedAt) }));
  const labels = keyLabels(g.labels);
  if (labels.length) facts.push(t(locale, 'alert.labels', { labels: labels.join(' ') }));
  const links = (['runbook', 'dashboard', 'source'] as const).flatMap((k) => {
    const url = linkTarget(g.links[k]);
    return url ? [`<${url}|${t(locale, `alert.link.${k}`)}>`] : [];
  });
  if (links.length) facts.push(links.join(' · '));
  blocks.push(context(facts.join('\n')));
  const status = [
    g.acknowledgedBy && g.acknowledgedAt
      ? t(locale, 'alert.acknowledged', { user: g.acknowledgedBy, at: at(g.acknowledgedAt) })
      : t(locale, 'alert.unacknowledged'),
  ];
  if (g.silencedUntil && g.silencedUntil > now)
    status.push(
      g.silencedBy
        ? t(locale, 'alert.silenced_by', { at: at(g.silencedUntil), user: g.silencedBy })
        : t(locale, 'alert.silenced', { at: at(g.silencedUntil) }),
    );
  if (g.escalationStep > 0) status.push(t(locale, 'alert.escalation', { step: g.escalationStep }));
  blocks.push(context(status.join(' · ')));
  if (g.state === 'open')
    blocks.push({
      type: 'actions',
      block_id: alertGroupRef(g.id),
      elements: [
        ...(g.acknowledgedBy
          ? []
          : [button(t(locale, 'alert.button.ack'), ALERT_ACTIONS.acknowledge, g.id, 'primary')]),
        button(t(locale, 'alert.button.resolve'), ALERT_ACTIONS.resolve, g.id),
        g.silencedUntil && g.silencedUntil > now
          ? button(t(locale, 'alert.button.unsilence'), ALERT_ACTIONS.unsilence, g.id)
          : button(t(locale, 'alert.button.silence'), ALERT_ACTIONS.silence, g.id),
        button(t(locale, 'alert.button.incident'), ALERT_ACTIONS.declareIncident, g.id, 'danger'),
        button(t(locale, 'alert.button.ticket'), ALERT_ACTIONS.fileTicket, g.id),
      ],
    });
  return { text, blocks };
}

/** A change of state, as the line in the group's thread. */
export type AlertGroupChange =
  | { kind: 'resolved'; count: number; at: Date }
  | { kind: 'refired'; count: number; at: Date }
  /** Someone pressed a button: acknowledged, resolved by hand, silenced (until `until`). */
  | { kind: 'acknowledged' | 'resolved_by_hand'; by: string; at: Date }
  | { kind: 'silenced'; by: string; at: Date; until: Date; matchers: string }
  /**
   * Unsilenced by `by`; `still`: another silence in force holds the group, which now shows it (the
   * line says so rather than a bare "Unsilenced" under a message that still shows a silence).
   */
  | { kind: 'unsilenced'; by: string; at: Date; still?: StillSilenced }
  /** A silence's time ran out (services/alerts/silence-groups.ts); `still` as for unsilenced. */
  | { kind: 'silence_ended'; at: Date; matchers: string; still?: StillSilenced };

/** The silence a group shows after the one it showed ended: who made it, until when. */
export interface StillSilenced {
  by: string;
  until: Date;
}

export function alertGroupThreadLine(
  change: AlertGroupChange,
  locale: Locale,
  tz: string,
  now: Date,
): Message {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const params: Params =
    change.kind === 'resolved' || change.kind === 'refired'
      ? { count: change.count, at: at(change.at) }
      : change.kind === 'silenced'
        ? { user: change.by, at: at(change.at), until: at(change.until), matchers: escaped(change.matchers) }
        : change.kind === 'silence_ended'
          ? { at: at(change.at), matchers: escaped(change.matchers) }
          : { user: change.by, at: at(change.at) };
  const still = (change.kind === 'unsilenced' || change.kind === 'silence_ended') && change.still;
  const text = still
    ? t(locale, `alert.thread.${change.kind}_still`, {
        ...params,
        still_user: still.by,
        still_until: at(still.until),
      })
    : t(locale, `alert.thread.${change.kind}`, params);
  return { text, blocks: [section(text)] };
}

/**
 * A sender's URL as the target of a mrkdwn link `<url|label>`, or undefined when it is not an
 * http(s) URL. The URL is re-serialized (WHATWG URL: `<`, `>`, spaces and quotes percent-encoded),
 * `|` is percent-encoded (it would end the target and start the label) and `&` written `&amp;`
 * (https://api.slack.com/reference/surfaces/formatting#escaping). Without this a runbook URL
 * ending `><!channel>` notified the whole channel (an outside test).
 */
export function linkTarget(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '%7C');
}

// What the alert group's buttons and /alerts answer: the Silence modal (1h / 4h / 24h / custom and
// a comment), the presser's replies when a press changed nothing, "coming soon" for Declare
// incident and File ticket, and /alerts' list, show and silence replies. Pure.
import type { Reply } from '../core/command.ts';
import type { FieldErrors, FieldValues, Modal } from '../core/modal.ts';
import type { ActionGroupRow, GroupAlertRow } from '../db/alert-actions.ts';
import type { SilenceRow } from '../db/alert-silences.ts';
import { parseDuration } from '../domain/duration.ts';
import { formatMatchers } from '../domain/silence.ts';
import { t, type Locale } from '../i18n/index.ts';
import { SEVERITY_EMOJI, RESOLVED_EMOJI } from './alert-group.ts';
import { context, section, sections, textReply } from './common.ts';
import { escaped } from './investigation.ts';
import { truncate } from './limits.ts';
import { formatInstant } from './time.ts';

/** The Silence modal's callback id (handlers/alert-silence.ts) and field ids. */
export const SILENCE_CALLBACK_ID = 'alert.silence';
export const SILENCE_FIELDS = { duration: 'duration', custom: 'custom', comment: 'comment' } as const;
/** The duration choices; `custom` reads the text field (domain/duration.ts). */
export const SILENCE_CHOICES = ['1h', '4h', '24h', 'custom'] as const;
export const SILENCE_COMMENT_MAX = 500;

export function silenceModal(g: Pick<ActionGroupRow, 'id' | 'title'>, locale: Locale): Modal {
  return {
    callbackId: SILENCE_CALLBACK_ID,
    title: t(locale, 'alerts.silence_modal.title'),
    submit: t(locale, 'alerts.silence_modal.submit'),
    close: t(locale, 'alerts.silence_modal.close'),
    intro: escaped(truncate(`#${g.id} ${g.title}`, 1_500)),
    privateMetadata: JSON.stringify({ group: g.id }),
    fields: [
      {
        id: SILENCE_FIELDS.duration,
        label: t(locale, 'alerts.silence_modal.duration'),
        kind: 'select',
        initial: '1h',
        options: SILENCE_CHOICES.map((c) => ({
          value: c,
          label: t(locale, `alerts.silence_modal.choice.${c}`),
        })),
      },
      {
        id: SILENCE_FIELDS.custom,
        label: t(locale, 'alerts.silence_modal.custom'),
        kind: 'text',
        optional: true,
        hint: t(locale, 'alerts.silence_modal.custom_hint'),
        maxLength: 40,
      },
      {
        id: SILENCE_FIELDS.comment,
        label: t(locale, 'alerts.silence_modal.comment'),
        kind: 'multiline',
        optional: true,
        maxLength: SILENCE_COMMENT_MAX,
      },
    ],
  };
}

/** The group id the Silence modal's private_metadata names, or undefined (it came from outside). */
export function groupOfMetadata(privateMetadata: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(privateMetadata ?? '') as { group?: unknown } | null)?.group;
    return typeof id === 'string' && /^[1-9]\d{0,17}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The modal's duration in ms, or the field errors saying what is wrong. */
export function silenceDurationOf(values: FieldValues, locale: Locale): number | FieldErrors {
  const choice = values[SILENCE_FIELDS.duration] ?? '1h';
  if (!(SILENCE_CHOICES as readonly string[]).includes(choice))
    return { [SILENCE_FIELDS.duration]: t(locale, 'alerts.silence_modal.pick') };
  const custom = values[SILENCE_FIELDS.custom]?.trim();
  if (choice !== 'custom') return parseDuration(choice) as number;
  if (!custom) return { [SILENCE_FIELDS.custom]: t(locale, 'alerts.silence_modal.custom_missing') };
  const ms = parseDuration(custom);
  if (typeof ms === 'number') return ms;
  return { [SILENCE_FIELDS.custom]: t(locale, `silence.duration_${ms}`, { value: custom }) };
}

/** Why a press changed nothing: who acknowledged it, or that it is resolved. */
export function unchangedReply(g: ActionGroupRow, locale: Locale, tz: string, now: Date): Reply {
  if (g.state === 'resolved')
    return textReply(
      g.resolved_by
        ? t(locale, 'alerts.already_resolved_by', { id: g.id, user: g.resolved_by })
        : t(locale, 'alerts.already_resolved', { id: g.id }),
    );
  if (g.acknowledged_by && g.acknowledged_at)
    return textReply(
      t(locale, 'alerts.already_acknowledged', {
        id: g.id,
        user: g.acknowledged_by,
        at: formatInstant(g.acknowledged_at, tz, locale, now),
      }),
    );
  return textReply(t(locale, 'alerts.unchanged', { id: g.id }));
}

export function comingSoonReply(feature: 'incident' | 'ticket', locale: Locale): Reply {
  return textReply(t(locale, `alerts.coming_soon.${feature}`));
}

function emojiOf(g: Pick<ActionGroupRow, 'state' | 'severity'>): string {
  return g.state === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[g.severity];
}

/** One group as a line of /alerts: id, emoji, title, counts and its state. */
function groupLine(g: ActionGroupRow, locale: Locale, tz: string, now: Date): string {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const state = [
    g.acknowledged_by && g.acknowledged_at
      ? t(locale, 'alerts.list.acked', { user: g.acknowledged_by, at: at(g.acknowledged_at) })
      : t(locale, 'alerts.list.unacked'),
  ];
  if (g.silenced_until && g.silenced_until > now)
    state.push(
      g.silenced_by
        ? t(locale, 'alerts.list.silenced_by', { at: at(g.silenced_until), user: g.silenced_by })
        : t(locale, 'alerts.list.silenced', { at: at(g.silenced_until) }),
    );
  if (g.escalation_step > 0) state.push(t(locale, 'alert.escalation', { step: g.escalation_step }));
  if (!g.has_message && g.storm_id) state.push(t(locale, 'alerts.list.in_storm'));
  return `\`#${g.id}\` ${emojiOf(g)} *${escaped(truncate(g.title, 150))}* · ${t(locale, 'alert.counts', {
    firing: g.firing_count,
    resolved: g.resolved_count,
  })} · ${state.join(' · ')}`;
}

/** `/alerts [open|mine] [page]`: the open groups, newest first, LIST_PAGE a page. */
const LIST_PAGE = 20;

export function alertListReply(
  list: { rows: ActionGroupRow[]; total: number },
  which: 'open' | 'mine',
  locale: Locale,
  tz: string,
  now: Date,
  page = 1,
): Reply {
  const title = t(locale, `alerts.list.title_${which}`, { count: list.total });
  if (list.total === 0) return textReply(t(locale, `alerts.list.none_${which}`));
  const pages = Math.ceil(list.total / LIST_PAGE);
  if (list.rows.length === 0) return textReply(t(locale, 'alerts.list.past_last', { page, pages }));
  const lines = list.rows.map((g) => groupLine(g, locale, tz, now));
  const blocks = [section(`*${title}*`), ...sections(lines)];
  // Every group stays reachable: the page, and the command that shows the next one.
  if (pages > 1) {
    const from = (page - 1) * LIST_PAGE + 1;
    const where = { page, pages, from, to: from + list.rows.length - 1, total: list.total };
    const next =
      page < pages ? t(locale, 'alerts.list.next', { command: `/alerts ${which} ${page + 1}` }) : '';
    blocks.push(context(t(locale, 'alerts.list.page', where) + next));
  }
  return {
    visibility: 'ephemeral',
    message: { text: [title, ...lines].join('\n'), blocks },
    model: { which, total: list.total, groups: list.rows.map((g) => groupModel(g)) },
  };
}

function groupModel(g: ActionGroupRow) {
  return {
    id: g.id,
    state: g.state,
    severity: g.severity,
    title: g.title,
    firing: g.firing_count,
    resolved: g.resolved_count,
    acknowledgedBy: g.acknowledged_by,
    silencedUntil: g.silenced_until?.toISOString() ?? null,
    silencedBy: g.silenced_by ?? null,
    escalationStep: g.escalation_step,
  };
}

/** The timeline of a group, from its fields, oldest first. */
function timeline(g: ActionGroupRow, locale: Locale, tz: string, now: Date): string[] {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const events: [Date, string][] = [[g.opened_at, t(locale, 'alerts.show.opened', { at: at(g.opened_at) })]];
  if (g.acknowledged_by && g.acknowledged_at)
    events.push([
      g.acknowledged_at,
      t(locale, 'alerts.show.acked', { at: at(g.acknowledged_at), user: g.acknowledged_by }),
    ]);
  if (g.silenced_until)
    events.push([
      g.silenced_until,
      g.silenced_by
        ? t(locale, 'alerts.show.silenced_by', { at: at(g.silenced_until), user: g.silenced_by })
        : t(locale, 'alerts.show.silenced', { at: at(g.silenced_until) }),
    ]);
  if (g.resolved_at)
    events.push([
      g.resolved_at,
      g.resolved_by
        ? t(locale, 'alerts.show.resolved_by', { at: at(g.resolved_at), user: g.resolved_by })
        : t(locale, 'alerts.show.resolved', { at: at(g.resolved_at) }),
    ]);
  return events.sort((a, b) => a[0].getTime() - b[0].getTime()).map(([, line]) => `• ${line}`);
}

/** `/alerts show <id>`: the group, its alerts and its timeline. */
export function alertShowReply(
  g: ActionGroupRow,
  alerts: GroupAlertRow[],
  locale: Locale,
  tz: string,
  now: Date,
): Reply {
  const at = (d: Date) => formatInstant(d, tz, locale, now);
  const title = `#${g.id} ${emojiOf(g)} ${g.title}`;
  const head = [
    `*${escaped(truncate(title, 200))}*`,
    `${t(locale, `alert.severity.${g.severity}`)} · ${t(locale, `alert.state.${g.state}`)} · ${g.source} · ${t(locale, 'alert.counts', { firing: g.firing_count, resolved: g.resolved_count })}`,
    t(locale, 'alerts.show.escalation', { step: g.escalation_step, policy: g.policy ?? '-' }),
  ];
  const alertLines = alerts.map(
    (a) =>
      `• ${a.status === 'firing' ? SEVERITY_EMOJI[a.severity] : RESOLVED_EMOJI} ${escaped(truncate(a.title, 120))} · ${at(a.starts_at)}${a.ends_at && a.status === 'resolved' ? ` → ${at(a.ends_at)}` : ''} · \`${escaped(truncate(formatLabels(a.labels), 200))}\``,
  );
  const lines = [
    ...head,
    '',
    `*${t(locale, 'alerts.show.alerts', { count: g.firing_count + g.resolved_count })}*`,
    ...alertLines,
    '',
    `*${t(locale, 'alerts.show.timeline')}*`,
    ...timeline(g, locale, tz, now),
  ];
  return {
    visibility: 'ephemeral',
    message: { text: lines.join('\n'), blocks: sections(lines) },
    model: {
      ...groupModel(g),
      policy: g.policy,
      alerts: alerts.map((a) => ({
        fingerprint: a.fingerprint,
        status: a.status,
        title: a.title,
        labels: a.labels,
      })),
    },
  };
}

function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * `/alerts silence ...` done: which matchers, until when, where (Alertmanager or a local mute), and
 * on how many open groups' messages it shows (`fanOut`: when this request made it; `cap`: how many
 * one silence updates at once, services/alerts/silence-groups.ts FANOUT_CAP).
 */
export function silenceCreatedReply(
  s: SilenceRow,
  created: boolean,
  locale: Locale,
  tz: string,
  now: Date,
  fanOut?: { shown: number; matched: number; cap: number },
): Reply {
  const lines = [
    t(locale, created ? 'alerts.silence_created' : 'alerts.silence_exists', {
      id: s.id,
      matchers: escaped(formatMatchers(s.matchers)),
      until: formatInstant(s.endsAt, tz, locale, now),
      backend: t(locale, `alerts.backend.${s.backend}`),
    }),
  ];
  if (fanOut)
    lines.push(
      fanOut.matched > fanOut.shown
        ? t(locale, 'alerts.silence_shown_capped', { ...fanOut })
        : t(locale, 'alerts.silence_shown', { shown: fanOut.shown }),
    );
  return {
    ...textReply(lines.join('\n'), 'in_channel'),
    model: {
      silence: { ...s },
      ...(fanOut ? { groups: { shown: fanOut.shown, matched: fanOut.matched } } : {}),
    },
  };
}

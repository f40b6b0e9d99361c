// What escalation says (services/alerts/escalation.ts): the line in the alert group's thread that
// mentions a step's targets, the DM to each person it pages (one digest DM when a run pages a person
// for several groups), and the reminder of an acknowledged group; and for a storm (services/alerts/storm-escalation.ts) the line in its summary's thread and
// the DM, one per step for the whole storm. Pure: (what was resolved, locale) -> Message.
import type { Message } from '../core/command.ts';
import { SEVERITIES, type Severity } from '../domain/alert.ts';
import { t, type Locale } from '../i18n/index.ts';
import { section } from './common.ts';
import { SEVERITY_EMOJI } from './alert-group.ts';
import { escaped } from './investigation.ts';
import { truncate } from './limits.ts';

/** A step's target as it was reached: a person (a rotation's on-duty one, or a user), a user group, the channel. */
export type ReachedTarget =
  | { kind: 'user'; userId: string }
  | { kind: 'usergroup'; usergroupId: string }
  | { kind: 'channel' }
  | { kind: 'nobody'; rotation: string };

function mention(r: ReachedTarget, locale: Locale): string {
  switch (r.kind) {
    case 'user':
      return `<@${r.userId}>`;
    case 'usergroup':
      return `<!subteam^${r.usergroupId}>`;
    case 'channel':
      return '<!here>';
    case 'nobody':
      return t(locale, 'alert.escalate.nobody', { rotation: escaped(r.rotation) });
  }
}

const message = (text: string): Message => ({ text, blocks: [section(text)] });

/** The thread line of step `step` (1-based): every target mentioned. */
export function escalationThreadLine(
  step: number,
  reached: readonly ReachedTarget[],
  locale: Locale,
): Message {
  const targets = reached.map((r) => mention(r, locale)).join(' ');
  return message(t(locale, 'alert.escalate.step', { step, targets }));
}

/** The DM to a person paged by step `step`. */
export function escalationDm(step: number, title: string, channel: string, locale: Locale): Message {
  return message(t(locale, 'alert.escalate.dm', { step, title: escaped(truncate(title, 200)), channel }));
}

/** One page of a person in an escalation run, as the run's digest lists it. */
export interface PageLine {
  groupId: string;
  title: string;
  channel: string;
  severity: Severity;
  /** A step (1-based) of the group's policy, or a reminder of a group the person acknowledged. */
  what: { kind: 'step'; step: number } | { kind: 'reminder' };
}

/** Lines a digest lists; the rest are counted ("and N more"), so the DM stays short to read. */
export const DIGEST_LINES = 10;

/**
 * The one DM of a person paged by several groups in one escalation run: a header with the count,
 * the pages worst severity first (then the lowest group id), at most DIGEST_LINES lines, and a
 * pointer to /alerts for the rest.
 */
export function escalationDigestDm(pages: readonly PageLine[], locale: Locale): Message {
  const sorted = [...pages].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.groupId.length - b.groupId.length ||
      (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0),
  );
  const lines = sorted.slice(0, DIGEST_LINES).map((p) => {
    const vars = {
      emoji: SEVERITY_EMOJI[p.severity],
      id: p.groupId,
      title: escaped(truncate(p.title, 100)),
      channel: p.channel,
    };
    return p.what.kind === 'step'
      ? t(locale, 'alert.escalate.digest_step', { ...vars, step: p.what.step })
      : t(locale, 'alert.escalate.digest_reminder', vars);
  });
  const more = sorted.length - lines.length;
  if (more > 0) lines.push(t(locale, 'alert.escalate.digest_more', { count: more }));
  const header = t(locale, 'alert.escalate.digest', { count: pages.length });
  return { text: header, blocks: [section(header), section(lines.join('\n'))] };
}

/** The reminder of an acknowledged group: a thread line mentioning who acknowledged it, and their DM. */
export function acknowledgedReminder(
  user: string,
  title: string,
  channel: string,
  locale: Locale,
): { thread: Message; dm: Message } {
  return {
    thread: message(t(locale, 'alert.escalate.reminder', { user })),
    dm: message(t(locale, 'alert.escalate.reminder_dm', { title: escaped(truncate(title, 200)), channel })),
  };
}

/** What a storm's step says of the storm: its open unacknowledged groups and the worst of them. */
export interface StormPage {
  count: number;
  worst: { id: string; title: string; severity: Severity };
  channel: string;
}

/** The line of step `step` (1-based) in the storm summary's thread: the storm in one line, every target mentioned. */
export function stormEscalationThreadLine(
  step: number,
  page: StormPage,
  reached: readonly ReachedTarget[],
  locale: Locale,
): Message {
  return message(
    t(locale, 'alert.storm.escalate.step', {
      step,
      count: page.count,
      severity: t(locale, `alert.severity.${page.worst.severity}`),
      id: page.worst.id,
      title: escaped(truncate(page.worst.title, 200)),
      targets: reached.map((r) => mention(r, locale)).join(' '),
    }),
  );
}

/** The DM to a person paged by a storm's step `step`. */
export function stormEscalationDm(step: number, page: StormPage, locale: Locale): Message {
  return message(
    t(locale, 'alert.storm.escalate.dm', {
      step,
      count: page.count,
      severity: t(locale, `alert.severity.${page.worst.severity}`),
      title: escaped(truncate(page.worst.title, 200)),
      channel: page.channel,
    }),
  );
}

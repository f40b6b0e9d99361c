// What escalation says (services/alerts/escalation.ts): the line in the alert group's thread that
// mentions a step's targets, the DM to each person it pages (one digest DM when a run pages a person
// for several groups or storms), and the reminder of an acknowledged group; and for a storm
// (services/alerts/storm-escalation.ts) the line in its summary's thread and the DM, one per step
// for the whole storm. Pure: (what was resolved, locale) -> Message.
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

/**
 * How a thread line names target `r`. `hereWith`: the run already pinged the channel with `<!here>`
 * on that line (`#123`, or the storm), so this one says so instead of pinging it again.
 */
function mention(r: ReachedTarget, locale: Locale, hereWith?: string): string {
  if (r.kind === 'channel' && hereWith) return t(locale, 'alert.escalate.here_above', { where: hereWith });
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

/**
 * The thread line of step `step` (1-based): every target mentioned, except a `<!here>` the run
 * already sent in the channel (`hereWith` names the line that carries it: mention()).
 */
export function escalationThreadLine(
  step: number,
  reached: readonly ReachedTarget[],
  locale: Locale,
  hereWith?: string,
): Message {
  const targets = reached.map((r) => mention(r, locale, hereWith)).join(' ');
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
  /**
   * A step (1-based) of the group's policy, a reminder of a group the person acknowledged, or a
   * step of a storm (then the line's group is the storm's worst pending group, `count` how many
   * pending groups the storm has, the channel the storm's).
   */
  what:
    | { kind: 'step'; step: number }
    | { kind: 'reminder' }
    | { kind: 'storm'; stormId: string; step: number; count: number };
}

/** Lines a digest lists; the rest are counted ("and N more"), so the DM stays short to read. */
export const DIGEST_LINES = 10;

/**
 * The one DM of a person paged by several groups and storms in one escalation run: a header with
 * the count, the storms first (each stands for many groups, so none hides in "and N more"), then
 * the pages worst severity first (then the lowest group id), at most DIGEST_LINES lines, and a
 * pointer to /alerts for the rest.
 */
export function escalationDigestDm(pages: readonly PageLine[], locale: Locale): Message {
  const isStorm = (p: PageLine) => (p.what.kind === 'storm' ? 0 : 1);
  const sorted = [...pages].sort(
    (a, b) =>
      isStorm(a) - isStorm(b) ||
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
    switch (p.what.kind) {
      case 'step':
        return t(locale, 'alert.escalate.digest_step', { ...vars, step: p.what.step });
      case 'reminder':
        return t(locale, 'alert.escalate.digest_reminder', vars);
      case 'storm':
        return t(locale, 'alert.escalate.digest_storm', {
          ...vars,
          step: p.what.step,
          count: p.what.count,
        });
    }
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

/**
 * The line of step `step` (1-based) in the storm summary's thread: the storm in one line, every
 * target mentioned, except a `<!here>` the run already sent in the channel (`hereWith`: mention()).
 */
export function stormEscalationThreadLine(
  step: number,
  page: StormPage,
  reached: readonly ReachedTarget[],
  locale: Locale,
  hereWith?: string,
): Message {
  return message(
    t(locale, 'alert.storm.escalate.step', {
      step,
      count: page.count,
      severity: t(locale, `alert.severity.${page.worst.severity}`),
      id: page.worst.id,
      title: escaped(truncate(page.worst.title, 200)),
      targets: reached.map((r) => mention(r, locale, hereWith)).join(' '),
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

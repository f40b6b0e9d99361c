// What escalation says (services/alerts/escalation.ts): the line in the alert group's thread that
// mentions a step's targets, the DM to each person it pages, and the reminder of an acknowledged
// group. Pure: (what was resolved, locale) -> Message.
import type { Message } from '../core/command.ts';
import { t, type Locale } from '../i18n/index.ts';
import { section } from './common.ts';
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

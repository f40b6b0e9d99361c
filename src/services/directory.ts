// Who belongs to a Slack user group, and a user's language. Slack answers in Slack modes
// (read-only calls, cached); in console mode the demo directory answers.
import type { Locale } from '../i18n/index.ts';

export interface Directory {
  /** Members of a Slack user group (S...). */
  groupMembers(groupId: string): Promise<string[]>;
  /** The user's Slack locale, when known. */
  userLocale(userId: string): Promise<Locale | undefined>;
}

/** A fixed directory: console mode's demo people and tests. */
export function staticDirectory(
  groups: Record<string, string[]>,
  locales: Record<string, Locale> = {},
): Directory {
  return {
    groupMembers: async (id) => groups[id] ?? [],
    userLocale: async (id) => locales[id],
  };
}

// Who belongs to a Slack user group, a user's language and name. Slack answers in Slack modes
// (read-only calls, cached); in console mode the demo directory answers.
import type { Locale } from '../i18n/index.ts';

export interface Directory {
  /** Members of a Slack user group (S...). */
  groupMembers(groupId: string): Promise<string[]>;
  /** The user's Slack locale, when known. */
  userLocale(userId: string): Promise<Locale | undefined>;
  /** The name people see for the user (Slack's display name, else real name), when known. */
  userName(userId: string): Promise<string | undefined>;
  /**
   * Whether the workspace has this user, not deactivated (an override's person must be one).
   * Rejects when the directory cannot tell (Slack down): the caller refuses rather than guesses.
   */
  userExists(userId: string): Promise<boolean>;
}

/**
 * A fixed directory: console mode's demo people and tests. Its users are `users` when given, else
 * everyone it has a locale or a name for or a group holds.
 */
export function staticDirectory(
  groups: Record<string, string[]>,
  locales: Record<string, Locale> = {},
  names: Record<string, string> = {},
  users?: readonly string[],
): Directory {
  const known = new Set(
    users ?? [...Object.keys(locales), ...Object.keys(names), ...Object.values(groups).flat()],
  );
  return {
    groupMembers: async (id) => groups[id] ?? [],
    userLocale: async (id) => locales[id],
    userName: async (id) => names[id],
    userExists: async (id) => known.has(id),
  };
}

// The Slack-backed Directory: user-group members, user locales and names, read with the bot token
// and cached for a few minutes (these are reads; writes go through the outbox). One users.info per
// user answers both the locale and the name.
import type { WebClient } from '@slack/web-api';
import { localeFrom, type Locale } from '../../i18n/index.ts';
import type { Directory } from '../../services/directory.ts';

const TTL_MS = 5 * 60_000;

function cached<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = load(key);
    entries.set(key, { at: Date.now(), value });
    // A failed lookup is not cached: the next call asks Slack again.
    value.catch(() => entries.delete(key));
    return value;
  };
}

export function slackDirectory(client: WebClient): Directory {
  const info = cached(async (user) => (await client.users.info({ user, include_locale: true })).user);
  return {
    groupMembers: cached(
      async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
    ),
    userLocale: async (user): Promise<Locale | undefined> => {
      const u = await info(user);
      return u?.locale ? localeFrom(u.locale, 'ja') : undefined;
    },
    userName: async (user) => {
      const u = await info(user);
      // What Slack shows: the display name when set, else the real name, else the handle.
      return u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || undefined;
    },
    userExists: async (user): Promise<boolean> => {
      try {
        const u = await info(user);
        return Boolean(u) && !u?.deleted;
      } catch (err) {
        // users.info answers user_not_found for an id the workspace does not have.
        if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return false;
        throw err;
      }
    },
  };
}

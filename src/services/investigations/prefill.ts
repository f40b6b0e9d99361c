// The question a message shortcut pre-fills: the message's text with Slack's markup (<@U…>, <#C…|…>,
// <url|label>) made readable, since the question is plain text and the post would show it literally.
// Names come from the directory (Slack's users.info, cached), within a short budget: the shortcut's
// modal must open inside its trigger_id's 3 seconds, so a name not known in time stays @U….
import type { AppContext } from '../../core/context.ts';
import { within } from '../budget.ts';
import { readableMarkup } from '../../views/render-text.ts';

/** How long the names of the people mentioned may take to look up, in milliseconds. */
export const NAME_BUDGET_MS = 300;
/** At most this many distinct people are looked up (one users.info each when not cached). */
const MAX_NAMES = 20;

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;

/** `text` (as typed, MessageRef.text) with its markup readable; never throws (a lookup failing keeps @U…). */
export async function questionFromMessage(
  ctx: Pick<AppContext, 'directory' | 'log'>,
  text: string,
): Promise<string> {
  const ids = [...new Set([...text.matchAll(MENTION)].map((m) => m[1]!))].slice(0, MAX_NAMES);
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const lookups = Promise.all(
      ids.map(async (id) => {
        try {
          const name = await ctx.directory.userName(id);
          if (name) names.set(id, name);
        } catch (err) {
          ctx.log.debug({ err, user: id }, 'pre-fill: name not found, kept as the id');
        }
      }),
    );
    await within(lookups, NAME_BUDGET_MS);
  }
  // A copy: a lookup answering after the budget does not change the text being built.
  const known = new Map(names);
  return readableMarkup(text, (id) => known.get(id));
}

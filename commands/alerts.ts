// /alerts — the alert groups, for the people on call:
//   [open] [page]                    open groups, newest first, with their state (acknowledged, silenced, step),
//                                    20 a page (every group stays reachable, storm-folded ones too)
//   mine [page]                      open groups I acknowledged
//   show <id>                        one group: its alerts, its timeline, its escalation step
//   silence <matcher...> <duration>  a silence (Alertmanager with ALERTMANAGER_URL, else a local mute),
//                                    shown on the open groups it holds (and the reply says on how many)
//
// Permission: everyone may read; `silence` is for members of a rotation and admins
// (services/alerts/actions.ts maySilence).
import type { Invocation, Reply, SlashCommand } from '../src/core/command.ts';
import type { AppContext } from '../src/core/context.ts';
import { usageError } from '../src/core/errors.ts';
import { readCommandText, type Word } from '../src/domain/command-text.ts';
import { groupIdOf, listGroups, showGroup, silenceByCommand } from '../src/services/alerts/actions.ts';
import { FANOUT_CAP } from '../src/services/alerts/silence-groups.ts';
import { readSilenceArgs } from '../src/services/alerts/silences.ts';
import { alertListReply, alertShowReply, silenceCreatedReply } from '../src/views/alert-actions.ts';

const NAME = '/alerts';

export const alerts: SlashCommand = {
  name: NAME,
  helpKey: 'alerts.help',
  async run(inv, ctx) {
    const words = readCommandText(inv.text).words;
    // `/alerts 2`: the open list's page 2, as `[open] [page]` reads.
    const pageFirst = words[0] !== undefined && /^\d+$/.test(words[0].text);
    const first = pageFirst ? undefined : words[0];
    const args = pageFirst ? words : words.slice(1);
    const tz = ctx.config.timezone;
    switch (first?.keyword ?? 'open') {
      case 'open':
      case 'mine': {
        const [pageWord, ...rest] = args;
        noExtra(rest);
        const page = pageWord ? pageOf(pageWord) : 1;
        const which = first?.keyword === 'mine' ? 'mine' : 'open';
        return alertListReply(
          await listGroups(ctx, which, inv.userId, page),
          which,
          inv.locale,
          tz,
          ctx.clock.now(),
          page,
        );
      }
      case 'show':
        return show(args, inv, ctx);
      case 'silence':
        return silence(args, inv, ctx);
      default:
        throw usageError(NAME, 'alerts.usage.bad_subcommand', { value: first!.raw });
    }
  },
};

/** A page number: 1 to 10,000. */
function pageOf(word: Word): number {
  const n = /^[1-9][0-9]{0,4}$/.test(word.text) ? Number(word.text) : NaN;
  if (!(n >= 1 && n <= 10_000)) throw usageError(NAME, 'alerts.usage.page', { value: word.raw });
  return n;
}

function noExtra(words: readonly Word[]): void {
  if (words.length > 0)
    throw usageError(NAME, 'alerts.usage.extra', { value: words.map((w) => w.raw).join(' ') });
}

/** `show <id>` (`12` or `#12`) */
async function show(words: readonly Word[], inv: Invocation, ctx: AppContext): Promise<Reply> {
  if (words.length !== 1) throw usageError(NAME, 'alerts.usage.show');
  const { group, alerts: list } = await showGroup(ctx, groupIdOf(words[0]!.text));
  return alertShowReply(group, list, inv.locale, ctx.config.timezone, ctx.clock.now());
}

/** `silence <matcher...> <duration>` */
async function silence(words: readonly Word[], inv: Invocation, ctx: AppContext): Promise<Reply> {
  const args = readSilenceArgs(words.map((w) => w.raw));
  const {
    silence: s,
    created,
    groups,
  } = await silenceByCommand(ctx, {
    ...args,
    by: inv.userId,
    ...(inv.key ? { key: inv.key } : {}),
  });
  const fanOut = groups
    ? { shown: groups.shown.length, matched: groups.matched, cap: FANOUT_CAP }
    : undefined;
  return silenceCreatedReply(s, created, inv.locale, ctx.config.timezone, ctx.clock.now(), fanOut);
}

// /oncall — who is on duty now; `/oncall <rotation>` its next shifts; `override` and `cover` change
// who holds a period (times in the business time zone: YYYY-MM-DD HH:MM or MM-DD HH:MM, the start
// also `now`); `report <YYYY-MM> [rotation]` hours on duty in a month; `calendar [rotation]` the
// person's secret calendar feed URL.
import type { Invocation, SlashCommand } from '../src/core/command.ts';
import type { AppContext } from '../src/core/context.ts';
import { usageError } from '../src/core/errors.ts';
import { readCommandText } from '../src/domain/command-text.ts';
import { parseMonth } from '../src/domain/duty-hours.ts';
import { readPeriodAtEnd } from '../src/domain/override-time.ts';
import { matchRotation, type Rotation } from '../src/domain/rotation.ts';
import { issueFeedLink } from '../src/services/rotations/calendar.ts';
import { requestCover } from '../src/services/rotations/cover.ts';
import { setOverride } from '../src/services/rotations/overrides.ts';
import { hoursReport } from '../src/services/rotations/report.ts';
import { onDutyNow, upcoming } from '../src/services/rotations/resolver.ts';
import { oncallNowView, oncallUpcomingView } from '../src/views/oncall.ts';
import { coverPostedView, feedLinkView, overrideSetView } from '../src/views/rotations.ts';
import { hoursReportView } from '../src/views/rotations/hours-report.ts';

/** A user as Slack sends it with escaping on (<@U123|name>), or an id typed in the console (@U123). */
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^@([UW][A-Z0-9]+)$/;

export const oncall: SlashCommand = {
  name: '/oncall',
  helpKey: 'oncall.help',
  async run(inv, ctx) {
    const text = readCommandText(inv.text);
    const first = text.words[0];
    if (!first) return oncallNowView(await onDutyNow(ctx), inv.locale, ctx.config.timezone, ctx.clock.now());
    const words = text.words.slice(1).map((w) => w.raw);
    if (first.keyword === 'override') return override(words, inv, ctx);
    if (first.keyword === 'cover') return cover(words, inv, ctx);
    if (first.keyword === 'report') return report(words, inv, ctx);
    if (first.keyword === 'calendar') return calendar(words, inv, ctx);
    // The rest is a rotation's id or display name, which may hold spaces ("Primary on-call").
    const rotation = findRotation(ctx, text.rest(0));
    return oncallUpcomingView(
      await upcoming(ctx, rotation, 5),
      inv.locale,
      ctx.config.timezone,
      ctx.clock.now(),
    );
  },
};

/** `override <rotation> @user <from> <to>` */
async function override(words: string[], inv: Invocation, ctx: AppContext) {
  const at = words.findIndex((w) => MENTION.test(w.normalize('NFKC')));
  if (at < 1) throw usageError('/oncall', 'rotations.override_usage');
  const m = MENTION.exec(words[at]!.normalize('NFKC'))!;
  const { before, period } = periodAtEnd(words.slice(at + 1), ctx, 'rotations.override_usage');
  if (before.length > 0) throw usageError('/oncall', 'rotations.override_usage');
  const rotation = findRotation(ctx, words.slice(0, at).join(' '));
  const { override: o, created } = await setOverride(ctx, {
    rotation,
    userId: (m[1] ?? m[2])!,
    ...period,
    by: inv.userId,
    ...(inv.key ? { key: inv.key } : {}),
  });
  return overrideSetView(o, rotation.name, created, inv.locale, ctx.config.timezone, ctx.clock.now());
}

/** `cover <rotation> <from> <to>` */
async function cover(words: string[], inv: Invocation, ctx: AppContext) {
  const { before, period } = periodAtEnd(words, ctx, 'rotations.cover_usage');
  if (before.length === 0) throw usageError('/oncall', 'rotations.cover_usage');
  const rotation = findRotation(ctx, before.join(' '));
  const { request, channel } = await requestCover(ctx, {
    rotation,
    ...period,
    by: inv.userId,
    ...(inv.key ? { key: inv.key } : {}),
  });
  return coverPostedView(request, channel, inv.locale, ctx.config.timezone, ctx.clock.now());
}

/** `report <YYYY-MM> [rotation]` */
async function report(words: string[], inv: Invocation, ctx: AppContext) {
  const month = words[0] === undefined ? undefined : parseMonth(words[0]);
  if (!month) throw usageError('/oncall', 'rotations.report_usage');
  const named = words.slice(1).join(' ');
  const rotations = named ? [findRotation(ctx, named)] : ctx.config.rotations;
  return hoursReportView(await hoursReport(ctx, month, rotations), inv.locale);
}

/** `calendar [rotation]`: a new secret feed URL, answered to the person alone. */
async function calendar(words: string[], inv: Invocation, ctx: AppContext) {
  const named = words.join(' ');
  const rotation = named ? findRotation(ctx, named) : undefined;
  const link = await issueFeedLink(ctx, inv.userId, rotation);
  return feedLinkView(link, rotation?.name, inv.locale);
}

/** The period the words end with, and the words before it; a usage error when there is none. */
function periodAtEnd(
  words: string[],
  ctx: AppContext,
  usageKey: string,
): { before: string[]; period: { start: Date; end: Date } } {
  const { period, taken } = readPeriodAtEnd(words, ctx.config.timezone, ctx.clock.now());
  if ('error' in period && period.error === 'bad_time')
    throw usageError('/oncall', 'rotations.bad_time', { text: period.text, zone: ctx.config.timezone });
  if ('error' in period) throw usageError('/oncall', usageKey);
  return { before: words.slice(0, words.length - taken), period };
}

function findRotation(ctx: AppContext, named: string): Rotation {
  const match = matchRotation(ctx.config.rotations, named);
  if (match.kind === 'ambiguous')
    throw usageError('/oncall', 'oncall.ambiguous_rotation', {
      rotation: named,
      candidates: match.candidates.map((r) => `\`${r.id}\` (${r.name})`).join(', '),
    });
  if (match.kind === 'unknown')
    throw usageError('/oncall', 'oncall.unknown_rotation', { rotation: named, known: known(ctx) });
  return match.rotation;
}

function known(ctx: { config: { rotations: readonly { id: string }[] } }): string {
  return ctx.config.rotations.map((r) => `\`${r.id}\``).join(', ') || '-';
}

// What people do to an alert group from its message's buttons: Acknowledge, Resolve, Silence and
// Unsilence (issue 9 items 5 and 7). Each change is made once (src/db/alert-actions.ts: one UPDATE
// whose WHERE is the rule, so a double or concurrent click matches nothing the second time), moves
// the group's `version` once, and in the same transaction writes one slack.update of the message
// keyed by that version and one line in its thread: a retry of the same request writes nothing twice.
//
// Who may silence (the button, and /alerts silence): a member of any rotation in toban.yml, or an
// admin (permissions.admins) — the people who carry the pager, as PagerDuty and Opsgenie allow
// responders and admins. Everyone else may acknowledge, resolve and read.
import { showGroupChange } from './group-change.ts';
import type { AppContext } from '../../core/context.ts';
import { PermissionError, UserError } from '../../core/errors.ts';
import {
  alertLabelsOf,
  alertsOfGroup,
  groupById,
  openGroups as openGroupList,
  markAcknowledged,
  markResolvedByHand,
  markSilenced,
  type ActionGroupRow,
} from '../../db/alert-actions.ts';
import { giveUpSilence } from '../../db/alert-silence-groups.ts';
import { silenceByKey } from '../../db/alert-silences.ts';
import { audit } from '../../db/audit.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import { groupSilenceMatchers } from '../../domain/alert-silence-matchers.ts';
import { formatMatchers } from '../../domain/silence.ts';
import { isAdmin } from '../permissions.ts';
import { silenceFor, silencesNow } from './silence-groups.ts';
import { checkSilenceRequest, makeSilence, silence, unsilence, type SilenceRequest } from './silences.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory'>;

/** What a button did: the group as it is now, and whether this request changed it. */
export interface GroupActionOutcome {
  group: ActionGroupRow;
  changed: boolean;
}

/** The group id a button's value or a command names: a positive integer of at most 18 digits. */
export function groupIdOf(value: string | undefined): string {
  const v = (value ?? '').trim().replace(/^#/, '');
  if (!/^[1-9]\d{0,17}$/.test(v)) throw new UserError('alerts.not_found', { id: value ?? '' });
  return v;
}

async function existing(db: Queryable, id: string): Promise<ActionGroupRow> {
  const g = await groupById(db, id);
  if (!g) throw new UserError('alerts.not_found', { id });
  return g;
}

/** The audit row of a change (last in its transaction: the log is one chain). */
function audited(tx: Queryable, action: string, by: string, g: ActionGroupRow, key?: string) {
  return audit(tx, {
    actor: by,
    action,
    args: { id: g.id, version: g.version },
    outcome: 'changed',
    ...(key ? { requestKey: key } : {}),
  });
}

/**
 * One change of group `id` made once: `mark` changes the row under its rule (undefined when the
 * rule refuses: a second press, a resolved group), then the message shows it and the audit log has it.
 */
function changeGroup(
  ctx: Ctx,
  id: string,
  by: string,
  key: string | undefined,
  how: {
    mark: (tx: Queryable, at: Date) => Promise<ActionGroupRow | undefined>;
    kind: 'acknowledged' | 'resolved_by_hand';
    action: string;
  },
): Promise<GroupActionOutcome> {
  return withTransaction(ctx.pool, async (tx) => {
    const at = ctx.clock.now();
    const g = await how.mark(tx, at);
    if (!g) return { group: await existing(tx, id), changed: false };
    await showGroupChange(tx, ctx, g, { kind: how.kind, by, at }, ctx.clock.now());
    await audited(tx, how.action, by, g, key);
    return { group: g, changed: true };
  });
}

/** Acknowledges open group `id` once; a later press (or one on a resolved group) changes nothing. */
export function acknowledgeGroup(
  ctx: Ctx,
  id: string,
  by: string,
  key?: string,
): Promise<GroupActionOutcome> {
  return changeGroup(ctx, id, by, key, {
    mark: (tx, at) => markAcknowledged(tx, id, by, at),
    kind: 'acknowledged',
    action: 'alerts.acknowledge',
  });
}

/** Resolves open group `id` by hand (and its firing alerts); a resolved group is left as it is. */
export function resolveGroup(ctx: Ctx, id: string, by: string, key?: string): Promise<GroupActionOutcome> {
  return changeGroup(ctx, id, by, key, {
    mark: (tx, at) => markResolvedByHand(tx, id, by, at),
    kind: 'resolved_by_hand',
    action: 'alerts.resolve',
  });
}

/** Whether `userId` may silence: a member of a rotation, or an admin. */
export async function maySilence(
  ctx: Pick<AppContext, 'config' | 'directory'>,
  userId: string,
): Promise<boolean> {
  if (ctx.config.rotations.some((r) => r.members.includes(userId))) return true;
  return isAdmin(ctx.config, ctx.directory, userId);
}

/** @throws PermissionError 'alerts.silence_forbidden' for anyone maySilence refuses. */
export async function checkMaySilence(
  ctx: Pick<AppContext, 'config' | 'directory'>,
  userId: string,
): Promise<void> {
  if (!(await maySilence(ctx, userId))) throw new PermissionError('alerts.silence_forbidden', {});
}

/** Group `id` for its Silence modal, after checking the presser may silence. @throws UserError, PermissionError. */
export async function groupToSilence(ctx: Ctx, id: string, by: string): Promise<ActionGroupRow> {
  await checkMaySilence(ctx, by);
  return existing(ctx.pool, id);
}

/** The group's Silence request: how long, why, who, and the submission's key. */
export interface GroupSilenceRequest {
  id: string;
  durationMs: number;
  by: string;
  comment?: string;
  key?: string;
}

/**
 * What a Silence submission did. `already`: the group showed a silence in force when it came (a
 * concurrent or earlier submission, `/alerts silence`), so none was made; the presser is told who
 * silenced it until when.
 */
export interface GroupSilenceOutcome extends GroupActionOutcome {
  already?: { by: string; until: Date };
}

/**
 * Silences what group `id` holds (matchers: domain/alert-silence-matchers.ts) through silences.ts
 * (Alertmanager with ALERTMANAGER_URL, else a local mute), records it on the group and shows it, in
 * ONE transaction that holds the group's row lock from the start: concurrent submissions for one
 * group take turns, and each later one finds the group silenced and makes nothing (`already`), so
 * five people submitting together make one silence and one thread line (docs/alerts/buttons.md).
 * The same request key returns the silence it made.
 * @throws UserError 'alerts.not_found', 'alerts.not_open', 'alerts.no_labels', the UserErrors of
 *   checkSilenceRequest; PermissionError.
 */
export async function silenceGroup(ctx: Ctx, req: GroupSilenceRequest): Promise<GroupSilenceOutcome> {
  await checkMaySilence(ctx, req.by);
  return withTransaction(ctx.pool, async (tx) => {
    const before = await groupById(tx, req.id, true);
    if (!before) throw new UserError('alerts.not_found', { id: req.id });
    if (before.state !== 'open') throw new UserError('alerts.not_open', { id: req.id });
    if (req.key && (await silenceByKey(tx, req.key))) return { group: before, changed: false };
    const now = ctx.clock.now();
    if (before.silence_id && before.silenced_until && before.silenced_until > now)
      return {
        group: before,
        changed: false,
        already: { by: before.silenced_by ?? '', until: before.silenced_until },
      };
    const matchers = groupSilenceMatchers(before.source, before.group_key, await alertLabelsOf(tx, req.id));
    if (matchers.length === 0) throw new UserError('alerts.no_labels', { id: req.id });
    const silenceReq: SilenceRequest = {
      matchers,
      durationMs: req.durationMs,
      by: req.by,
      comment: req.comment ? `${req.comment} (toban #${req.id})` : `toban #${req.id}`,
      ...(req.key ? { key: req.key } : {}),
    };
    checkSilenceRequest(silenceReq);
    await makeSilence(tx, ctx, silenceReq, {
      skipLocked: true,
      beforeAudit: async (s) => {
        // Usually the fan-out has shown it on this group already (it holds the group's shared labels);
        // this covers a group past the fan-out's cap, folded into a storm, or whose own labels lack one.
        const g = await markSilenced(tx, req.id, s.id, s.endsAt, s.createdBy);
        if (g)
          await showGroupChange(
            tx,
            ctx,
            g,
            {
              kind: 'silenced',
              by: req.by,
              at: s.startsAt,
              until: s.endsAt,
              matchers: formatMatchers(s.matchers),
            },
            ctx.clock.now(),
          );
      },
    });
    return { group: await existing(tx, req.id), changed: true };
  });
}

/**
 * Expires the silence group `id` shows (silences.ts unsilence: made by its button, `/alerts silence`
 * or any other group's button; every group showing it shows its end). The group then shows the next
 * silence in force that holds it, if any, and its thread says it is still silenced (by whom, until
 * when) rather than a bare "Unsilenced".
 * @throws UserError 'alerts.not_found', 'alerts.not_silenced'; PermissionError.
 */
export async function unsilenceGroup(
  ctx: Ctx,
  id: string,
  by: string,
  key?: string,
): Promise<GroupActionOutcome> {
  await checkMaySilence(ctx, by);
  const before = await existing(ctx.pool, id);
  if (!before.silence_id) throw new UserError('alerts.not_silenced', { id });
  const { changed } = await unsilence(ctx, before.silence_id, by, key);
  return withTransaction(ctx.pool, async (tx) => {
    // unsilence() has shown the end on this group already unless it was past the fan-out's cap.
    const now = ctx.clock.now();
    const next = silenceFor(
      (await silencesNow(tx, now)).filter((s) => s.id !== before.silence_id),
      before,
    );
    const g = await giveUpSilence(tx, id, before.silence_id!, next);
    if (!g) return { group: await existing(tx, id), changed };
    await showGroupChange(
      tx,
      ctx,
      g,
      {
        kind: 'unsilenced',
        by,
        at: now,
        ...(next ? { still: { by: next.createdBy, until: next.endsAt } } : {}),
      },
      ctx.clock.now(),
    );
    return { group: g, changed: true };
  });
}

/** How many groups /alerts lists, and how many alerts /alerts show lists. */
export const LIST_LIMIT = 20;
export const SHOW_ALERTS_LIMIT = 20;

/** `/alerts [open|mine] [page]`: the open groups, or those `userId` acknowledged; page 1 is the newest LIST_LIMIT. */
export function listGroups(ctx: Pick<AppContext, 'pool'>, which: 'open' | 'mine', userId: string, page = 1) {
  return openGroupList(ctx.pool, LIST_LIMIT, which === 'mine' ? userId : undefined, (page - 1) * LIST_LIMIT);
}

/** `/alerts show <id>`: the group and its alerts. @throws UserError 'alerts.not_found'. */
export async function showGroup(ctx: Pick<AppContext, 'pool'>, id: string) {
  const group = await existing(ctx.pool, id);
  return { group, alerts: await alertsOfGroup(ctx.pool, id, SHOW_ALERTS_LIMIT) };
}

/**
 * `/alerts silence <matcher...> <duration>`, by a rotation member or an admin.
 * @throws PermissionError 'alerts.silence_forbidden'; the UserErrors of silence().
 */
export async function silenceByCommand(ctx: Ctx, req: SilenceRequest) {
  await checkMaySilence(ctx, req.by);
  return silence(ctx, req);
}

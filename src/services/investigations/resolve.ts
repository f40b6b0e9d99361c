// Resolving an investigation (the Resolve modal) and reopening it. Resolving stores the answer, its
// cause and ticket, ends a wait in progress, updates the post, writes the answer in its thread and
// DMs it to the requester in their language: once, however many resolves race (the row lock and the
// status check let the first one through; the others are told who answered). Anyone in the workspace
// may resolve. Reopening puts it back to open (assigned as before, to be taken up again); the answer it had is kept
// in the reopen event's detail. Only the requester, the resolver, the assignee or an admin may reopen.
import type { AppContext } from '../../core/context.ts';
import { PermissionError, UserError } from '../../core/errors.ts';
import { eventUnderKey, setReopened, setResolved } from '../../db/investigation-lifecycle.ts';
import {
  insertEvent,
  investigationById,
  lockInvestigation,
  type InvestigationRow,
} from '../../db/investigations.ts';
import { withTransaction } from '../../db/pool.ts';
import { formatInvestigationId, moveDueAt } from '../../domain/investigation.ts';
import { businessCalendar } from '../business-calendar.ts';
import type { FieldErrors, FieldValues } from '../../core/modal.ts';
import {
  RESOLVE_FIELDS,
  validateResolution,
  type Resolution,
  type ResolveResult,
} from '../../domain/investigation-resolution.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { isAdminOrNo } from '../permissions.ts';
import { resolvedDm } from '../../views/investigation-log.ts';
import { localeOf } from './take.ts';
import { enqueueChangeShown } from './thread.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport' | 'directory' | 'log'>;

export interface ResolveRequest {
  id: string;
  /** Who resolves it (Slack user id). */
  by: string;
  resolution: Resolution;
  /** The Slack request's key (the view submission's); absent in the console. */
  key?: string;
}

/**
 * What a resolve did: `resolved` true when this request resolved it (now or, under the same key,
 * before), false when someone else had resolved it first (`investigation` says who and how).
 */
export interface ResolveOutcome {
  investigation: InvestigationRow;
  resolved: boolean;
}

const notFound = (id: string) =>
  new UserError('investigation.error.not_found', { id: formatInvestigationId(id) });

/** @throws UserError investigation.error.not_found. */
export async function resolveInvestigation(ctx: Ctx, r: ResolveRequest): Promise<ResolveOutcome> {
  // Before the transaction: the requester's language (the directory may ask Slack).
  const before = await investigationById(ctx.pool, r.id);
  if (!before) throw notFound(r.id);
  const locale = await localeOf(ctx, before.requester);
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    if (!inv) throw notFound(r.id);
    if (inv.status === 'resolved') {
      // The same submission answered again (a retry after a crash) resolved it: it stands.
      const ours = r.key !== undefined && (await eventUnderKey(tx, inv.id, r.key));
      return { investigation: inv, resolved: ours };
    }
    const at = ctx.clock.now();
    const { answer, cause, ticket } = r.resolution;
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'resolved',
      detail: { from: inv.status, ...(ticket ? { ticket } : {}) },
      requestKey: r.key,
    });
    if (!event) return { investigation: inv, resolved: true };
    const now = await setResolved(tx, inv.id, {
      at,
      by: r.by,
      answer,
      cause: cause ?? null,
      ticket: ticket ?? null,
      // A wait in progress ends: its business time is counted and moves the due instant as Resume would.
      ...(inv.waitingSince
        ? { moved: moveDueAt(inv.dueAt, inv.waitingSince, at, businessCalendar(ctx)) }
        : {}),
    });
    await enqueueChangeShown(tx, ctx, now, event, { what: 'resolved', by: r.by }, at);
    await enqueue(
      tx,
      {
        kind: 'slack.dm',
        orderingKey: `dm:${now.requester}`,
        idempotencyKey: `investigation:${inv.id}:resolved:${event}`,
        payload: {
          user: now.requester,
          ...resolvedDm(now, inv.requester === before.requester ? locale : ctx.config.locale),
        },
      },
      ctx.outboxTransport,
    );
    return { investigation: now, resolved: true };
  });
}

/**
 * Whether `userId` may reopen `inv`: its requester, the person who resolved it, its assignee, or an
 * admin (services/permissions.ts). A directory that cannot answer whether they are an admin: no.
 */
async function mayReopen(ctx: Ctx, inv: InvestigationRow, userId: string): Promise<boolean> {
  if ([inv.requester, inv.resolvedBy, inv.assignee].includes(userId)) return true;
  return isAdminOrNo(ctx, userId, 'reopen');
}

/**
 * Reopens resolved investigation `r.id`: open again, assigned as before (to be taken up again), the answer,
 * cause, ticket and who resolved it when moved into the event's detail.
 * @returns it as it is now, or undefined when nothing changed (not resolved, the same press again).
 * @throws PermissionError investigation.error.reopen_refused for anyone else than mayReopen allows;
 *   UserError investigation.error.not_found.
 */
export async function reopenInvestigation(
  ctx: Ctx,
  r: { id: string; by: string; key?: string },
): Promise<InvestigationRow | undefined> {
  const before = await investigationById(ctx.pool, r.id);
  if (!before) throw notFound(r.id);
  if (before.status !== 'resolved') return undefined;
  // Before the lock: the admin check may ask Slack. Checked on the row as it was then; whoever may
  // reopen it then may still (only a resolve or reopen changes the resolver, and both need the lock).
  if (!(await mayReopen(ctx, before, r.by)))
    throw new PermissionError('investigation.error.reopen_refused', { id: formatInvestigationId(r.id) });
  return withTransaction(ctx.pool, async (tx) => {
    const inv = await lockInvestigation(tx, r.id);
    if (!inv) throw notFound(r.id);
    if (inv.status !== 'resolved') return undefined;
    const at = ctx.clock.now();
    const event = await insertEvent(tx, {
      investigationId: inv.id,
      at,
      actor: r.by,
      what: 'reopened',
      detail: {
        answer: inv.answer,
        cause: inv.cause,
        ticket: inv.ticket,
        resolvedAt: inv.resolvedAt?.toISOString() ?? null,
        resolvedBy: inv.resolvedBy,
      },
      requestKey: r.key,
    });
    if (!event) return undefined;
    // Open again: assigned as before, but nobody has taken it up again yet.
    const now = await setReopened(tx, inv.id, at, 'open');
    await enqueueChangeShown(tx, ctx, now, event, { what: 'reopened', by: r.by }, at);
    return now;
  });
}

/** The Resolve modal's values as the domain checks them. Read-only. */
export function checkResolution(values: FieldValues): ResolveResult {
  return validateResolution({
    answer: values[RESOLVE_FIELDS.answer],
    cause: values[RESOLVE_FIELDS.cause],
    ticket: values[RESOLVE_FIELDS.ticket],
  });
}

/** Field errors in `locale`, by field id; undefined when the resolution is valid. */
export function resolutionErrors(values: FieldValues, locale: Locale): FieldErrors | undefined {
  const result = checkResolution(values);
  if (result.ok) return undefined;
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(result.problems))
    if (problem) errors[field] = t(locale, problem.key, problem.params);
  return errors;
}

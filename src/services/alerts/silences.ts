// Silencing alerts: from an alert group's Silence button (1h / 4h / 24h / custom) or from
// `/alerts silence <matcher...> <duration>`, and unsilencing. With ALERTMANAGER_URL the silence is
// created in Alertmanager and expired there, through the outbox (alertmanager.silence-create and
// alertmanager.silence-expire, written in the same transaction as the silence row); without it the
// row is a local mute that toban applies itself (silence-groups.ts: the groups it holds show it and
// are not escalated; isMutedNow asks about one label set). Either way the row (migration 0410)
// is toban's record, its id is what Unsilence names, and every change is audited.
//
// Every silence is shown on the messages of the open groups it holds, in the transaction that makes
// it, and its end in the one that ends it (silence-groups.ts; the silence job shows the rest and the
// ends of silences whose time ran out).
//
// Repeats: a silence made under a request key (the click, the command invocation) is made once; the
// same key again returns the first. Unsilencing an expired silence changes nothing.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  alertmanagerIdOf,
  insertSilence,
  localMutes,
  markExpired,
  setCreateOutbox,
  silenceById,
  silenceByKey,
  type SilenceRow,
} from '../../db/alert-silences.ts';
import { audit } from '../../db/audit.ts';
import { withTransaction, type Queryable } from '../../db/pool.ts';
import { DURATION_BOUNDS, formatDuration } from '../../domain/duration.ts';
import {
  checkMatchers,
  formatMatchers,
  isMuted,
  parseSilenceArgs,
  type Matcher,
  type SilenceArgs,
  type SilenceArgsProblem,
} from '../../domain/silence.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { showSilenceEnded, showSilenceOnGroups, type FanOut } from './silence-groups.ts';

type Ctx = Pick<AppContext, 'pool' | 'config' | 'clock' | 'outboxTransport'>;

export type { SilenceRow } from '../../db/alert-silences.ts';

export interface SilenceRequest {
  matchers: Matcher[];
  /** How long from now (ms), within DURATION_BOUNDS. */
  durationMs: number;
  /** Who silences (a Slack user id, or the console's user). */
  by: string;
  comment?: string;
  /** The request that asks (a click's or a command's key): the same key makes one silence. */
  key?: string;
}

export interface SilenceOutcome {
  silence: SilenceRow;
  /** False when the key had made this silence already. */
  created: boolean;
  /** When created: the groups whose messages show it now, and how many open groups it holds. */
  groups?: FanOut;
}

/** The outbox ordering key of a silence's Alertmanager rows: its expire goes out after its create. */
function orderingKey(id: string): string {
  return `alert-silence:${id}`;
}

/** Whether silences go to Alertmanager (ALERTMANAGER_URL set) or stay local mutes. */
export function silenceBackend(ctx: Pick<AppContext, 'config'>): 'alertmanager' | 'local' {
  return ctx.config.env.alertmanagerUrl ? 'alertmanager' : 'local';
}

/**
 * Checks a silence request before anything is stored.
 * @throws UserError 'silence.matches_everything' (no matcher that an alert without labels fails),
 *   'silence.bad_duration' (outside DURATION_BOUNDS).
 */
export function checkSilenceRequest(req: Pick<SilenceRequest, 'matchers' | 'durationMs'>): void {
  const problem = req.matchers.length === 0 ? { code: 'no_matchers' as const } : checkMatchers(req.matchers);
  if (problem) throw silenceArgsError(problem);
  if (
    !Number.isInteger(req.durationMs) ||
    req.durationMs < DURATION_BOUNDS.minMs ||
    req.durationMs > DURATION_BOUNDS.maxMs
  )
    throw new UserError('silence.bad_duration', { value: String(req.durationMs) });
}

/**
 * Silences the alerts `req.matchers` match from now for `req.durationMs`.
 * @throws the UserErrors of checkSilenceRequest.
 */
export async function silence(ctx: Ctx, req: SilenceRequest): Promise<SilenceOutcome> {
  checkSilenceRequest(req);
  return withTransaction(ctx.pool, (tx) => makeSilence(tx, ctx, req));
}

/** What a caller of makeSilence adds. */
export interface MakeSilenceOptions {
  /** The caller's own change in the same transaction, after the fan-out and before the audit row. */
  beforeAudit?: (s: SilenceRow) => Promise<void>;
  /** The caller holds a group's row lock: the fan-out skips groups others hold (takeSilence). */
  skipLocked?: boolean;
}

/**
 * Inside the caller's transaction, `req` checked (checkSilenceRequest): makes the silence (or
 * returns the one its key made), its Alertmanager create row, shows it on the groups it holds, runs
 * `opts.beforeAudit`, then audits it, last: the audit log is one chain.
 */
export async function makeSilence(
  tx: Queryable,
  ctx: Ctx,
  req: SilenceRequest,
  opts: MakeSilenceOptions = {},
): Promise<SilenceOutcome> {
  const backend = silenceBackend(ctx);
  const startsAt = ctx.clock.now();
  const endsAt = new Date(startsAt.getTime() + req.durationMs);
  const row = await insertSilence(tx, {
    backend,
    matchers: req.matchers,
    startsAt,
    endsAt,
    createdBy: req.by,
    comment: req.comment ?? '',
    requestKey: req.key,
  });
  if (!row) {
    const earlier = await silenceByKey(tx, req.key!);
    if (!earlier) throw new Error(`silence: request key ${req.key} conflicted but no row holds it`);
    return { silence: earlier, created: false };
  }
  if (backend === 'alertmanager') {
    const outboxId = await enqueue(
      tx,
      {
        kind: 'alertmanager.silence-create',
        payload: {
          silenceId: row.id,
          matchers: req.matchers,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          createdBy: req.by,
          comment: req.comment ?? '',
        },
        orderingKey: orderingKey(row.id),
        idempotencyKey: `alert-silence-create:${row.id}`,
      },
      ctx.outboxTransport,
    );
    if (outboxId) {
      await setCreateOutbox(tx, row.id, outboxId);
      row.createOutboxId = outboxId;
    }
  }
  const groups = await showSilenceOnGroups(tx, ctx, row, startsAt, opts.skipLocked ?? false);
  if (opts.beforeAudit) await opts.beforeAudit(row);
  await audit(tx, {
    actor: req.by,
    action: 'alerts.silence',
    args: {
      id: row.id,
      backend,
      matchers: formatMatchers(req.matchers),
      duration: formatDuration(req.durationMs),
    },
    outcome: 'changed',
    ...(req.key ? { requestKey: req.key } : {}),
  });
  return { silence: row, created: true, groups };
}

export interface UnsilenceOutcome {
  silence: SilenceRow;
  /** False when it was expired already (by someone else, or the same click twice). */
  changed: boolean;
}

/**
 * Ends silence `id` now: marks it expired and, for an Alertmanager silence, writes its expire row;
 * the groups showing it show its end ("unsilenced by `by`").
 * @throws UserError 'silence.not_found'.
 */
export async function unsilence(ctx: Ctx, id: string, by: string, key?: string): Promise<UnsilenceOutcome> {
  if (!/^\d{1,18}$/.test(id)) throw new UserError('silence.not_found', { id });
  return withTransaction(ctx.pool, async (tx) => {
    const row = await silenceById(tx, id, true);
    if (!row) throw new UserError('silence.not_found', { id });
    const now = ctx.clock.now();
    const expired = await markExpired(tx, id, now, by);
    if (!expired) return { silence: row, changed: false };
    if (row.backend === 'alertmanager') await enqueueExpire(tx, ctx, row);
    await showSilenceEnded(tx, ctx, expired, now, by);
    await audit(tx, {
      actor: by,
      action: 'alerts.unsilence',
      args: { id, backend: row.backend },
      outcome: 'changed',
      ...(key ? { requestKey: key } : {}),
    });
    return { silence: expired, changed: true };
  });
}

async function enqueueExpire(tx: Queryable, ctx: Ctx, row: SilenceRow): Promise<void> {
  // Alertmanager's id when the create has been delivered; otherwise the expire row finds the
  // silence by its marker once the create (ahead of it under the same ordering key) is done.
  const alertmanagerId = row.createOutboxId ? await alertmanagerIdOf(tx, row.createOutboxId) : undefined;
  await enqueue(
    tx,
    {
      kind: 'alertmanager.silence-expire',
      payload: { silenceId: row.id, ...(alertmanagerId ? { alertmanagerId } : {}) },
      orderingKey: orderingKey(row.id),
      idempotencyKey: `alert-silence-expire:${row.id}`,
    },
    ctx.outboxTransport,
  );
}

/**
 * Whether an alert with `labels` is muted now by a local mute. (An Alertmanager silence keeps
 * Alertmanager from sending the alert at all; alerts from other sources are not affected by it.)
 */
export async function isMutedNow(
  ctx: Pick<AppContext, 'pool' | 'clock'>,
  labels: Readonly<Record<string, string>>,
): Promise<boolean> {
  const now = ctx.clock.now();
  return isMuted(labels, now, await localMutes(ctx.pool, now));
}

/** The words after `/alerts silence`, read, or a UserError naming the problem. */
export function readSilenceArgs(words: readonly string[]): SilenceArgs {
  const parsed = parseSilenceArgs(words);
  if ('code' in parsed) throw silenceArgsError(parsed);
  return parsed;
}

/** A parse problem as the UserError that says it (src/i18n/{ja,en}/silences.ts). */
export function silenceArgsError(p: SilenceArgsProblem): UserError {
  switch (p.code) {
    case 'bad_duration':
      return new UserError(`silence.duration_${p.problem}`, { value: p.word });
    case 'bad_matcher':
    case 'bad_label_name':
    case 'bad_regex':
      return new UserError(`silence.${p.code}`, { value: p.word });
    default:
      return new UserError(`silence.${p.code}`, {});
  }
}

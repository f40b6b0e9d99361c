// Answering a stored Slack request (slack-intake.ts stored it before the acknowledgement): run it
// through the Dispatcher, then, in one statement (one transaction, one round trip), enqueue the
// reply's outbox rows (idempotency keys derived from the request's key) and mark the request
// answered under its claim. When this process's outbox worker has a free slot, the reply's rows are
// written claimed by it and delivered at once (outbox/worker.ts, "Direct delivery"). The live path runs
// this right after the acknowledgement; slack-recovery.ts runs it for requests whose replica died or
// was stopped before answering. Either way a request is answered once: a claim that was taken over
// cannot mark it, and rolls its reply back.
//
// A request given up (too old for its response_url, or failing claim after claim: see giveUp) is
// not left silent: the person is told, in their language, that toban could not answer it and to run
// it again; the notice commits with the request's final state, so it goes out once.
import type { AppContext } from '../core/context.ts';
import type { Dispatcher, Outcome } from '../app/dispatch.ts';
import { withTransaction } from '../db/pool.ts';
import { answerRequest, finishRequest, type StoredRequest } from '../db/slack-requests.ts';
import { t, type Locale } from '../i18n/index.ts';
import { claimOf, enqueue, outboxRow, type RowToWrite } from '../outbox/enqueue.ts';
import type { OutboxItem } from '../outbox/kinds/index.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import { replyItems, type ReplyTarget } from '../services/replies.ts';
import { ECHO_LIMIT, truncate } from '../views/limits.ts';
import type { InteractionBody, SlashCommandBody } from './slack-bodies.ts';

/** Slack honours a response_url for 30 minutes (https://api.slack.com/interactivity/handling#message_responses). */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/**
 * A give-up notice goes to the response_url only while this much of its lifetime is left (ms), so
 * the outbox has time to deliver it; after that it is a DM.
 */
export const NOTICE_MARGIN_MS = 5 * 60_000;

export type AnswerResult = 'answered' | 'expired' | 'lost';

export interface AnswerOptions {
  ctx: Pick<AppContext, 'pool' | 'log' | 'clock' | 'directory' | 'config' | 'outboxTransport'>;
  dispatcher: Pick<Dispatcher, 'run' | 'press'>;
  /** Told each person's language as it is learned (the intake's "cannot take it" acknowledgement uses it). */
  learnedLocale?: (userId: string, locale: Locale) => void;
  /** This process's outbox worker, to deliver replies at once (direct delivery). */
  outbox?: Pick<OutboxWorker, 'reserve'>;
}

/**
 * Records a claimed request as given up ('expired': older than its response_url; 'failed': claimed
 * too often without an answer) and, in the same transaction, enqueues a notice to the person who sent
 * it: toban could not answer, run it again. Through the response_url (ephemeral) while it has time
 * left, else as a DM. Idempotent by the request's key. False when the claim was lost (nothing
 * written). Throws database errors.
 */
export type GiveUp = (req: StoredRequest, state: 'expired' | 'failed', error: string) => Promise<boolean>;

/** Answers one claimed request; `giveUp` records one as given up, telling the person. */
export type Answerer = ((req: StoredRequest) => Promise<AnswerResult>) & { giveUp: GiveUp };

/** Who sent a stored request, where an answer can reach them, and what they asked (for the notice). */
function requester(
  req: StoredRequest,
): { userId: string; responseUrl?: string; command?: string } | undefined {
  const p = req.payload as Partial<SlashCommandBody> &
    Partial<{ user: { id?: unknown }; response_url: unknown }>;
  if (req.kind === 'command' && typeof p.user_id === 'string') {
    const command = `${String(p.command ?? '')} ${String(p.text ?? '')}`.trim();
    return { userId: p.user_id, responseUrl: p.response_url, command: truncate(command, ECHO_LIMIT) };
  }
  if (req.kind === 'interaction' && typeof p.user?.id === 'string')
    return {
      userId: p.user.id,
      responseUrl: typeof p.response_url === 'string' ? p.response_url : undefined,
    };
  return undefined; // an event: nobody is waiting for an answer
}

export function createAnswerer(opts: AnswerOptions): Answerer {
  const { ctx, dispatcher } = opts;

  async function locale(userId: string): Promise<Locale> {
    try {
      const known = await ctx.directory.userLocale(userId);
      if (known) opts.learnedLocale?.(userId, known);
      return known ?? ctx.config.locale;
    } catch {
      return ctx.config.locale;
    }
  }

  /** The give-up notice's outbox item for `req`, if someone is waiting for an answer. */
  async function notice(req: StoredRequest, state: 'expired' | 'failed'): Promise<OutboxItem | undefined> {
    const who = requester(req);
    if (!who) return undefined;
    const loc = await locale(who.userId);
    const what = who.command ?? t(loc, 'slack.gave_up.button');
    const text = t(loc, `slack.gave_up.${state}`, { what });
    const idempotencyKey = `gave-up:${req.key}`;
    const ageMs = ctx.clock.now().getTime() - req.receivedAt.getTime();
    if (who.responseUrl && ageMs < RESPONSE_URL_LIFETIME_MS - NOTICE_MARGIN_MS)
      return {
        kind: 'slack.respond',
        orderingKey: `respond:${who.responseUrl}`,
        idempotencyKey,
        payload: { responseUrl: who.responseUrl, responseType: 'ephemeral', text },
      };
    return {
      kind: 'slack.dm',
      orderingKey: `dm:${who.userId}`,
      idempotencyKey,
      payload: { user: who.userId, text },
    };
  }

  const giveUp: GiveUp = async (req, state, error) => {
    const item = await notice(req, state);
    return withTransaction(ctx.pool, async (tx) => {
      if (!(await finishRequest(tx, req, state, error))) return false;
      if (item) await enqueue(tx, item, ctx.outboxTransport);
      return true;
    });
  };

  /** Marks the request under its claim and commits the reply with it; 'lost' if the claim was taken over. */
  async function complete(
    req: StoredRequest,
    reply?: { target: ReplyTarget; outcome: Outcome },
  ): Promise<AnswerResult> {
    const rows: RowToWrite[] = reply
      ? replyItems(reply.target, reply.outcome.reply, req.key).map((item) =>
          outboxRow(item, ctx.outboxTransport),
        )
      : [];
    const slots = rows.length > 0 ? opts.outbox?.reserve(rows.length) : undefined;
    if (slots) {
      let left = slots.count;
      for (const r of rows)
        if (left > 0 && r.transport === slots.transport) {
          r.leaseMs = slots.leaseMs;
          left--;
        }
    }
    let written;
    try {
      written = await answerRequest(ctx.pool, req, rows);
    } finally {
      // The rows written claimed start now; on a failure or a lost claim, nothing was written.
      slots?.take((written ?? []).flatMap((r) => claimOf(r) ?? []));
    }
    if (!written) ctx.log.info({ requestId: req.id }, 'slack: another claim answered this request');
    return written ? 'answered' : 'lost';
  }

  async function command(req: StoredRequest, body: SlashCommandBody): Promise<AnswerResult> {
    const outcome = await dispatcher.run({
      command: body.command,
      text: body.text,
      userId: body.user_id,
      channelId: body.channel_id,
      locale: await locale(body.user_id),
      triggerId: body.trigger_id,
      key: req.key,
    });
    return complete(req, {
      target: { responseUrl: body.response_url, userId: body.user_id, channelId: body.channel_id },
      outcome,
    });
  }

  async function interaction(req: StoredRequest, body: InteractionBody): Promise<AnswerResult> {
    // Modals, shortcuts and suggestions get their handlers with the interactivity issue.
    if (body.type !== 'block_actions') return complete(req);
    const action = body.actions[0];
    if (!action) return complete(req);
    const outcome = await dispatcher.press({
      actionId: action.action_id,
      value: action.value,
      userId: body.user.id,
      channelId: body.channel?.id,
      messageTs: body.message?.ts,
      locale: await locale(body.user.id),
      key: req.key,
    });
    if (!outcome?.reply || !body.response_url) return complete(req);
    return complete(req, {
      target: { responseUrl: body.response_url, userId: body.user.id, channelId: body.channel?.id },
      outcome: { ...outcome, reply: outcome.reply },
    });
  }

  const answer = async (req: StoredRequest): Promise<AnswerResult> => {
    const ageMs = ctx.clock.now().getTime() - req.receivedAt.getTime();
    if (req.kind !== 'event' && ageMs > RESPONSE_URL_LIFETIME_MS) {
      const marked = await giveUp(req, 'expired', 'response_url expired');
      ctx.log.warn(
        { requestId: req.id, kind: req.kind, ageMinutes: Math.round(ageMs / 60_000) },
        'slack: request too old to answer (a response_url lasts 30 minutes); recorded as expired, sender told',
      );
      return marked ? 'expired' : 'lost';
    }
    if (req.kind === 'command') return command(req, req.payload as SlashCommandBody);
    if (req.kind === 'interaction') return interaction(req, req.payload as InteractionBody);
    // Events get their handlers with the interactivity issue; stored, they are already deduplicated.
    return complete(req);
  };
  return Object.assign(answer, { giveUp });
}

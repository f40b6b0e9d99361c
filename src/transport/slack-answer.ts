// Answering a stored Slack request (slack-intake.ts stored it before the acknowledgement): run it
// through the Dispatcher, then, in one transaction, enqueue the reply's outbox rows (idempotency keys
// derived from the request's key) and mark the request answered under its claim. The live path runs
// this right after the acknowledgement; slack-recovery.ts runs it for requests whose replica died or
// was stopped before answering. Either way a request is answered once: a claim that was taken over
// cannot mark it, and rolls its reply back.
import type { AppContext } from '../app/context.ts';
import type { Dispatcher, Outcome } from '../app/dispatch.ts';
import { withTransaction } from '../db/pool.ts';
import { finishRequest, type StoredRequest } from '../db/slack-requests.ts';
import type { Locale } from '../i18n/index.ts';
import { enqueueReplyRows, type ReplyTarget } from '../services/replies.ts';
import type { InteractionBody, SlashCommandBody } from './slack-bodies.ts';

/** Slack honours a response_url for 30 minutes (https://api.slack.com/interactivity/handling#message_responses). */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export type AnswerResult = 'answered' | 'expired' | 'lost';

export interface AnswerOptions {
  ctx: Pick<AppContext, 'pool' | 'log' | 'clock' | 'directory' | 'config'>;
  dispatcher: Pick<Dispatcher, 'run' | 'press'>;
  /** Told each person's language as it is learned (the intake's "cannot take it" acknowledgement uses it). */
  learnedLocale?: (userId: string, locale: Locale) => void;
}

export type Answerer = (req: StoredRequest) => Promise<AnswerResult>;

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

  /** Marks the request under its claim and commits the reply with it; 'lost' if the claim was taken over. */
  async function complete(
    req: StoredRequest,
    reply?: { target: ReplyTarget; outcome: Outcome },
  ): Promise<AnswerResult> {
    const won = await withTransaction(ctx.pool, async (tx) => {
      if (!(await finishRequest(tx, req, 'answered'))) return false;
      if (reply) await enqueueReplyRows(tx, reply.target, reply.outcome.reply, req.key);
      return true;
    });
    if (!won) ctx.log.info({ requestId: req.id }, 'slack: another claim answered this request');
    return won ? 'answered' : 'lost';
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
    if (!outcome || !body.response_url) return complete(req);
    return complete(req, {
      target: { responseUrl: body.response_url, userId: body.user.id, channelId: body.channel?.id },
      outcome,
    });
  }

  return async (req) => {
    const ageMs = ctx.clock.now().getTime() - req.receivedAt.getTime();
    if (req.kind !== 'event' && ageMs > RESPONSE_URL_LIFETIME_MS) {
      const marked = await finishRequest(ctx.pool, req, 'expired', 'response_url expired');
      ctx.log.warn(
        { requestId: req.id, kind: req.kind, ageMinutes: Math.round(ageMs / 60_000) },
        'slack: request too old to answer (a response_url lasts 30 minutes); recorded as expired',
      );
      return marked ? 'expired' : 'lost';
    }
    if (req.kind === 'command') return command(req, req.payload as SlashCommandBody);
    if (req.kind === 'interaction') return interaction(req, req.payload as InteractionBody);
    // Events get their handlers with the interactivity issue; stored, they are already deduplicated.
    return complete(req);
  };
}

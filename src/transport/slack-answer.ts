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
import type { Reply } from '../core/command.ts';
import type { Dispatch, HandlerOutcome, ViewChange } from '../core/handlers.ts';
import { withTransaction } from '../db/pool.ts';
import { answerRequest, finishRequest, type StoredRequest } from '../db/slack-requests.ts';
import { t, type Locale } from '../i18n/index.ts';
import { claimOf, enqueue, outboxRow, type RowToWrite } from '../outbox/enqueue.ts';
import type { OutboxItem } from '../outbox/kinds/index.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import { within } from '../services/budget.ts';
import { fileItems, replyItems, type ReplyTarget } from '../services/replies.ts';
import { ECHO_LIMIT, truncate } from '../views/limits.ts';
import type { EventCallbackBody, InteractionBody, SlashCommandBody } from './slack-bodies.ts';
import {
  actionInvocation,
  eventInvocation,
  eventUser,
  shortcutInvocation,
  viewSubmission,
} from './slack-invocations.ts';
import type { ViewOpener } from './slack-views.ts';

/** Slack honours a response_url for 30 minutes (https://api.slack.com/interactivity/handling#message_responses). */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/**
 * A give-up notice goes to the response_url only while this much of its lifetime is left (ms), so
 * the outbox has time to deliver it; after that it is a DM.
 */
export const NOTICE_MARGIN_MS = 5 * 60_000;

/** How long an answer that may open a modal waits for the person's language (ms); then the configured one. */
export const TRIGGER_LOCALE_MS = 300;

export type AnswerResult = 'answered' | 'expired' | 'lost';

/**
 * Whether a slash command's text may make it open a modal: a command typed alone (`/investigate`,
 * `/incident`) answers with a form, one with words answers with a reply. Such a request is answered
 * ahead of slow ones (slack.ts) and waits for the person's language only briefly.
 */
export function commandMayOpenModal(text: string | undefined): boolean {
  return (text ?? '').trim() === '';
}

export interface AnswerOptions {
  ctx: Pick<AppContext, 'pool' | 'log' | 'clock' | 'directory' | 'config' | 'outboxTransport'>;
  dispatcher: Pick<
    Dispatch,
    'run' | 'press' | 'shortcut' | 'submitView' | 'closeView' | 'event' | 'acknowledgeView'
  >;
  /**
   * views.open / views.push with a trigger_id, made directly once the request's rows have committed
   * (slack-views.ts). Absent: a modal to open is reported to the person as not opened.
   */
  openView?: ViewOpener;
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

  /**
   * The person's language. `capMs`: how long to wait for it (a cold users.info may take seconds)
   * before the configured one is used, for answers that must beat a trigger_id's 3 s.
   */
  async function locale(userId: string, capMs?: number): Promise<Locale> {
    try {
      const lookup = ctx.directory.userLocale(userId);
      const known = await (capMs === undefined ? lookup : within(lookup, capMs));
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

  /** Who acted, where a reply to them goes, and the trigger of a modal to open (interactions). */
  interface Answer {
    /** Outbox rows to commit with the request's outcome. */
    items: OutboxItem[];
    /** A modal to open or push once those rows have committed. */
    open?: {
      triggerId?: string;
      modal: ViewChange['modal'];
      push: boolean;
      target: ReplyTarget;
      locale: Locale;
    };
  }

  /**
   * Marks the request under its claim and commits its outbox rows with it; 'lost' if the claim was
   * taken over. Then opens the modal, if any (outside the transaction: see slack-views.ts).
   */
  async function complete(req: StoredRequest, answer: Answer = { items: [] }): Promise<AnswerResult> {
    const rows: RowToWrite[] = answer.items.map((item) => outboxRow(item, ctx.outboxTransport));
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
    if (!written) {
      ctx.log.info({ requestId: req.id }, 'slack: another claim answered this request');
      return 'lost';
    }
    if (answer.open) await openModal(req, answer.open);
    return 'answered';
  }

  /**
   * views.open / views.push within the trigger's window; on any failure (expired_trigger_id, 429,
   * 5xx, a timeout, no trigger at all) the person is told through the outbox to try again.
   */
  async function openModal(req: StoredRequest, open: NonNullable<Answer['open']>): Promise<void> {
    let reason: string | undefined;
    if (!open.triggerId || !opts.openView) reason = 'no trigger_id';
    else {
      try {
        await opts.openView({ triggerId: open.triggerId, modal: open.modal, push: open.push });
        return;
      } catch (err) {
        reason = (err as { reason?: string }).reason ?? 'error';
        ctx.log.warn(
          { err, requestId: req.id, callbackId: open.modal.callbackId, reason },
          'slack: a modal could not be opened; telling the person to try again',
        );
      }
    }
    const text = t(open.locale, 'handler.view_not_opened', { reason });
    const [item] = replyItems(
      open.target,
      { visibility: 'ephemeral', message: { text } },
      `view-failed:${req.key}`,
    );
    try {
      await enqueue(ctx.pool, item!, ctx.outboxTransport);
    } catch (err) {
      ctx.log.error({ err, requestId: req.id }, 'slack: could not tell the person a modal did not open');
    }
  }

  /** An interactive handler's outcome as outbox rows and a modal to open (see HandlerResult). */
  function interactiveAnswer(
    req: StoredRequest,
    outcome: HandlerOutcome | undefined,
    target: ReplyTarget,
    opts2: { locale: Locale; triggerId?: string; viewId?: string },
  ): Answer {
    const items = outcome?.reply ? replyItems(target, outcome.reply, req.key) : [];
    const view = outcome?.view;
    if (!view) return { items };
    if (view.action === 'update') {
      const viewId = view.viewId ?? opts2.viewId;
      if (viewId)
        items.push({
          kind: 'slack.view-update',
          orderingKey: `view:${viewId}`,
          idempotencyKey: `view:${req.key}`,
          payload: { viewId, modal: view.modal },
        });
      else ctx.log.warn({ requestId: req.id }, 'slack: a view update without a view to update; dropped');
      return { items };
    }
    return {
      items,
      open: {
        triggerId: opts2.triggerId,
        modal: view.modal,
        push: view.action === 'push',
        target,
        locale: opts2.locale,
      },
    };
  }

  async function command(req: StoredRequest, body: SlashCommandBody): Promise<AnswerResult> {
    // A command alone (`/investigate`) may open a modal, whose trigger_id lasts 3 s: do not wait long
    // for the language (see commandMayOpenModal).
    const userLocale = await locale(
      body.user_id,
      commandMayOpenModal(body.text) ? TRIGGER_LOCALE_MS : undefined,
    );
    const outcome = await dispatcher.run({
      command: body.command,
      text: body.text,
      userId: body.user_id,
      channelId: body.channel_id,
      locale: userLocale,
      triggerId: body.trigger_id,
      key: req.key,
    });
    const target = { responseUrl: body.response_url, userId: body.user_id, channelId: body.channel_id };
    // A modal is the whole answer: the reply beside it is for callers that cannot show one.
    if (outcome.view && !outcome.error)
      return complete(
        req,
        interactiveAnswer(req, { view: outcome.view }, target, {
          locale: userLocale,
          triggerId: body.trigger_id,
        }),
      );
    return complete(req, { items: replyItems(target, outcome.reply, req.key) });
  }

  async function interaction(req: StoredRequest, body: InteractionBody): Promise<AnswerResult> {
    const userId = body.user.id;
    // A shortcut or a button may open a modal, whose trigger_id lasts 3 s: do not wait long for the language.
    const opensModals =
      body.type === 'shortcut' || body.type === 'message_action' || body.type === 'block_actions';
    const asked = { locale: await locale(userId, opensModals ? TRIGGER_LOCALE_MS : undefined), key: req.key };
    switch (body.type) {
      case 'block_actions': {
        const action = actionInvocation(body, asked);
        if (!action) return complete(req);
        const outcome = await dispatcher.press(action);
        const target = { responseUrl: body.response_url, userId, channelId: action.channelId };
        return complete(
          req,
          interactiveAnswer(req, outcome, target, {
            locale: asked.locale,
            triggerId: action.triggerId,
            viewId: action.view?.id ?? action.container?.viewId,
          }),
        );
      }
      case 'shortcut':
      case 'message_action': {
        const shortcut = shortcutInvocation(body, asked);
        const outcome = await dispatcher.shortcut(shortcut);
        const responseUrl = body.type === 'message_action' ? body.response_url : undefined;
        const target = { responseUrl, userId, channelId: shortcut.channelId };
        return complete(
          req,
          interactiveAnswer(req, outcome, target, { locale: asked.locale, triggerId: shortcut.triggerId }),
        );
      }
      case 'view_submission': {
        const submission = viewSubmission(body, asked);
        const outcome = await dispatcher.submitView(submission);
        return complete(
          req,
          interactiveAnswer(req, outcome, { userId }, { locale: asked.locale, viewId: submission.viewId }),
        );
      }
      case 'view_closed':
        await dispatcher.closeView(viewSubmission(body, asked));
        return complete(req);
      default:
        // block_suggestion: external selects are not used; nothing to answer.
        return complete(req);
    }
  }

  /** Where an event's reply goes: see EventHandler (in the event's channel, or only to its user there). */
  function eventItems(
    req: StoredRequest,
    inv: NonNullable<ReturnType<typeof eventInvocation>>,
    replies: Reply[],
  ): OutboxItem[] {
    const e = inv.event;
    const channel = 'item' in e ? e.item.channelId : 'channelId' in e ? e.channelId : undefined;
    // A reply to a mention goes in its thread (or the thread it was in); to a reaction, in the thread of the message.
    const threadTs = e.type === 'app_mention' ? (e.threadTs ?? e.ts) : 'item' in e ? e.item.ts : undefined;
    return replies.flatMap((reply, i): OutboxItem[] => {
      const key = `${req.key}:${i}`;
      const idempotencyKey = `reply:${key}`;
      const text = reply.message.text;
      const blocks = reply.message.blocks;
      let message: OutboxItem;
      if (!channel)
        message = {
          kind: 'slack.dm',
          orderingKey: `dm:${e.userId}`,
          idempotencyKey,
          payload: { user: e.userId, text, blocks },
        };
      else if (reply.visibility === 'in_channel')
        message = {
          kind: 'slack.post',
          orderingKey: `channel:${channel}`,
          idempotencyKey,
          payload: { channel, text, blocks, ...(threadTs ? { threadTs } : {}) },
        };
      else
        message = {
          kind: 'slack.ephemeral',
          orderingKey: `ephemeral:${channel}:${e.userId}`,
          idempotencyKey,
          payload: { channel, user: e.userId, text, blocks },
        };
      return [message, ...fileItems(e.userId, reply, key)];
    });
  }

  async function event(req: StoredRequest, body: EventCallbackBody): Promise<AnswerResult> {
    const user = eventUser(body);
    const inv = eventInvocation(body, {
      locale: user ? await locale(user) : ctx.config.locale,
      key: req.key,
    });
    // An event toban does not handle is stored (so a retry is recognised) and answered with nothing.
    if (!inv) return complete(req);
    const { replies, home } = await dispatcher.event(inv);
    const items = eventItems(req, inv, replies);
    if (home)
      items.push({
        kind: 'slack.publish',
        orderingKey: `home:${inv.event.userId}`,
        idempotencyKey: `home:${req.key}`,
        payload: { user: inv.event.userId, text: home.text, blocks: home.blocks },
      });
    return complete(req, { items });
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
    // Stored under event:<event_id>, an event is already deduplicated: a retry never gets here.
    return event(req, req.payload as EventCallbackBody);
  };
  return Object.assign(answer, { giveUp });
}

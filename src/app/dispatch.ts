// One path for every transport and every handler kind (src/core/handlers.ts): find the handler, run
// it, turn any error into a reply in the person's language, and keep every reply and modal within
// Slack's limits. Transports only clean the text where it enters (src/core/input.ts), parse Slack's
// payloads (transport/slack-bodies.ts) and deliver.
//
// Slash commands: `help`, permission, run. Finance-only commands fail closed: every request leaves
// an audit row (allowed, refused or error), written by the service or else here, and a request
// whose row cannot be written gets an internal error instead of its answer.
//
// Errors, for every kind: a UserError becomes its message; anything else an internal error with a
// short reference code, logged with its failure code (E_DATABASE, E_HANDLER, ...) and that reference.
import type { AuditEntry } from '../db/audit.ts';
import { readCommandText } from '../domain/command-text.ts';
import { t, type Locale, type Params } from '../i18n/index.ts';
import { isFinance, PermissionCheckError } from '../services/permissions.ts';
import { helpReply, section, textReply } from '../views/common.ts';
import { ECHO_LIMIT, fitModal, fitReply, truncate } from '../views/limits.ts';
import { AuditTrail, writeAudit } from '../core/audit-trail.ts';
import { errorRef, failureCode } from '../core/error-codes.ts';
import type { AppContext } from '../core/context.ts';
import {
  isCommandModal,
  type CommandModal,
  type Invocation,
  type Message,
  type Reply,
  type SlashCommand,
} from '../core/command.ts';
import type {
  ActionHandler,
  ActionInvocation,
  Dispatch,
  EventHandler,
  EventInvocation,
  HandlerOutcome,
  HandlerResult,
  HomeHandler,
  Outcome,
  ShortcutHandler,
  ShortcutInvocation,
  SlackEventType,
  ViewAck,
  ViewChange,
  ViewSubmission,
  ViewSubmissionHandler,
} from '../core/handlers.ts';
import { PermissionError, UserError } from '../core/errors.ts';

const HELP_WORDS = new Set(['help', '-h', '--help', 'ヘルプ']);

/** `help` alone, in any width or case (ＨＥＬＰ), read like every command's words. */
function isHelp(text: string): boolean {
  const { words } = readCommandText(text);
  return words.length === 1 && HELP_WORDS.has(words[0]!.keyword);
}

/** Message parameters that quote the person's own words back: shortened to ECHO_LIMIT. */
const ECHOED = new Set(['value', 'sub', 'account', 'reference', 'rotation', 'command', 'what']);

function shortenEchoes(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params))
    out[k] = ECHOED.has(k) && typeof v === 'string' ? truncate(v, ECHO_LIMIT) : v;
  return out;
}

export type { Outcome } from '../core/handlers.ts';

/** What the Dispatcher serves: one list per kind (commands/index.ts, handlers/index.ts). */
export interface HandlerLists {
  commands: readonly AnyCommand[];
  actions?: readonly ActionHandler[];
  shortcuts?: readonly ShortcutHandler[];
  views?: readonly ViewSubmissionHandler[];
  events?: readonly EventHandler[];
  home?: HomeHandler;
}

type Log = AppContext['log'];

/** A command answering a reply or, for some texts, a modal to open. */
type AnyCommand = SlashCommand<Reply | CommandModal>;

/** A request served, and the audit row it calls for (when the command itself wrote none). */
interface Served {
  outcome: Outcome;
  row: Pick<AuditEntry, 'outcome' | 'detail'>;
}

/** The entries of `list` by `id`; a second entry with an id already seen is a programming error. */
function indexBy<T>(kind: string, list: readonly T[], id: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of list) {
    const key = id(item);
    if (map.has(key)) throw new Error(`Dispatcher: two ${kind} handlers registered as ${key}`);
    map.set(key, item);
  }
  return map;
}

export class Dispatcher implements Dispatch {
  private readonly byName: Map<string, AnyCommand>;
  private readonly actions: Map<string, ActionHandler>;
  private readonly shortcuts: Map<string, ShortcutHandler>;
  private readonly views: Map<string, ViewSubmissionHandler>;
  private readonly events: readonly EventHandler[];
  private readonly homeHandler?: HomeHandler;

  constructor(
    private readonly ctx: AppContext,
    lists: HandlerLists,
  ) {
    this.byName = indexBy('command', lists.commands, (c) => c.name);
    this.actions = indexBy('action', lists.actions ?? [], (a) => a.actionId);
    this.shortcuts = indexBy('shortcut', lists.shortcuts ?? [], (s) => s.callbackId);
    this.views = indexBy('view submission', lists.views ?? [], (v) => v.callbackId);
    this.events = lists.events ?? [];
    indexBy('event', this.events, (e) => e.name);
    this.homeHandler = lists.home;
  }

  commandNames(): string[] {
    return [...this.byName.keys()];
  }

  registered(): ReturnType<Dispatch['registered']> {
    return {
      commands: this.commandNames(),
      actions: [...this.actions.keys()],
      shortcuts: [...this.shortcuts.values()].map((s) => ({
        callbackId: s.callbackId,
        type: s.type,
        name: s.name,
      })),
      views: [...this.views.keys()],
      events: [...new Set<SlackEventType>(this.events.map((e) => e.event))],
    };
  }

  // ── Slash commands ──────────────────────────────────────────────────────────────────────────────

  async run(inv: Invocation): Promise<Outcome> {
    const started = process.hrtime.bigint();
    const command = this.byName.get(inv.command);
    const log = this.ctx.log.child({ command: truncate(inv.command, ECHO_LIMIT), user: inv.userId });
    let outcome: Outcome;
    if (!command) {
      outcome = {
        reply: textReply(
          t(inv.locale, 'error.unknown_command', {
            command: truncate(inv.command, ECHO_LIMIT),
            commands: this.commandNames().join(' '),
          }),
        ),
        error: 'user',
      };
    } else if (command.financeOnly) {
      outcome = await this.runAudited(command, inv, log);
    } else if (isHelp(inv.text)) {
      outcome = { reply: helpReply(inv.locale, command.name, command.helpKey) };
    } else {
      outcome = await this.runCommand(command, inv, { ...this.ctx, log });
    }
    outcome = { ...outcome, reply: fitReply(outcome.reply, inv.locale) };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Metrics are labelled with known command names only: a typed name is unbounded.
    this.ctx.metrics.commandLatency.observe(
      { command: command ? command.name : 'unknown', outcome: outcome.error ?? 'ok' },
      seconds,
    );
    return outcome;
  }

  private async runCommand(command: AnyCommand, inv: Invocation, ctx: AppContext): Promise<Outcome> {
    try {
      return commandOutcome(await command.run(inv, ctx), inv.locale);
    } catch (err) {
      return this.failure(err, inv, command.name, command.helpKey, ctx.log).outcome;
    }
  }

  /**
   * A finance-only command: permission first (a directory that cannot answer is a refusal), then
   * the command, and an audit row for every request: the service's own, else the one serve() says.
   * A row that cannot be written turns the reply into an internal error.
   */
  private async runAudited(command: AnyCommand, inv: Invocation, log: Log): Promise<Outcome> {
    const trail = new AuditTrail(inv.key);
    const ctx: AppContext = { ...this.ctx, log, auditTrail: trail };
    let served: Served;
    try {
      served = await this.serve(command, inv, ctx);
    } catch (err) {
      const failed = this.coded(err, inv, `${command.name} failed`, log);
      served = { outcome: failed.outcome, row: { outcome: 'error', detail: `internal ${failed.code}` } };
    }
    if (trail.written > 0) return served.outcome;
    try {
      await writeAudit(ctx, {
        actor: inv.userId,
        action: command.name.slice(1),
        args: { text: inv.text },
        ...served.row,
      });
    } catch (err) {
      return this.coded(err, inv, `${command.name} not answered: its audit row could not be written`, log)
        .outcome;
    }
    return served.outcome;
  }

  /** Serves a finance-only request; `row` is the audit row to write if the command wrote none. */
  private async serve(command: AnyCommand, inv: Invocation, ctx: AppContext): Promise<Served> {
    if (isHelp(inv.text))
      return {
        outcome: { reply: helpReply(inv.locale, command.name, command.helpKey) },
        row: { outcome: 'allowed', detail: 'help' },
      };
    let allowed: boolean;
    try {
      allowed = await isFinance(ctx.config, ctx.directory, inv.userId);
    } catch (err) {
      if (!(err instanceof PermissionCheckError)) throw err;
      ctx.log.warn({ err, code: 'E_DIRECTORY' }, 'permission check failed: refused');
      const text = t(inv.locale, 'permission.unavailable', { command: command.name, reason: err.reason });
      return {
        outcome: { reply: textReply(text), error: 'system' },
        row: { outcome: 'refused', detail: err.message },
      };
    }
    if (!allowed) {
      const refusal = new PermissionError('permission.finance_only', { command: command.name });
      return {
        outcome: this.failure(refusal, inv, command.name, command.helpKey, ctx.log).outcome,
        row: { outcome: 'refused', detail: 'not in permissions.finance' },
      };
    }
    try {
      return {
        outcome: commandOutcome(await command.run(inv, ctx), inv.locale),
        row: { outcome: 'allowed' },
      };
    } catch (err) {
      const failed = this.failure(err, inv, command.name, command.helpKey, ctx.log);
      const detail = err instanceof UserError ? err.key : `internal ${failed.code}`;
      return { outcome: failed.outcome, row: { outcome: 'error', detail } };
    }
  }

  // ── Block actions and shortcuts ─────────────────────────────────────────────────────────────────

  async press(action: ActionInvocation): Promise<HandlerOutcome | undefined> {
    const handler = this.actions.get(action.actionId);
    if (!handler) return undefined;
    const log = this.ctx.log.child({ action: action.actionId, user: action.userId });
    return this.handle(action, action.actionId, log, async (ctx) => handler.run(action, ctx));
  }

  async shortcut(shortcut: ShortcutInvocation): Promise<HandlerOutcome> {
    const handler = this.shortcuts.get(shortcut.callbackId);
    const log = this.ctx.log.child({ shortcut: shortcut.callbackId, user: shortcut.userId });
    if (!handler) {
      log.warn({ type: shortcut.type }, 'no handler for this shortcut');
      const text = t(shortcut.locale, 'handler.unknown_shortcut', {
        what: truncate(shortcut.callbackId, ECHO_LIMIT),
      });
      return { reply: textReply(text), error: 'user' };
    }
    if (handler.type !== shortcut.type) {
      // Known, but sent as the other type (a manifest that declares it as the other kind, a
      // hand-made request): say which kind it is and where it is used, not that it is unknown.
      log.warn({ type: shortcut.type, declared: handler.type }, 'shortcut sent with the other type');
      const text = t(shortcut.locale, `handler.shortcut_is_${handler.type}`, { name: handler.name });
      return { reply: textReply(text), error: 'user' };
    }
    return (await this.handle(shortcut, shortcut.callbackId, log, (ctx) => handler.run(shortcut, ctx))) ?? {};
  }

  // ── Modals ──────────────────────────────────────────────────────────────────────────────────────

  async acknowledgeView(submission: ViewSubmission): Promise<ViewAck> {
    const handler = this.views.get(submission.callbackId);
    if (!handler) return { action: 'close' };
    const log = this.viewLog(submission);
    const ctx = { ...this.ctx, log };
    try {
      const errors = await handler.validate(submission, ctx);
      if (errors && Object.keys(errors).length > 0) return { action: 'errors', errors: fitErrors(errors) };
      const pending = handler.pending?.(submission, ctx);
      return pending ? { action: 'update', modal: fitModal(pending) } : { action: 'close' };
    } catch (err) {
      // The modal stays open with the failure under its first field, so the person sees it and
      // what they typed is not lost; a modal without fields has nowhere to show it.
      const failed = this.failure(err, submission, `${submission.callbackId} validate`, undefined, log);
      const first = Object.keys(submission.values)[0];
      if (first === undefined) return { action: 'close' };
      return { action: 'errors', errors: fitErrors({ [first]: failed.outcome.reply.message.text }) };
    }
  }

  async submitView(submission: ViewSubmission): Promise<HandlerOutcome | undefined> {
    const handler = this.views.get(submission.callbackId);
    if (!handler) return undefined;
    return this.handle(submission, submission.callbackId, this.viewLog(submission), (ctx) =>
      handler.submit(submission, ctx),
    );
  }

  async closeView(submission: ViewSubmission): Promise<void> {
    const handler = this.views.get(submission.callbackId);
    if (!handler?.closed) return;
    const log = this.viewLog(submission);
    try {
      await handler.closed(submission, { ...this.ctx, log });
    } catch (err) {
      const ref = errorRef(3);
      log.error({ err, code: failureCode(err), ref }, `${submission.callbackId} closed failed`);
    }
  }

  private viewLog(submission: ViewSubmission): Log {
    return this.ctx.log.child({ view: truncate(submission.callbackId, ECHO_LIMIT), user: submission.userId });
  }

  // ── Events and the App Home ─────────────────────────────────────────────────────────────────────

  async event(inv: EventInvocation): Promise<{ replies: Reply[]; home?: Message }> {
    const replies: Reply[] = [];
    for (const handler of this.events) {
      if (handler.event !== inv.event.type) continue;
      const log = this.ctx.log.child({ event: inv.event.type, handler: handler.name, eventId: inv.eventId });
      try {
        const reply = await handler.run(inv as never, { ...this.ctx, log });
        if (reply) replies.push(fitReply(reply, inv.locale));
      } catch (err) {
        // One handler failing does not keep the others from the event; nobody asked, so nobody is told.
        const ref = errorRef(3);
        log.error({ err, code: failureCode(err), ref }, `${handler.name} failed`);
      }
    }
    const e = inv.event;
    if (e.type === 'app_home_opened' && e.tab === 'home' && this.homeHandler)
      return { replies, home: await this.home({ userId: e.userId, locale: inv.locale }) };
    return { replies };
  }

  async home(person: { userId: string; locale: Locale }): Promise<Message> {
    const log = this.ctx.log.child({ home: true, user: person.userId });
    let message: Message;
    if (!this.homeHandler) {
      const text = t(person.locale, 'home.none');
      message = { text, blocks: [section(text)] };
    } else {
      try {
        message = await this.homeHandler.build(person, { ...this.ctx, log });
      } catch (err) {
        message = this.failure(err, person, 'home', undefined, log).outcome.reply.message;
      }
    }
    return fitReply({ visibility: 'ephemeral', message }, person.locale).message;
  }

  // ── Shared ──────────────────────────────────────────────────────────────────────────────────────

  /** Runs a handler: its result fitted to Slack's limits, or its error as a reply. */
  private async handle(
    who: { locale: Locale },
    name: string,
    log: Log,
    run: (ctx: AppContext) => Promise<HandlerResult | undefined>,
  ): Promise<HandlerOutcome | undefined> {
    let result: HandlerResult | undefined;
    try {
      result = (await run({ ...this.ctx, log })) ?? undefined;
      if (result?.view) result = { ...result, view: fitView(result.view) };
    } catch (err) {
      return this.failure(err, who, name, undefined, log).outcome;
    }
    if (!result) return undefined;
    return {
      ...(result.reply ? { reply: fitReply(result.reply, who.locale) } : {}),
      ...(result.view ? { view: result.view } : {}),
    };
  }

  private failure(
    err: unknown,
    who: { locale: Locale },
    name: string,
    helpKey: string | undefined,
    log: Log,
  ): { outcome: Outcome; code?: string } {
    if (err instanceof UserError) {
      const message = t(who.locale, err.key, shortenEchoes(err.params));
      if (err.usageOf && helpKey) {
        const help = helpReply(who.locale, err.usageOf, helpKey);
        return { outcome: { reply: textReply(`${message}\n\n${help.message.text}`), error: 'user' } };
      }
      return { outcome: { reply: textReply(message), error: 'user' } };
    }
    return this.coded(err, who, `${name} failed`, log);
  }

  /**
   * A failure the person can only report: logged with its stable code (E_DATABASE or E_HANDLER) and
   * a short reference that the reply shows (`code` in the result is that reference).
   */
  private coded(
    err: unknown,
    who: { locale: Locale },
    what: string,
    log: Log,
  ): { outcome: Outcome; code: string } {
    const code = errorRef(3);
    log.error({ err, code: failureCode(err), ref: code }, what);
    return {
      outcome: { reply: textReply(t(who.locale, 'error.internal', { code })), error: 'system' },
      code,
    };
  }
}

/**
 * A command's result as an Outcome: a reply as is; a modal to open (fitted) with a one-line reply for
 * a caller that cannot show a modal (transports show the modal instead).
 */
function commandOutcome(result: Reply | CommandModal, locale: Locale): Outcome {
  if (!isCommandModal(result)) return { reply: result };
  const view = fitView(result.view);
  return {
    reply: textReply(t(locale, 'handler.command_opens_form', { title: view.modal.title })),
    view,
  };
}

/** A modal change with its modal fitted (fitModal throws for private_metadata over the limit). */
function fitView(view: ViewChange): ViewChange {
  return { ...view, modal: fitModal(view.modal) };
}

/** Field errors within the length Slack shows under a field (a label's 2,000 characters). */
function fitErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, truncate(v, 2000)]));
}

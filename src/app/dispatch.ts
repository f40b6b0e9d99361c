// One path for every transport: find the command, answer `help`, check permission, run it, turn
// any error into a reply in the user's language, and keep every reply within Slack's limits.
// Transports only clean the text where it enters (src/core/input.ts) and deliver.
//
// Finance-only commands fail closed: every request leaves an audit row (allowed, refused or
// error), written by the service or else here, and a request whose row cannot be written gets an
// internal error instead of its answer.
import type { AuditEntry } from '../db/audit.ts';
import { readCommandText } from '../domain/command-text.ts';
import { t, type Params } from '../i18n/index.ts';
import { isFinance, PermissionCheckError } from '../services/permissions.ts';
import { helpReply, textReply } from '../views/common.ts';
import { ECHO_LIMIT, fitReply, truncate } from '../views/limits.ts';
import { AuditTrail, writeAudit } from '../core/audit-trail.ts';
import { errorRef, failureCode } from '../core/error-codes.ts';
import type { AppContext } from '../core/context.ts';
import type { Invocation, SlashCommand } from '../core/command.ts';
import type { ActionHandler, ActionInvocation, HandlerOutcome, Outcome } from '../core/handlers.ts';
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

type Log = AppContext['log'];

/** A request served, and the audit row it calls for (when the command itself wrote none). */
interface Served {
  outcome: Outcome;
  row: Pick<AuditEntry, 'outcome' | 'detail'>;
}

export class Dispatcher {
  private readonly byName = new Map<string, SlashCommand>();
  private readonly actions = new Map<string, ActionHandler>();

  constructor(
    private readonly ctx: AppContext,
    commands: SlashCommand[],
    actions: ActionHandler[] = [],
  ) {
    for (const c of commands) this.byName.set(c.name, c);
    for (const a of actions) this.actions.set(a.actionId, a);
  }

  commandNames(): string[] {
    return [...this.byName.keys()];
  }

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

  private async runCommand(command: SlashCommand, inv: Invocation, ctx: AppContext): Promise<Outcome> {
    try {
      return { reply: await command.run(inv, ctx) };
    } catch (err) {
      return this.failure(err, inv, command.name, command.helpKey, ctx.log).outcome;
    }
  }

  /**
   * A finance-only command: permission first (a directory that cannot answer is a refusal), then
   * the command, and an audit row for every request: the service's own, else the one serve() says.
   * A row that cannot be written turns the reply into an internal error.
   */
  private async runAudited(command: SlashCommand, inv: Invocation, log: Log): Promise<Outcome> {
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
  private async serve(command: SlashCommand, inv: Invocation, ctx: AppContext): Promise<Served> {
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
      return { outcome: { reply: await command.run(inv, ctx) }, row: { outcome: 'allowed' } };
    } catch (err) {
      const failed = this.failure(err, inv, command.name, command.helpKey, ctx.log);
      const detail = err instanceof UserError ? err.key : `internal ${failed.code}`;
      return { outcome: failed.outcome, row: { outcome: 'error', detail } };
    }
  }

  async press(action: ActionInvocation): Promise<HandlerOutcome | undefined> {
    const handler = this.actions.get(action.actionId);
    if (!handler) return undefined;
    const log = this.ctx.log.child({ action: action.actionId, user: action.userId });
    let outcome: HandlerOutcome | undefined;
    try {
      outcome = (await handler.run(action, { ...this.ctx, log })) ?? undefined;
    } catch (err) {
      outcome = this.failure(err, action, action.actionId, undefined, log).outcome;
    }
    return outcome && { ...outcome, reply: outcome.reply && fitReply(outcome.reply, action.locale) };
  }

  private failure(
    err: unknown,
    who: { locale: Invocation['locale'] },
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
    who: { locale: Invocation['locale'] },
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

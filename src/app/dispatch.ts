// One path for every transport: find the command, answer `help`, check permission (audited),
// run it, and turn any error into a reply in the user's language. Transports only deliver.
import crypto from 'node:crypto';
import { audit } from '../db/audit.ts';
import { readCommandText } from '../domain/command-text.ts';
import { t } from '../i18n/index.ts';
import { isFinance } from '../services/permissions.ts';
import { helpReply, textReply } from '../views/common.ts';
import type { AppContext } from './context.ts';
import type { ActionHandler, ActionInvocation, Invocation, Reply, SlashCommand } from './command.ts';
import { PermissionError, UserError } from './errors.ts';

const HELP_WORDS = new Set(['help', '-h', '--help', 'ヘルプ']);

/** `help` alone, in any width or case (ＨＥＬＰ), read like every command's words. */
function isHelp(text: string): boolean {
  const { words } = readCommandText(text);
  return words.length === 1 && HELP_WORDS.has(words[0]!.keyword);
}

export interface Outcome {
  reply: Reply;
  /** 'user' for a usage or permission error (exit 1), 'system' for a failure (exit 2). */
  error?: 'user' | 'system';
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
    const log = this.ctx.log.child({ command: inv.command, user: inv.userId });
    let outcome: Outcome;
    if (!command) {
      outcome = {
        reply: textReply(
          t(inv.locale, 'error.unknown_command', {
            command: inv.command,
            commands: this.commandNames().join(' '),
          }),
        ),
        error: 'user',
      };
    } else if (isHelp(inv.text)) {
      outcome = { reply: helpReply(inv.locale, command.name, command.helpKey) };
    } else {
      outcome = await this.runCommand(command, inv, log);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.ctx.metrics.commandLatency.observe(
      { command: inv.command, outcome: outcome.error ?? 'ok' },
      seconds,
    );
    return outcome;
  }

  private async runCommand(command: SlashCommand, inv: Invocation, log: AppContext['log']): Promise<Outcome> {
    const ctx = { ...this.ctx, log };
    try {
      if (command.financeOnly && !(await isFinance(ctx.config, ctx.directory, inv.userId))) {
        await audit(ctx.pool, {
          actor: inv.userId,
          action: command.name.slice(1),
          args: { text: inv.text },
          outcome: 'refused',
          detail: 'not in permissions.finance',
        });
        throw new PermissionError('permission.finance_only', { command: command.name });
      }
      return { reply: await command.run(inv, ctx) };
    } catch (err) {
      return this.failure(err, inv, command.name, command.helpKey, log);
    }
  }

  async press(action: ActionInvocation): Promise<Outcome | undefined> {
    const handler = this.actions.get(action.actionId);
    if (!handler) return undefined;
    const log = this.ctx.log.child({ action: action.actionId, user: action.userId });
    try {
      const reply = await handler.run(action, { ...this.ctx, log });
      return reply ? { reply } : undefined;
    } catch (err) {
      return this.failure(err, action, action.actionId, undefined, log);
    }
  }

  private failure(
    err: unknown,
    who: { locale: Invocation['locale'] },
    name: string,
    helpKey: string | undefined,
    log: AppContext['log'],
  ): Outcome {
    if (err instanceof UserError) {
      const message = t(who.locale, err.key, err.params);
      if (err.usageOf && helpKey) {
        const help = helpReply(who.locale, err.usageOf, helpKey);
        return { reply: textReply(`${message}\n\n${help.message.text}`), error: 'user' };
      }
      return { reply: textReply(message), error: 'user' };
    }
    const code = crypto.randomBytes(3).toString('hex');
    log.error({ err, code }, `${name} failed`);
    return { reply: textReply(t(who.locale, 'error.internal', { code })), error: 'system' };
  }
}

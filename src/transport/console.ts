// Console mode: a shell in the terminal, in the tradition of Hubot's shell adapter. Lines starting
// with "/" are slash commands typed as one user; `press N` presses a button from the last reply;
// `as U0XXX` switches user. Lines are handled one at a time, in order, so piped input is predictable.
// Every line is cleaned where it enters (control characters, NUL included, are removed) and the
// shell's own words (`press`, `as`) are read in NFKC like every command's.
import readline from 'node:readline';
import type { Dispatcher } from '../app/dispatch.ts';
import type { Reply } from '../core/command.ts';
import { cleanText } from '../core/input.ts';
import { t, type Locale } from '../i18n/index.ts';
import { ECHO_LIMIT, truncate } from '../views/limits.ts';
import { renderMessage, type RenderedButton } from '../views/render-text.ts';

export interface ConsoleOptions {
  dispatcher: Dispatcher;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  userId: string;
  locale: Locale;
  names: (userId: string) => string | undefined;
  /** Saves a reply's file (CSV, chart) and returns where it went. */
  saveFile: (name: string, content: string, encoding: 'utf8' | 'base64') => string;
  channelId?: string;
  /**
   * Tracks the handling of each line (its reply included), so shutdown can wait for it up to the
   * drain grace as it does for Slack requests.
   */
  track?: (work: Promise<unknown>) => void;
}

/**
 * A typed line as a slash command: `/ledger balance 売掛金` -> { command: '/ledger', text: ... },
 * cleaned of control characters; undefined when the line is not a slash command. Used by the
 * console and by `toban run`.
 */
export function readSlashLine(line: string): { command: string; text: string } | undefined {
  const m = /^(\/\S+)\s*([\s\S]*)$/.exec(cleanText(line).trim());
  if (!m) return undefined;
  // The command name is a keyword: ／ｌｅｄｇｅｒ is /ledger.
  return { command: m[1]!.normalize('NFKC').toLowerCase(), text: m[2] ?? '' };
}

export class ConsoleShell {
  private buttons: RenderedButton[] = [];
  private nextButton = 1;
  private userId: string;
  private closed = false;
  private rl?: readline.Interface;

  constructor(private readonly opts: ConsoleOptions) {
    this.userId = opts.userId;
  }

  print(text: string): void {
    this.opts.output.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Renders a message and remembers its buttons (numbered across the session so numbers stay valid). */
  show(reply: Pick<Reply, 'message' | 'files'>, prefix?: string): void {
    const rendered = renderMessage(reply.message, this.opts.names, this.nextButton);
    this.nextButton += rendered.buttons.length;
    this.buttons.push(...rendered.buttons);
    this.print((prefix ? prefix + '\n' : '') + rendered.text);
    for (const f of reply.files ?? []) {
      const where = this.opts.saveFile(f.filename, f.content, f.encoding ?? 'utf8');
      this.print(t(this.opts.locale, 'console.file', { name: f.filename, path: where }));
    }
  }

  async handle(line: string): Promise<void> {
    const text = cleanText(line).trim();
    if (!text) return;
    const words = text.normalize('NFKC');
    const asMatch = /^as\s+([A-Z0-9]+)$/i.exec(words);
    if (asMatch?.[1]) {
      this.userId = asMatch[1].toUpperCase();
      this.print(`→ ${this.opts.names(this.userId) ?? this.userId}`);
      return;
    }
    const press = /^press\s+(\d+)$/i.exec(words);
    if (press) {
      const n = Number(press[1]);
      const b = this.buttons.find((x) => x.n === n);
      if (!b) return this.print(t(this.opts.locale, 'console.no_button', { n }));
      const outcome = await this.opts.dispatcher.press({
        actionId: b.actionId,
        value: b.value,
        userId: this.userId,
        channelId: this.opts.channelId,
        locale: this.opts.locale,
      });
      if (outcome?.reply) this.show(outcome.reply);
      return;
    }
    const slash = readSlashLine(text);
    if (!slash)
      return this.print(
        t(this.opts.locale, 'error.unknown_command', {
          command: truncate(text.split(/\s+/)[0] ?? text, ECHO_LIMIT),
          commands: this.opts.dispatcher.commandNames().join(' '),
        }),
      );
    const outcome = await this.opts.dispatcher.run({
      command: slash.command,
      text: slash.text,
      userId: this.userId,
      channelId: this.opts.channelId,
      locale: this.opts.locale,
    });
    this.show(outcome.reply);
  }

  /**
   * Reads lines until EOF (or stop()), one at a time. Resolves when input ends, which may be while
   * the last line is still being answered: that work is given to `track`, and shutdown drains it.
   */
  async run(): Promise<void> {
    this.rl = readline.createInterface({ input: this.opts.input, terminal: false });
    for await (const line of this.rl) {
      if (this.closed) break;
      const work = this.handle(line).catch((err: unknown) => this.print(`! ${(err as Error).message}`));
      this.opts.track?.(work);
      await work;
    }
  }

  /** Stops reading input; a line being answered goes on (shutdown drains it). */
  stop(): void {
    this.closed = true;
    this.rl?.close();
  }
}

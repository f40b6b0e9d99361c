// Console mode: a shell in the terminal, in the tradition of Hubot's shell adapter, that plays every
// kind of Slack interaction through the one Dispatcher (the `Dispatch` interface):
//   /cmd …                  a slash command typed as the current user
//   press N                 a button [N] from any message printed so far
//   shortcut NAME [on N]    a global shortcut, or a message shortcut on message #N
//   react / unreact E N     reaction_added / reaction_removed on message #N
//   home                    the App Home
//   fire SOURCE [FIXTURE]   an alert fixture through the real HTTP intake (console/fire.ts)
//   as U0XXX                switch user;  help  the list
// A modal a handler opens is asked as a form (console/form.ts) from the same input, so a whole flow
// can be piped from a file. Lines are handled one at a time, in order, so piped input is predictable.
// Every line is cleaned where it enters (control characters, NUL included, are removed) and the
// shell's own words are read in NFKC like every command's.
import crypto from 'node:crypto';
import type { Reply } from '../core/command.ts';
import type { Dispatch, HandlerOutcome, MessageRef } from '../core/handlers.ts';
import { cleanText } from '../core/input.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Deliverer } from '../outbox/deliverer.ts';
import { ECHO_LIMIT, truncate } from '../views/limits.ts';
import {
  mrkdwnToText,
  renderMessage,
  unescapeMrkdwn,
  type RenderedButton,
  type TextStyle,
} from '../views/render-text.ts';
import type { FireOutcome } from './console/fire.ts';
import { presentModal, type FormHost } from './console/form.ts';
import { LineReader } from './console/lines.ts';
import { MessageLog } from './console/messages.ts';

export interface ConsoleOptions {
  dispatcher: Dispatch;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  userId: string;
  locale: Locale;
  names: (userId: string) => string | undefined;
  /** A person's id from a display name (`Aiko` -> U0AAA), for `@name` in a form's user field. */
  findUser?: (name: string) => string | undefined;
  /** Saves a reply's file (CSV, chart) and returns where it went. */
  saveFile: (name: string, content: string, encoding: 'utf8' | 'base64') => string;
  channelId?: string;
  /** ANSI styles (bold and the like); default: when the output is a terminal. */
  ansi?: boolean;
  /**
   * Tracks the handling of each line (its reply included), so shutdown can wait for it up to the
   * drain grace as it does for Slack requests.
   */
  track?: (work: Promise<unknown>) => void;
  /**
   * Resolves once what a line wrote to the outbox (a post, a DM, an updated message) has been
   * printed, so the next line can refer to it (`react eyes 2` after a filing): piped input reads
   * like a conversation. Default: lines follow one another at once.
   */
  settle?: () => Promise<void>;
  /** `fire <source> [fixture]`: POSTs the fixture to the intake (console/fire.ts); absent: not offered. */
  fire?: (source: string, fixture?: string) => Promise<FireOutcome>;
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

/** Where the console's own messages live when no channel is configured. */
const CONSOLE_CHANNEL = 'C0CONSOLE';

/** A button as printed, with the message it is on (undefined on the App Home). */
type Button = RenderedButton & { message?: number };

export class ConsoleShell {
  private readonly buttons: Button[] = [];
  private nextButton = 1;
  private readonly messages = new MessageLog();
  private userId: string;
  private closed = false;
  private lines?: LineReader;
  private readonly style: TextStyle;
  private eventSeq = 0;
  private lastEventTs = { seconds: 0, micros: 0 };

  constructor(private readonly opts: ConsoleOptions) {
    this.userId = opts.userId;
    this.style = { ansi: opts.ansi ?? (opts.output as { isTTY?: boolean }).isTTY === true };
  }

  print(text: string): void {
    this.opts.output.write(text.endsWith('\n') ? text : text + '\n');
  }

  /**
   * Prints a message, numbered (#n) so a shortcut or a reaction can name it, and remembers its
   * buttons (numbered across the session so numbers stay valid). The outbox's console deliverer
   * prints through here too (its heading says where the message went).
   */
  show(reply: Pick<Reply, 'message' | 'files'>, prefix?: string): void {
    const n = this.messages.add({
      channelId: this.opts.channelId ?? CONSOLE_CHANNEL,
      // As Slack hands it to a message shortcut: as typed, not mrkdwn-escaped (MessageRef.text).
      text: unescapeMrkdwn(reply.message.text),
    });
    const text = this.render(reply.message, n);
    this.print(`#${n} ${prefix ? prefix + '\n' : ''}${text}`);
    this.saveFiles(reply);
  }

  /** The outbox's deliverer, so that the messages it prints carry the ts the outbox records. */
  recordDeliveries(deliverer: Deliverer): Deliverer {
    return this.messages.recordDeliveries(deliverer);
  }

  private render(message: Reply['message'], onMessage?: number): string {
    const rendered = renderMessage(message, this.opts.names, this.nextButton, this.style);
    this.nextButton += rendered.buttons.length;
    this.buttons.push(...rendered.buttons.map((b) => ({ ...b, message: onMessage })));
    return rendered.text;
  }

  private saveFiles(reply: Pick<Reply, 'files'>): void {
    for (const f of reply.files ?? []) {
      const where = this.opts.saveFile(f.filename, f.content, f.encoding ?? 'utf8');
      this.print(t(this.opts.locale, 'console.file', { name: f.filename, path: where }));
    }
  }

  private get locale(): Locale {
    return this.opts.locale;
  }

  private get dispatch(): Dispatch {
    return this.opts.dispatcher;
  }

  async handle(line: string): Promise<void> {
    const text = cleanText(line).trim();
    if (!text) return;
    const slash = readSlashLine(text);
    if (slash) return this.command(slash);
    const words = text.normalize('NFKC');
    const verb = (words.split(/\s+/)[0] ?? '').toLowerCase();
    const rest = words.slice(verb.length).trim();
    switch (verb) {
      case 'as':
        return this.switchUser(rest);
      case 'press':
        return this.press(rest);
      case 'shortcut':
        return this.shortcut(rest);
      case 'react':
      case 'unreact':
        return this.react(verb, rest);
      case 'home':
        if (!rest) return this.home();
        break;
      case 'fire':
        if (this.opts.fire) return this.fire(rest);
        break;
      case 'help':
        if (!rest) return this.help();
        break;
    }
    this.print(
      this.text(
        t(this.locale, 'console.unknown_verb', { verb: truncate(text.split(/\s+/)[0] ?? text, ECHO_LIMIT) }),
      ),
    );
  }

  private async command(slash: { command: string; text: string }): Promise<void> {
    const outcome = await this.dispatch.run({
      command: slash.command,
      text: slash.text,
      userId: this.userId,
      channelId: this.opts.channelId,
      locale: this.locale,
      triggerId: this.triggerId(),
    });
    // A command that opens a form (`/investigate` alone) is asked like a shortcut's.
    if (outcome.view && !outcome.error) await this.answer({ view: outcome.view });
    else this.show(outcome.reply);
  }

  private async fire(rest: string): Promise<void> {
    const [source, fixture, extra] = rest.split(/\s+/).filter(Boolean);
    if (!source || extra) return this.print(t(this.locale, 'console.fire.usage'));
    const outcome = await this.opts.fire!(source, fixture);
    if (outcome.ok)
      this.print(
        t(this.locale, 'console.fire.sent', {
          source,
          fixture: outcome.fixture,
          status: outcome.status,
          body: outcome.body,
        }),
      );
    else this.print(t(this.locale, `console.fire.${outcome.problem}`, { detail: outcome.detail }));
    // What the intake wrote to the outbox (the group's message) is printed before the next line.
    await this.opts.settle?.();
  }

  private switchUser(rest: string): void {
    const id = /^([A-Z0-9]+)$/i.exec(rest)?.[1];
    if (!id) return this.print(this.text(t(this.locale, 'console.unknown_verb', { verb: 'as' })));
    this.userId = id.toUpperCase();
    this.print(`→ ${this.opts.names(this.userId) ?? this.userId}`);
  }

  private async press(rest: string): Promise<void> {
    const n = Number(/^\[?(\d+)\]?$/.exec(rest)?.[1]);
    const b = this.buttons.find((x) => x.n === n);
    if (!b) return this.print(t(this.locale, 'console.no_button', { n: truncate(rest, ECHO_LIMIT) }));
    const message = b.message === undefined ? undefined : this.messages.get(b.message);
    const outcome = await this.dispatch.press({
      actionId: b.actionId,
      value: b.value,
      userId: this.userId,
      channelId: message?.channelId ?? this.opts.channelId,
      locale: this.locale,
      triggerId: this.triggerId(),
      ...(message
        ? { message, messageTs: message.ts, container: { type: 'message' as const, messageTs: message.ts } }
        : {}),
    });
    if (outcome) await this.answer(outcome);
  }

  /** `shortcut <callback_id or name>` or `shortcut <…> on <n>`. */
  private async shortcut(rest: string): Promise<void> {
    const m = /^(.+?)(?:\s+on\s+#?(\d+))?$/i.exec(rest);
    if (!m?.[1]) return this.print(this.text(t(this.locale, 'console.usage.shortcut')));
    const wanted = m[1].trim();
    const type = m[2] === undefined ? 'global' : 'message';
    const key = (s: string) => s.normalize('NFKC').toLowerCase();
    const all = this.dispatch.registered().shortcuts;
    const named = all.filter((s) => key(s.callbackId) === key(wanted) || key(s.name) === key(wanted));
    const found = named.find((s) => s.type === type);
    const name = truncate(wanted, ECHO_LIMIT);
    if (!found) {
      const other = named[0];
      const why = !other
        ? 'console.unknown_shortcut'
        : other.type === 'message'
          ? 'console.shortcut_needs_message'
          : 'console.shortcut_is_global';
      return this.print(this.text(t(this.locale, why, { name })));
    }
    let message: MessageRef | undefined;
    if (m[2] !== undefined) {
      message = this.messages.get(Number(m[2]));
      if (!message) return this.print(t(this.locale, 'console.no_message', { n: m[2] }));
    }
    const outcome = await this.dispatch.shortcut({
      callbackId: found.callbackId,
      type,
      userId: this.userId,
      locale: this.locale,
      triggerId: this.triggerId(),
      ...(message ? { message, channelId: message.channelId } : {}),
    });
    await this.answer(outcome);
  }

  /** `react <emoji> <n>`: the reaction event on message #n, with a fresh event id each time. */
  private async react(verb: 'react' | 'unreact', rest: string): Promise<void> {
    const m = /^:?([^\s:]+):?\s+#?(\d+)$/.exec(rest);
    if (!m) return this.print(this.text(t(this.locale, 'console.usage.react', { verb })));
    const [, emoji = '', n = ''] = m;
    const message = this.messages.get(Number(n));
    if (!message) return this.print(t(this.locale, 'console.no_message', { n }));
    const result = await this.dispatch.event({
      event: {
        type: verb === 'react' ? 'reaction_added' : 'reaction_removed',
        userId: this.userId,
        reaction: emoji,
        item: { channelId: message.channelId, ts: message.ts },
        itemUserId: message.authorId,
      },
      eventId: this.eventId(),
      eventTs: this.eventTs(),
      locale: this.locale,
    });
    this.print(t(this.locale, verb === 'react' ? 'console.reacted' : 'console.unreacted', { emoji, n }));
    for (const reply of result.replies) this.show(reply);
    if (result.home) this.showHome(result.home);
  }

  private async home(): Promise<void> {
    this.showHome(await this.dispatch.home({ userId: this.userId, locale: this.locale }));
  }

  /** The App Home is a view, not a message: not numbered, but its buttons can be pressed. */
  private showHome(message: Reply['message']): void {
    const user = this.opts.names(this.userId) ?? this.userId;
    this.print(`${t(this.locale, 'console.home', { user })}\n${this.render(message)}`);
  }

  private help(): void {
    const registered = this.dispatch.registered();
    const lines = [
      t(this.locale, 'console.help', { user: this.opts.names(this.userId) ?? this.userId }),
      t(this.locale, 'console.help.commands', { commands: registered.commands.join(' ') }),
      registered.shortcuts.length
        ? t(this.locale, 'console.help.shortcuts')
        : t(this.locale, 'console.help.no_shortcuts'),
      ...registered.shortcuts.map((s) =>
        t(this.locale, 'console.help.shortcut', {
          name: s.name,
          id: s.callbackId,
          type: t(this.locale, `console.help.${s.type}`),
        }),
      ),
    ];
    this.print(this.text(lines.join('\n')));
  }

  /** A handler's outcome: its reply printed as a message, its modal shown as a form. */
  private async answer(outcome: HandlerOutcome): Promise<void> {
    if (outcome.reply) this.show(outcome.reply);
    if (outcome.view) await presentModal(this.formHost(), outcome.view.modal);
  }

  private formHost(): FormHost {
    return {
      dispatch: this.dispatch,
      actor: () => ({ userId: this.userId, locale: this.locale, channelId: this.opts.channelId }),
      ask: (prompt) => this.ask(prompt),
      print: (text) => this.print(text),
      text: (mrkdwn) => this.text(mrkdwn),
      showReply: (reply) => this.show(reply),
      userIdOf: (typed) => this.userIdOf(typed),
      nameOf: (id) => this.opts.names(id),
    };
  }

  private text(mrkdwn: string): string {
    return mrkdwnToText(mrkdwn, this.opts.names, this.style);
  }

  /**
   * Prints a prompt and reads the answer from the shell's input. When the input is not a terminal
   * (a pipe, a file) the answer is printed after the prompt, so the output reads as a transcript.
   */
  private async ask(prompt: string): Promise<string | undefined> {
    this.opts.output.write(prompt);
    const line = this.closed ? undefined : await this.reader().next();
    const typed = line === undefined ? undefined : cleanText(line);
    const echo = (this.opts.input as { isTTY?: boolean }).isTTY !== true;
    this.opts.output.write(echo && typed !== undefined ? `${typed}\n` : echo ? '\n' : '');
    return typed;
  }

  private userIdOf(typed: string): string | undefined {
    const id = /^<?@?(U[A-Z0-9]+)>?$/i.exec(typed)?.[1];
    if (id) return id.toUpperCase();
    const name = typed.replace(/^@/, '');
    return this.opts.findUser?.(name);
  }

  /** Slack's trigger_id stands for "a person just acted"; the console shows modals itself. */
  private triggerId(): string {
    return `console.${crypto.randomBytes(6).toString('hex')}`;
  }

  /** A fresh event_id, as Slack gives every event it sends (retries share theirs; the console never retries). */
  private eventId(): string {
    return `EvCONSOLE${++this.eventSeq}${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
  }

  /**
   * An event_ts as Slack gives one (seconds, a dot, six digits), later than every one before it in
   * the session: the console's events happen in the order they are typed.
   */
  private eventTs(): string {
    const seconds = Math.floor(Date.now() / 1000);
    const last = this.lastEventTs;
    if (seconds > last.seconds) this.lastEventTs = { seconds, micros: 0 };
    else if (last.micros < 999_999) this.lastEventTs = { seconds: last.seconds, micros: last.micros + 1 };
    else this.lastEventTs = { seconds: last.seconds + 1, micros: 0 };
    return `${this.lastEventTs.seconds}.${String(this.lastEventTs.micros).padStart(6, '0')}`;
  }

  private reader(): LineReader {
    this.lines ??= new LineReader(this.opts.input);
    return this.lines;
  }

  /**
   * Reads lines until EOF (or stop()), one at a time. Resolves when input ends, which may be while
   * the last line is still being answered: that work is given to `track`, and shutdown drains it.
   */
  async run(): Promise<void> {
    const lines = this.reader();
    for (;;) {
      const line = await lines.next();
      if (line === undefined || this.closed) break;
      const work = this.handle(line)
        .then(() => this.opts.settle?.())
        .catch((err: unknown) => this.print(`! ${(err as Error).message}`));
      this.opts.track?.(work);
      await work;
    }
  }

  /** Stops reading input; a line being answered goes on (shutdown drains it), a form is cancelled. */
  stop(): void {
    this.closed = true;
    this.lines?.close();
  }
}

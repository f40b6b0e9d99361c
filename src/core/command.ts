// The contract between transports (Slack, console, `toban run`) and the files in commands/.
// A command parses its text, calls one service and returns a Reply; it never talks to Slack.
import type { KnownBlock } from '@slack/types';
import type { Locale } from '../i18n/index.ts';
import type { AppContext } from './context.ts';
import type { Modal } from './modal.ts';

export interface Message {
  /** Plain-text fallback: notifications, screen readers, the console. */
  text: string;
  blocks?: KnownBlock[];
}

export interface ReplyFile {
  filename: string;
  title: string;
  /** Text (CSV) as utf8; binary (a PNG chart) as base64. */
  content: string;
  encoding?: 'utf8' | 'base64';
  filetype?: string;
}

export interface Reply {
  visibility: 'ephemeral' | 'in_channel';
  message: Message;
  /** The data behind the message, printed by `toban run --json` (money as integer yen). */
  model?: unknown;
  files?: ReplyFile[];
}

export interface Invocation {
  /** "/oncall" */
  command: string;
  /** Everything after the command name, as typed. */
  text: string;
  userId: string;
  channelId?: string;
  locale: Locale;
  triggerId?: string;
  /**
   * A stable key for this invocation (the stored Slack request's key): the same when the request is
   * answered again after a crash, so a state change or an outbox row made under it happens once.
   * Absent in the console and `toban run`, where nothing is retried.
   */
  key?: string;
}

/**
 * What run() returns instead of a Reply when the command's answer is a form (`/investigate` alone
 * opens the filing modal): the transport opens `modal` with the invocation's trigger_id (Slack:
 * views.open within its 3 s; the console: asks it field by field; `toban run --json`: prints its
 * view model). Its submission goes to the view handler of `modal.callbackId`, as from a shortcut.
 */
export interface CommandModal {
  view: { action: 'open'; modal: Modal };
}

/** Whether a command's result is a modal to open rather than a reply. */
export function isCommandModal(result: Reply | CommandModal): result is CommandModal {
  return 'view' in result && !('message' in result);
}

/**
 * A slash command. `R`: what run() answers; a command that may open a modal declares
 * `SlashCommand<Reply | CommandModal>` (the lists and the Dispatcher take either).
 */
export interface SlashCommand<R extends Reply | CommandModal = Reply> {
  name: string;
  /** Catalogue key of the usage text shown by `<command> help` and after a usage error. */
  helpKey: string;
  /** Finance-only commands are refused (and audited) before run() for anyone else. */
  financeOnly?: boolean;
  /** A reply, or a modal to open (CommandModal): the transport then needs `inv.triggerId`. */
  run(inv: Invocation, ctx: AppContext): Promise<R>;
}

// Block actions, shortcuts, modals, events and the App Home: see handlers.ts.

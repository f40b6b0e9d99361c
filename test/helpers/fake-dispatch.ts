// A small scripted Dispatch for console tests: a slash command that posts a message with a button,
// a global shortcut that opens a modal whose submission is validated, a message shortcut, a
// reaction handler and an App Home. Every call is recorded so tests can assert what reached it.
import type { Invocation, Message, Reply } from '../../src/core/command.ts';
import type {
  ActionInvocation,
  Dispatch,
  EventInvocation,
  HandlerOutcome,
  Outcome,
  ShortcutInvocation,
  ViewAck,
  ViewSubmission,
} from '../../src/core/handlers.ts';
import type { Modal } from '../../src/core/modal.ts';
import type { Locale } from '../../src/i18n/index.ts';

export type Call =
  | { kind: 'run'; inv: Invocation }
  | { kind: 'press'; action: ActionInvocation }
  | { kind: 'shortcut'; shortcut: ShortcutInvocation }
  | { kind: 'acknowledgeView'; submission: ViewSubmission }
  | { kind: 'submitView'; submission: ViewSubmission }
  | { kind: 'closeView'; submission: ViewSubmission }
  | { kind: 'event'; inv: EventInvocation }
  | { kind: 'home'; person: { userId: string; locale: Locale } };

const reply = (text: string, blocks?: Message['blocks']): Reply => ({
  visibility: 'in_channel',
  message: { text, ...(blocks ? { blocks } : {}) },
});

/** The follow-up ticket form: a text, a select, an optional date and a person. */
export function ticketModal(privateMetadata?: string, title?: string): Modal {
  return {
    callbackId: 'ticket_form',
    title: 'File ticket',
    submit: 'File',
    intro: 'Files a *follow-up* ticket.',
    notifyOnClose: true,
    privateMetadata,
    fields: [
      { id: 'title', label: 'Title', kind: 'text', hint: 'One line', maxLength: 40, initial: title },
      {
        id: 'priority',
        label: 'Priority',
        kind: 'select',
        options: [
          { value: 'p1', label: 'Urgent' },
          { value: 'p3', label: 'Normal' },
        ],
        initial: 'p3',
      },
      { id: 'due', label: 'Due', kind: 'date', optional: true },
      { id: 'owner', label: 'Owner', kind: 'user', initial: 'U0AAA' },
    ],
  };
}

export class FakeDispatch implements Dispatch {
  readonly calls: Call[] = [];
  /** Set to make the next acknowledgement (only) an `update` with this modal. */
  pending?: Modal;

  of<K extends Call['kind']>(kind: K): Extract<Call, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<Call, { kind: K }> => c.kind === kind);
  }

  commandNames(): string[] {
    return ['/post'];
  }

  async run(inv: Invocation): Promise<Outcome> {
    this.calls.push({ kind: 'run', inv });
    if (inv.command !== '/post') return { reply: reply(`no ${inv.command}`), error: 'user' };
    return {
      reply: reply(inv.text, [
        { type: 'section', text: { type: 'mrkdwn', text: `*Posted:* ${inv.text}` } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'ticket',
              value: 'from-button',
              text: { type: 'plain_text', text: 'Ticket' },
            },
          ],
        },
      ]),
    };
  }

  async press(action: ActionInvocation): Promise<HandlerOutcome | undefined> {
    this.calls.push({ kind: 'press', action });
    if (action.actionId !== 'ticket') return undefined;
    return { view: { action: 'open', modal: ticketModal(action.message?.ts) } };
  }

  async shortcut(shortcut: ShortcutInvocation): Promise<HandlerOutcome> {
    this.calls.push({ kind: 'shortcut', shortcut });
    if (shortcut.callbackId === 'ticket_new') return { view: { action: 'open', modal: ticketModal() } };
    if (shortcut.callbackId === 'ticket_from_message') {
      const m = shortcut.message!;
      return { view: { action: 'open', modal: ticketModal(`${m.channelId}/${m.ts}`, m.text) } };
    }
    return { reply: reply('?') };
  }

  async acknowledgeView(submission: ViewSubmission): Promise<ViewAck> {
    this.calls.push({ kind: 'acknowledgeView', submission });
    const errors: Record<string, string> = {};
    if (/bad/i.test(submission.values.title ?? '')) errors.title = 'Say what went wrong, not "bad".';
    if (submission.values.due && submission.values.due < '2024-01-01') errors.due = 'Not in the past.';
    if (Object.keys(errors).length) return { action: 'errors', errors };
    const pending = this.pending;
    this.pending = undefined; // once: the modal it shows is acknowledged on its own
    if (pending) return { action: 'update', modal: pending };
    return { action: 'close' };
  }

  async submitView(submission: ViewSubmission): Promise<HandlerOutcome | undefined> {
    this.calls.push({ kind: 'submitView', submission });
    const v = submission.values;
    return { reply: reply(`Filed *${v.title}* (${v.priority}) for <@${v.owner}> due ${v.due ?? '-'}`) };
  }

  async closeView(submission: ViewSubmission): Promise<void> {
    this.calls.push({ kind: 'closeView', submission });
  }

  async event(inv: EventInvocation): Promise<{ replies: Reply[]; home?: Message }> {
    this.calls.push({ kind: 'event', inv });
    const e = inv.event;
    if (e.type === 'reaction_added' && e.reaction === 'eyes')
      return { replies: [reply(`<@${e.userId}> is looking at ${e.item.ts}`)] };
    return { replies: [] };
  }

  async home(person: { userId: string; locale: Locale }): Promise<Message> {
    this.calls.push({ kind: 'home', person });
    return {
      text: 'home',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Your shifts' } },
        { type: 'section', text: { type: 'mrkdwn', text: `Next: *Mon 10:00* <@${person.userId}>` } },
      ],
    };
  }

  registered(): ReturnType<Dispatch['registered']> {
    return {
      commands: ['/post'],
      actions: ['ticket'],
      shortcuts: [
        { callbackId: 'ticket_new', type: 'global', name: 'File ticket' },
        { callbackId: 'ticket_from_message', type: 'message', name: 'Ticket this' },
      ],
      views: ['ticket_form'],
      events: ['reaction_added', 'reaction_removed'],
    };
  }
}

// Console mode's side of the outbox: what would go to Slack is printed in the shell as it happens
// (alerts, handoffs, DMs, user-group changes), so the same code paths run without a workspace.
import type { Reply } from '../app/command.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Delivered, Deliverer, DeliveryContext, OutboxRow } from './deliverer.ts';
import { PermanentError } from './deliverer.ts';
import type { OutboxItem } from './kinds.ts';

type Show = (reply: Pick<Reply, 'message' | 'files'>, prefix: string) => void;

export class ConsoleDeliverer implements Deliverer {
  private seq = 0;

  constructor(
    private readonly show: Show,
    private readonly locale: Locale,
    private readonly saveFile: (name: string, content: string, encoding: 'utf8' | 'base64') => string,
  ) {}

  async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
    const item = { kind: row.kind, payload: row.payload } as Pick<OutboxItem, 'kind' | 'payload'>;
    const ts = `${Math.floor(row.createdAt.getTime() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    switch (item.kind) {
      case 'slack.post': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.post' }>['payload'];
        this.show({ message: p }, t(this.locale, 'console.posted', { channel: p.channel }));
        return {
          result: { channel: p.channel, ts },
          message: p.ref ? { ref: p.ref, channel: p.channel, ts } : undefined,
        };
      }
      case 'slack.update': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.update' }>['payload'];
        const where = await ctx.lookupRef(p.ref);
        this.show({ message: p }, t(this.locale, 'console.updated', { channel: where?.channel ?? p.ref }));
        return { result: { ref: p.ref } };
      }
      case 'slack.ephemeral': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.ephemeral' }>['payload'];
        this.show({ message: p }, t(this.locale, 'console.ephemeral', { user: p.user }));
        return { result: {} };
      }
      case 'slack.respond': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.respond' }>['payload'];
        this.show({ message: p }, '');
        return { result: {} };
      }
      case 'slack.dm': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.dm' }>['payload'];
        this.show({ message: p }, t(this.locale, 'console.dm', { user: p.user }));
        return { result: { ts } };
      }
      case 'slack.usergroup': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.usergroup' }>['payload'];
        const text = t(this.locale, 'console.usergroup', { group: p.usergroup, users: p.users.join(', ') });
        this.show({ message: { text } }, '');
        return { result: {} };
      }
      case 'slack.file': {
        const p = item.payload as Extract<OutboxItem, { kind: 'slack.file' }>['payload'];
        const where = this.saveFile(p.filename, p.content, p.encoding ?? 'utf8');
        this.show(
          { message: { text: t(this.locale, 'console.file', { name: p.filename, path: where }) } },
          '',
        );
        return { result: { path: where } };
      }
      default:
        throw new PermanentError(`console mode cannot deliver ${row.kind}`);
    }
  }
}

// Console mode's side of the outbox: what would go to Slack is printed in the shell as it happens
// (alerts, handoffs, DMs, user-group changes), so the same code paths run without a workspace.
// Each kind's printing is in its file (kinds/); this takes only the rows written for the console.
import { z } from 'zod';
import type { Reply } from '../core/command.ts';
import type { Locale } from '../i18n/index.ts';
import type { Delivered, Deliverer, DeliveryContext, OutboxRow } from './deliverer.ts';
import { PermanentError } from './deliverer.ts';
import type { ConsoleCalls } from './kinds/kind.ts';
import { slackKindOf } from './kinds/index.ts';

type Show = (reply: Pick<Reply, 'message' | 'files'>, prefix: string) => void;

export class ConsoleDeliverer implements Deliverer {
  readonly transport = 'console' as const;
  /** Printing and saving a file are local: a few seconds is plenty. */
  readonly deadlineMs = 5_000;
  private seq = 0;
  private readonly out: ConsoleCalls;

  constructor(
    show: Show,
    locale: Locale,
    saveFile: (name: string, content: string, encoding: 'utf8' | 'base64') => string,
  ) {
    this.out = {
      locale,
      show: (message, heading) => show({ message }, heading),
      saveFile,
      ts: (row) => `${Math.floor(row.createdAt.getTime() / 1000)}.${String(++this.seq).padStart(6, '0')}`,
    };
  }

  async deliver(row: OutboxRow, ctx: DeliveryContext): Promise<Delivered> {
    const kind = slackKindOf(row.kind);
    if (!kind) throw new PermanentError(`console mode cannot deliver ${row.kind}`);
    const parsed = kind.payload.safeParse(row.payload);
    if (!parsed.success)
      throw new PermanentError(`${row.kind}: bad payload: ${z.prettifyError(parsed.error)}`);
    return kind.console(row, parsed.data, this.out, ctx);
  }
}

// A view submission's acknowledgement body (transport/slack-view-ack.ts), and its deadline: a
// validate() that does not answer in time closes the modal and lets the submission be stored.
import { describe, expect, it } from 'vitest';
import type { ViewAck } from '../../src/core/handlers.ts';
import { createLogger } from '../../src/core/log.ts';
import {
  ACK_BUDGET_MS,
  createViewAcknowledger,
  viewAckBody,
  type ViewSubmissionBody,
} from '../../src/transport/slack-view-ack.ts';
import { LogCapture } from '../helpers/context.ts';

const body = {
  type: 'view_submission',
  user: { id: 'U0AAA' },
  view: {
    id: 'V1',
    callback_id: 'thing.file',
    state: { values: { t: { t: { type: 'plain_text_input', value: 'x' } } } },
  },
} as unknown as ViewSubmissionBody;

function acknowledger(
  decide: () => Promise<ViewAck>,
  deadlineMs = 1_000,
  locale: () => Promise<'ja' | 'en'> = async () => 'en',
) {
  const logs = new LogCapture();
  const seen: unknown[] = [];
  const ack = createViewAcknowledger({
    dispatcher: {
      acknowledgeView: async (s) => {
        seen.push(s);
        return decide();
      },
    },
    locale,
    defaultLocale: 'ja',
    log: createLogger('debug', logs),
    deadlineMs,
  });
  return { ack, logs, seen };
}

describe('view acknowledgement', () => {
  it('answers errors by block_id and stores nothing', async () => {
    const { ack, seen } = acknowledger(async () => ({ action: 'errors', errors: { t: 'no' } }));
    expect(await ack(body)).toEqual({
      store: false,
      body: { response_action: 'errors', errors: { t: 'no' } },
    });
    expect(seen).toMatchObject([
      { callbackId: 'thing.file', viewId: 'V1', values: { t: 'x' }, userId: 'U0AAA' },
    ]);
  });

  it('stores the others: update with the rendered view, clear, or an empty body', async () => {
    const update = acknowledger(async () => ({
      action: 'update',
      modal: { callbackId: 'p', title: 'Working', fields: [] },
    }));
    const out = await update.ack(body);
    expect(out.store).toBe(true);
    expect(out.body).toMatchObject({ response_action: 'update', view: { type: 'modal', callback_id: 'p' } });
    expect(await acknowledger(async () => ({ action: 'clear' })).ack(body)).toMatchObject({
      store: true,
      body: { response_action: 'clear' },
    });
    expect(viewAckBody({ action: 'close' })).toBeUndefined();
  });

  it('closes the modal and stores the submission when validate() does not answer in time', async () => {
    const { ack, logs } = acknowledger(() => new Promise<ViewAck>(() => {}), 20);
    expect(await ack(body)).toMatchObject({ store: true, body: undefined });
    expect(logs.lines.some((l) => String(l.msg).includes('not checked in time'))).toBe(true);
  });

  it('does not wait on a slow look-up of the language (the configured one is used)', async () => {
    // users.info for someone new may take seconds: the check goes on in the configured language.
    const { ack, seen } = acknowledger(
      async () => ({ action: 'close' }),
      1_000,
      () => new Promise(() => {}),
    );
    expect((await ack(body)).store).toBe(true);
    expect(seen).toMatchObject([{ locale: 'ja' }]);
  });

  it('leaves the INSERT what the check left of the budget, and never less than its floor', async () => {
    const budgetAfter = async (spentMs: number) => {
      const times = [1_000, 1_000 + spentMs];
      const ack = createViewAcknowledger({
        dispatcher: { acknowledgeView: async () => ({ action: 'close' }) },
        locale: async () => 'en',
        defaultLocale: 'ja',
        log: createLogger('silent', new LogCapture()),
        nowMs: () => times.shift()!,
      });
      const out = await ack(body);
      return out.store ? out.storeDeadlineMs : undefined;
    };
    expect(await budgetAfter(300)).toBe(ACK_BUDGET_MS - 300);
    expect(await budgetAfter(2_400)).toBe(500);
  });
});

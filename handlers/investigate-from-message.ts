// Message shortcut "Investigate this": the filing modal with the message's text as the question
// (its mentions, channels and links made readable) and the message (channel, ts, permalink) carried
// along, so the request links back to it.
import { UserError } from '../src/core/errors.ts';
import type { ShortcutHandler } from '../src/core/handlers.ts';
import { filingDefaults } from '../src/services/investigations/month-close.ts';
import { questionFromMessage } from '../src/services/investigations/prefill.ts';
import { filingModal } from '../src/views/investigation.ts';

export const investigateFromMessage: ShortcutHandler = {
  callbackId: 'investigate_from_message',
  type: 'message',
  name: 'Investigate this',
  description: 'このメッセージから調査依頼を作成 / File an investigation request from this message',
  async run(shortcut, ctx) {
    const m = shortcut.message;
    if (!m) throw new UserError('investigation.error.no_message');
    const source = { channel: m.channelId, ts: m.ts, ...(m.permalink ? { permalink: m.permalink } : {}) };
    const [question, defaults] = await Promise.all([
      questionFromMessage(ctx, m.text),
      filingDefaults(ctx, shortcut.userId),
    ]);
    return { view: { action: 'open', modal: filingModal(shortcut.locale, { question, source, defaults }) } };
  },
};

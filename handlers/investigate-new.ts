// Global shortcut "Request investigation": opens the filing modal (submitted to investigation-file.ts).
import type { ShortcutHandler } from '../src/core/handlers.ts';
import { filingDefaults } from '../src/services/investigations/month-close.ts';
import { filingModal } from '../src/views/investigation.ts';

export const investigateNew: ShortcutHandler = {
  callbackId: 'investigate_new',
  type: 'global',
  name: 'Request investigation',
  description: '調査依頼を作成 / File an investigation request',
  async run(shortcut, ctx) {
    const defaults = await filingDefaults(ctx, shortcut.userId);
    return { view: { action: 'open', modal: filingModal(shortcut.locale, { defaults }) } };
  },
};

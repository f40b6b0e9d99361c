// "Show amounts" under an investigation's ledger facts (its thread): the facts with their amounts to
// a finance member, a refusal naming who may see them to anyone else; both audited
// (services/investigations/ledger-facts.ts showLedgerFacts).
import type { ActionHandler } from '../src/core/handlers.ts';
import { t } from '../src/i18n/index.ts';
import { showLedgerFacts } from '../src/services/investigations/ledger-facts.ts';
import { textReply } from '../src/views/common.ts';
import { factsRefusal, factsReply, SHOW_AMOUNTS_ACTION } from '../src/views/investigation-ledger-facts.ts';

export const investigationLedgerFacts: ActionHandler = {
  actionId: SHOW_AMOUNTS_ACTION,
  async run(action, ctx) {
    const id = action.value ?? '';
    const shown = await showLedgerFacts(ctx, { userId: action.userId, key: action.key }, id);
    if (shown.allowed) return { reply: factsReply(shown.facts, id, action.locale) };
    if (shown.reason === 'unavailable')
      return {
        reply: textReply(
          t(action.locale, 'permission.unavailable', { command: '/ledger', reason: shown.detail }),
        ),
      };
    return { reply: factsRefusal(shown.reference, shown.who, action.locale) };
  },
};

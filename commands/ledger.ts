// /ledger — finance's questions to the general ledger (finance members only; every query audited).
import type { SlashCommand } from '../src/app/command.ts';
import { answerLedger } from '../src/services/ledger/ask.ts';
import { ledgerView } from '../src/views/ledger/index.ts';

export const ledger: SlashCommand = {
  name: '/ledger',
  helpKey: 'ledger.help',
  financeOnly: true,
  async run(inv, ctx) {
    return ledgerView(await answerLedger(ctx, inv.userId, inv.text), inv.locale);
  },
};

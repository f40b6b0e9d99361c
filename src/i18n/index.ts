// Every user-facing sentence, in Japanese and English. Catalogues are split by area; each area's
// ja file is the source of keys and its en file must have the same keys (a test holds that).
import { core as jaCore } from './ja/core.ts';
import { core as enCore } from './en/core.ts';
import { sales as jaSales } from './ja/sales.ts';
import { sales as enSales } from './en/sales.ts';
import { ledger as jaLedger } from './ja/ledger.ts';
import { ledger as enLedger } from './en/ledger.ts';
import { handlers as jaHandlers } from './ja/handlers.ts';
import { handlers as enHandlers } from './en/handlers.ts';
import { investigation as jaInvestigation } from './ja/investigation.ts';
import { investigation as enInvestigation } from './en/investigation.ts';
import { investigationLifecycle as jaInvestigationLifecycle } from './ja/investigation-lifecycle.ts';
import { investigationLifecycle as enInvestigationLifecycle } from './en/investigation-lifecycle.ts';
import { consoleShell as jaConsole } from './ja/console.ts';
import { consoleShell as enConsole } from './en/console.ts';
import { rotations as jaRotations } from './ja/rotations.ts';
import { rotations as enRotations } from './en/rotations.ts';
import { deadlines as jaDeadlines } from './ja/deadlines.ts';
import { deadlines as enDeadlines } from './en/deadlines.ts';
import { ledgerFacts as jaLedgerFacts } from './ja/ledger-facts.ts';
import { ledgerFacts as enLedgerFacts } from './en/ledger-facts.ts';
import { investigationSearch as jaInvestigationSearch } from './ja/investigation-search.ts';
import { investigationSearch as enInvestigationSearch } from './en/investigation-search.ts';
import { investigate as jaInvestigate } from './ja/investigate.ts';
import { investigate as enInvestigate } from './en/investigate.ts';
import { alerts as jaAlerts } from './ja/alerts.ts';
import { alerts as enAlerts } from './en/alerts.ts';
import { silences as jaSilences } from './ja/silences.ts';
import { silences as enSilences } from './en/silences.ts';
import { alertActions as jaAlertActions } from './ja/alert-actions.ts';
import { alertActions as enAlertActions } from './en/alert-actions.ts';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];

type Catalogue = Record<string, string>;
// One line per area: add the area's ja and en catalogues here.
const catalogues: Record<Locale, Catalogue> = {
  ja: {
    ...jaCore,
    ...jaSales,
    ...jaLedger,
    ...jaHandlers,
    ...jaInvestigation,
    ...jaConsole,
    ...jaRotations,
    ...jaInvestigationLifecycle,
    ...jaDeadlines,
    ...jaLedgerFacts,
    ...jaInvestigationSearch,
    ...jaInvestigate,
    ...jaAlerts,
    ...jaSilences,
    ...jaAlertActions,
  },
  en: {
    ...enCore,
    ...enSales,
    ...enLedger,
    ...enHandlers,
    ...enInvestigation,
    ...enConsole,
    ...enRotations,
    ...enInvestigationLifecycle,
    ...enDeadlines,
    ...enLedgerFacts,
    ...enInvestigationSearch,
    ...enInvestigate,
    ...enAlerts,
    ...enSilences,
    ...enAlertActions,
  },
};

export type Params = Record<string, string | number | bigint>;

export function t(locale: Locale, key: string, params: Params = {}): string {
  const template = catalogues[locale][key] ?? catalogues.ja[key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasKey(key: string): boolean {
  return key in catalogues.ja;
}

export function allKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}

/** Slack sends locales like "ja-JP" or "en-US"; anything not Japanese reads English. */
export function localeFrom(slackLocale: string | undefined, fallback: Locale): Locale {
  if (!slackLocale) return fallback;
  return slackLocale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

// A filing checked and its problems said in the filer's language: what the view submission's
// validate() answers (field errors keep the modal open) and what submit() checks again.
import type { AppContext } from '../../core/context.ts';
import type { FieldErrors, FieldValues } from '../../core/modal.ts';
import { FIELDS, validateFiling, type FilingInput, type FilingResult } from '../../domain/investigation.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { knowsReference } from './ledger-facts.ts';

/** The modal's values as the domain reads them (only the filing's fields). */
export function filingInput(values: FieldValues): FilingInput {
  const input: FilingInput = {};
  for (const id of Object.values(FIELDS)) if (values[id] !== undefined) input[id] = values[id];
  return input;
}

/** The filing checked at the clock's now in the business time zone. Read-only: writes nothing. */
export function checkFiling(ctx: Pick<AppContext, 'clock' | 'config'>, values: FieldValues): FilingResult {
  return validateFiling(filingInput(values), ctx.clock.now(), ctx.config.timezone);
}

/**
 * Field errors in `locale`, by field id; undefined when the filing is valid. A reference the ledger
 * does not know is an error on `reference` (checked within REFERENCE_CHECK_MS: a ledger that does
 * not answer in time lets it through, and the thread says its facts could not be read).
 */
export async function filingErrors(
  ctx: Pick<AppContext, 'clock' | 'config' | 'ledgerPool'>,
  values: FieldValues,
  locale: Locale,
): Promise<FieldErrors | undefined> {
  const result = checkFiling(ctx, values);
  const problems = result.ok ? {} : { ...result.problems };
  const reference = values[FIELDS.reference]?.trim();
  if (reference && !problems.reference && (await knowsReference(ctx, reference)) === false)
    problems.reference = { key: 'investigation.error.reference_unknown', params: { value: reference } };
  if (Object.keys(problems).length === 0) return undefined;
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems))
    if (problem) errors[field] = t(locale, problem.key, problem.params);
  return errors;
}

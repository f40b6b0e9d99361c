// An investigation read by the id a button or a modal carries (it came back from Slack: checked).
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import { investigationById, type InvestigationRow } from '../../db/investigations.ts';
import { formatInvestigationId } from '../../domain/investigation.ts';

const ID = /^[1-9]\d{0,17}$/;

/**
 * The id in a button's value (the number behind INV-n, as the post wrote it).
 * @throws UserError investigation.error.not_found when it is not one.
 */
export function investigationIdOf(value: string | undefined): string {
  if (value === undefined || !ID.test(value))
    // Not echoed: the value came from outside and may be anything.
    throw new UserError('investigation.error.not_found', { id: formatInvestigationId('?') });
  return value;
}

/**
 * The investigation `id`, as it is now (no lock: for showing a modal).
 * @throws UserError investigation.error.not_found when there is none.
 */
export async function findInvestigation(
  ctx: Pick<AppContext, 'pool'>,
  id: string,
): Promise<InvestigationRow> {
  const inv = await investigationById(ctx.pool, investigationIdOf(id));
  if (!inv) throw new UserError('investigation.error.not_found', { id: formatInvestigationId(id) });
  return inv;
}

/**
 * Says why a button changed nothing when the reason is worth saying: the request is resolved (a
 * stale post, pressed before its update arrived). A double click or a race changes nothing silently.
 * @throws UserError investigation.error.already_resolved; investigation.error.not_found.
 */
export async function explainUnchanged(ctx: Pick<AppContext, 'pool'>, id: string): Promise<void> {
  const inv = await findInvestigation(ctx, id);
  if (inv.status === 'resolved')
    throw new UserError('investigation.error.already_resolved', { id: formatInvestigationId(inv.id) });
}

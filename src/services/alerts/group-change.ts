// How one change of an alert group is shown in Slack: the group's message updated (one
// slack.update keyed by the group's version) and one line in its thread, both under the group's
// ordering key, in the caller's transaction. Used by the buttons and commands (actions.ts) and by
// silences shown on groups (silence-groups.ts); a retried click or a second replica writes nothing
// twice, as both rows are keyed by the version the change moved the group to.
import type { AppContext } from '../../core/context.ts';
import type { ActionGroupRow } from '../../db/alert-actions.ts';
import { groupOf } from '../../db/alerts.ts';
import type { Queryable } from '../../db/pool.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import {
  alertGroupMessage,
  alertGroupRef,
  alertGroupThreadLine,
  type AlertGroupChange,
} from '../../views/alert-group.ts';

type Ctx = Pick<AppContext, 'config' | 'outboxTransport'>;

/**
 * Inside `tx`: enqueues the update of group `g`'s message (as of `g`, keyed `${ref}:v${version}`)
 * and the thread line of `change` (keyed `${ref}:v${version}:${change.kind}`), their times in the
 * configured locale and timezone as at `now`. Nothing for a group without a message (none to
 * update). @throws database errors.
 */
export async function showGroupChange(
  tx: Queryable,
  ctx: Ctx,
  g: ActionGroupRow,
  change: AlertGroupChange,
  now: Date,
): Promise<void> {
  if (!g.has_message) return;
  const { locale, timezone } = ctx.config;
  const ref = alertGroupRef(g.id);
  await enqueue(
    tx,
    {
      kind: 'slack.update',
      orderingKey: ref,
      idempotencyKey: `${ref}:v${g.version}`,
      payload: { ref, ...alertGroupMessage(groupOf(g), locale, timezone, now) },
    },
    ctx.outboxTransport,
  );
  await enqueue(
    tx,
    {
      kind: 'slack.post',
      orderingKey: ref,
      idempotencyKey: `${ref}:v${g.version}:${change.kind}`,
      payload: { channel: g.channel, threadRef: ref, ...alertGroupThreadLine(change, locale, timezone, now) },
    },
    ctx.outboxTransport,
  );
}

// The outbox rows that show an investigation in Slack: its post in the investigations channel (under
// a ref, so it can be updated in place), the post's updates, and the DM to an assignee. Written in the
// transaction of the change they show; texts in the team's language (config.locale) for the channel,
// the assignee's own for the DM; dates as of the change (a deadline in another year shows its year).
import type { AppContext } from '../../core/context.ts';
import { postRef } from '../../db/investigations.ts';
import type { Queryable } from '../../db/pool.ts';
import type { Investigation } from '../../domain/investigation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import type { Locale } from '../../i18n/index.ts';
import {
  assignedDm,
  handoffDm,
  investigationPost,
  pastAnswersPost,
  type PastAnswer,
} from '../../views/investigation.ts';

type Ctx = Pick<AppContext, 'config' | 'outboxTransport' | 'clock'>;

/** Rows of one investigation's post and its updates share an ordering key: the post goes first. */
const orderingKey = (id: string) => `investigation:${id}`;

export async function enqueuePost(db: Queryable, ctx: Ctx, inv: Investigation): Promise<void> {
  const message = investigationPost(inv, ctx.config.locale, ctx.config.timezone, ctx.clock.now());
  await enqueue(
    db,
    {
      kind: 'slack.post',
      orderingKey: orderingKey(inv.id),
      idempotencyKey: `investigation:${inv.id}:post`,
      payload: { channel: ctx.config.channels.investigations, ref: postRef(inv.id), ...message },
    },
    ctx.outboxTransport,
  );
}

/**
 * The past answers to similar requests (at most 3), in the thread of `inv`'s post, in the team's
 * language; nothing when there are none. Once per investigation.
 */
export async function enqueuePastAnswers(
  db: Queryable,
  ctx: Ctx,
  inv: Investigation,
  past: readonly PastAnswer[],
): Promise<void> {
  if (past.length === 0) return;
  await enqueue(
    db,
    {
      kind: 'slack.post',
      orderingKey: orderingKey(inv.id),
      idempotencyKey: `investigation:${inv.id}:similar`,
      payload: {
        channel: ctx.config.channels.investigations,
        threadRef: postRef(inv.id),
        ...pastAnswersPost(past, ctx.config.locale),
      },
    },
    ctx.outboxTransport,
  );
}

/** The post shown again as `inv` now is; `cause` (an event id) keys the row so one change updates once. */
export async function enqueuePostUpdate(
  db: Queryable,
  ctx: Ctx,
  inv: Investigation,
  cause: string,
): Promise<void> {
  const message = investigationPost(inv, ctx.config.locale, ctx.config.timezone, ctx.clock.now());
  await enqueue(
    db,
    {
      kind: 'slack.update',
      orderingKey: orderingKey(inv.id),
      idempotencyKey: `investigation:${inv.id}:update:${cause}`,
      payload: { ref: postRef(inv.id), ...message },
    },
    ctx.outboxTransport,
  );
}

/**
 * A DM telling `inv.assignee`, in `locale` (theirs: looked up before the transaction, since it may
 * ask Slack), that the request is theirs; nothing when it has no assignee.
 */
export async function enqueueAssignedDm(
  db: Queryable,
  ctx: Ctx,
  inv: Investigation,
  locale: Locale,
  cause: string,
): Promise<void> {
  if (!inv.assignee) return;
  await enqueue(
    db,
    {
      kind: 'slack.dm',
      orderingKey: `dm:${inv.assignee}`,
      idempotencyKey: `investigation:${inv.id}:dm:${cause}`,
      payload: { user: inv.assignee, ...assignedDm(inv, locale, ctx.config.timezone, ctx.clock.now()) },
    },
    ctx.outboxTransport,
  );
}

/**
 * A DM that a request changed hands by :eyes: (views/investigation.ts handoffDm) to `to`, in `locale`
 * (theirs, looked up before the transaction). `cause` is the Slack event's key (or, in the console,
 * the investigation event's id): the same event handled again writes it once.
 */
export async function enqueueHandoffDm(
  db: Queryable,
  ctx: Ctx,
  h: {
    inv: Investigation;
    to: string;
    kind: 'taken_over' | 'handed_back';
    by: string;
    locale: Locale;
    cause: string;
  },
): Promise<void> {
  const message = handoffDm(h.inv, h.kind, h.by, h.locale, ctx.config.timezone, ctx.clock.now());
  await enqueue(
    db,
    {
      kind: 'slack.dm',
      orderingKey: `dm:${h.to}`,
      idempotencyKey: `investigation:${h.inv.id}:${h.kind}:${h.cause}`,
      payload: { user: h.to, ...message },
    },
    ctx.outboxTransport,
  );
}

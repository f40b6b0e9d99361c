// Cover requests (代打を募集): `/oncall cover <rotation> <from> <to>` posts a request with an Accept
// button in the rotation's channel (else the alerts channel); the first person to accept gets an
// override for the period, the post shows who, and the requester is told by DM. Two accepts at once
// on two replicas: the request row is locked, the second reads it taken and is refused.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  coverPostRef,
  coverRequester,
  coverRequestByKey,
  insertCoverRequest,
  insertOverride,
  lockCoverRequest,
  lockRotation,
  markCoverAccepted,
  overrideByRequestKey,
  type CoverRequest,
} from '../../db/rotations.ts';
import { withTransaction, type Tx } from '../../db/pool.ts';
import type { Rotation } from '../../domain/rotation.ts';
import { enqueue } from '../../outbox/enqueue.ts';
import { coverAcceptedDm, coverPost, type CoverModel } from '../../views/rotations.ts';
import { checkPeriod, mayChangeRotation } from './overrides.ts';

type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool' | 'directory' | 'outboxTransport'>;

/** Where a rotation's cover requests are posted. */
export const coverChannel = (ctx: Pick<AppContext, 'config'>, rot: Rotation): string =>
  rot.channel ?? ctx.config.channels.alerts;

function modelOf(ctx: Pick<AppContext, 'config'>, c: CoverRequest): CoverModel {
  const rot = ctx.config.rotations.find((r) => r.id === c.rotationId);
  return { ...c, rotationName: rot?.name ?? c.rotationId };
}

/** Rows of one cover request's post and its update share an ordering key: the post goes first. */
const orderingKey = (id: string) => `cover:${id}`;

/**
 * Stores an open cover request (once per Slack request key) and posts it. Refused like an override:
 * a person neither in the rotation nor an admin, an empty or past period, one overlapping an override.
 */
export async function requestCover(
  ctx: Ctx,
  req: { rotation: Rotation; start: Date; end: Date; by: string; key?: string },
): Promise<{ request: CoverModel; channel: string; created: boolean }> {
  const channel = coverChannel(ctx, req.rotation);
  if (req.key) {
    const earlier = await coverRequestByKey(ctx.pool, req.key);
    if (earlier) return { request: modelOf(ctx, earlier), channel, created: false };
  }
  await mayChangeRotation(ctx, req.rotation, req.by);
  return withTransaction(ctx.pool, async (tx) => {
    await lockRotation(tx, req.rotation.id);
    await checkPeriod(tx, ctx, req.rotation, req);
    const stored = await insertCoverRequest(tx, {
      rotationId: req.rotation.id,
      requester: req.by,
      start: req.start,
      end: req.end,
      requestKey: req.key ?? null,
      at: ctx.clock.now(),
    });
    // Another replica stored it under this key since the look-up above: theirs stands (and is posted).
    if (!stored)
      return { request: modelOf(ctx, (await coverRequestByKey(tx, req.key!))!), channel, created: false };
    const request = modelOf(ctx, stored);
    await enqueue(
      tx,
      {
        kind: 'slack.post',
        orderingKey: orderingKey(stored.id),
        idempotencyKey: `cover:${stored.id}:post`,
        payload: {
          channel,
          ref: coverPostRef(stored.id),
          ...coverPost(request, ctx.config.locale, ctx.config.timezone, ctx.clock.now()),
        },
      },
      ctx.outboxTransport,
    );
    return { request, channel, created: true };
  });
}

/**
 * `userId` accepts cover request `requestId` (the Accept button's value): they get an override for
 * its period (from now on, if it has begun), the post is updated and the requester DMed. Pressed
 * again by the same person (or the same request handled twice): nothing more happens.
 * @throws UserError: no such request, their own request, taken by someone else, its period over,
 *   or the period now overlaps an override.
 */
export async function acceptCover(
  ctx: Ctx,
  req: { requestId: string; userId: string; key?: string },
): Promise<{ request: CoverModel; created: boolean }> {
  if (!/^\d{1,18}$/.test(req.requestId)) throw new UserError('rotations.cover_gone');
  const requesterLocale = await requesterLocaleOf(ctx, req.requestId);
  return withTransaction(ctx.pool, async (tx) => {
    const c = await lockCoverRequest(tx, req.requestId);
    if (!c) throw new UserError('rotations.cover_gone');
    const model = modelOf(ctx, c);
    if (c.status === 'accepted') {
      if (c.acceptedBy === req.userId) return { request: model, created: false };
      throw new UserError('rotations.cover_taken', { user: c.acceptedBy ?? '' });
    }
    if (c.requester === req.userId) throw new UserError('rotations.cover_own');
    const rot = ctx.config.rotations.find((r) => r.id === c.rotationId);
    if (!rot) throw new UserError('rotations.cover_gone');
    const now = ctx.clock.now();
    if (c.end.getTime() <= now.getTime()) throw new UserError('rotations.cover_over');
    // A request accepted after its period began covers what is left of it.
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const start = c.start.getTime() < minute.getTime() ? minute : c.start;
    await lockRotation(tx, rot.id);
    if (req.key && (await overrideByRequestKey(tx, req.key))) return { request: model, created: false };
    await checkPeriod(tx, ctx, rot, { start, end: c.end });
    await insertOverride(tx, {
      rotationId: rot.id,
      userId: req.userId,
      start,
      end: c.end,
      kind: 'cover',
      createdBy: c.requester,
      coverRequestId: c.id,
      requestKey: req.key ?? null,
      at: now,
    });
    await markCoverAccepted(tx, c.id, req.userId, now);
    const accepted = { ...model, acceptedBy: req.userId };
    await enqueueAccepted(tx, ctx, accepted, requesterLocale ?? ctx.config.locale);
    return { request: accepted, created: true };
  });
}

/** The requester's language for the DM, looked up before the transaction (it may ask Slack). */
async function requesterLocaleOf(ctx: Ctx, requestId: string) {
  const requester = await coverRequester(ctx.pool, requestId);
  return requester ? ctx.directory.userLocale(requester).catch(() => undefined) : undefined;
}

async function enqueueAccepted(
  tx: Tx,
  ctx: Ctx,
  c: CoverModel & { acceptedBy: string },
  requesterLocale: AppContext['config']['locale'],
): Promise<void> {
  const zone = ctx.config.timezone;
  await enqueue(
    tx,
    {
      kind: 'slack.update',
      orderingKey: orderingKey(c.id),
      idempotencyKey: `cover:${c.id}:accepted`,
      payload: { ref: coverPostRef(c.id), ...coverPost(c, ctx.config.locale, zone, ctx.clock.now()) },
    },
    ctx.outboxTransport,
  );
  await enqueue(
    tx,
    {
      kind: 'slack.dm',
      orderingKey: `dm:${c.requester}`,
      idempotencyKey: `cover:${c.id}:dm`,
      payload: { user: c.requester, ...coverAcceptedDm(c, requesterLocale, zone, ctx.clock.now()) },
    },
    ctx.outboxTransport,
  );
}

// Heartbeats, running (issue 9 item 9; the rule: domain/heartbeat.ts). A beat (POST
// /hooks/heartbeat/:name) is recorded, and when the heartbeat's alert is open it is resolved in the
// same transaction, through the alert intake (storeAlerts) like any webhook's. The check job
// (jobs/heartbeats.ts) raises the alert of a late heartbeat through the same intake, once per late
// period: the alert's fingerprint and its startsAt (the instant it became late) name the period, and
// a check finding it stored does nothing. Beats and checks of one heartbeat take turns on its row.
import type { AppContext } from '../../core/context.ts';
import { heartbeatAlertOpen, heartbeatAlertStored, lockHeartbeat, recordBeat } from '../../db/heartbeats.ts';
import { withTransaction } from '../../db/pool.ts';
import {
  alertResolvedByBeat,
  heartbeatStatus,
  lateHeartbeatAlert,
  type Heartbeat,
} from '../../domain/heartbeat.ts';
import { storeAlerts } from './intake.ts';

type Ctx = Pick<AppContext, 'config' | 'pool' | 'clock' | 'log' | 'outboxTransport'>;

export type BeatResult = { status: 'recorded'; resolved: boolean } | { status: 'unknown' };

const heartbeatOf = (ctx: Ctx, name: string): Heartbeat | undefined =>
  ctx.config.heartbeats.find((h) => h.name === name);

/**
 * Records a beat of heartbeat `name` at the clock's now, resolving its open alert.
 * @returns unknown for a name toban.yml does not have (nothing stored).
 * @throws database errors: nothing is stored.
 */
export async function beat(ctx: Ctx, name: string): Promise<BeatResult> {
  const hb = heartbeatOf(ctx, name);
  if (!hb) return { status: 'unknown' };
  const now = ctx.clock.now();
  return withTransaction(ctx.pool, async (tx) => {
    const row = await lockHeartbeat(tx, name, now);
    let resolved = false;
    if (await heartbeatAlertOpen(tx, name)) {
      const alert = alertResolvedByBeat(hb, row.last_beat_at, row.watching_since, now);
      if (alert) {
        await storeAlerts(ctx, tx, {
          source: 'generic',
          receivedAt: now,
          body: { heartbeat: name, beat: now.toISOString() },
          alerts: [alert],
        });
        resolved = true;
      }
    }
    await recordBeat(tx, name, now);
    return { status: 'recorded', resolved };
  });
}

/**
 * Checks every configured heartbeat at `now` and raises the alert of each late one not raised yet
 * for its late period. @returns the names whose alert this call raised.
 */
export async function checkHeartbeats(ctx: Ctx, now: Date): Promise<string[]> {
  const raised: string[] = [];
  for (const hb of ctx.config.heartbeats) {
    const done = await withTransaction(ctx.pool, async (tx) => {
      const row = await lockHeartbeat(tx, hb.name, now);
      const status = heartbeatStatus(hb, row.last_beat_at, row.watching_since, now);
      if (status.state !== 'late') return false;
      if (await heartbeatAlertStored(tx, hb.name, status.lateSince!)) return false;
      await storeAlerts(ctx, tx, {
        source: 'generic',
        receivedAt: now,
        body: { heartbeat: hb.name, late_since: status.lateSince!.toISOString() },
        alerts: [lateHeartbeatAlert(hb, status.lateSince!, row.last_beat_at)],
      });
      return true;
    });
    if (done) raised.push(hb.name);
  }
  return raised;
}

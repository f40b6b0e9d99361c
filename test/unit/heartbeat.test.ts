// Heartbeats (src/domain/heartbeat.ts): on time or late on a moved clock, the alert a late one
// raises and the resolution the next beat brings, under one fingerprint and grouping key.
import { describe, expect, it } from 'vitest';
import {
  alertResolvedByBeat,
  heartbeatStatus,
  lateHeartbeatAlert,
  type Heartbeat,
} from '../../src/domain/heartbeat.ts';
import { ALERT_SOURCES } from '../../src/domain/alert.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NIGHTLY: Heartbeat = {
  name: 'nightly-batch',
  everyMs: 24 * HOUR,
  graceMs: 30 * MIN,
  severity: 'critical',
  labels: { service: 'ledger' },
};
const LAST = new Date('2026-11-29T17:00:00Z'); // 02:00 JST
const after = (ms: number) => new Date(LAST.getTime() + ms);
const STARTED = new Date('2026-11-01T00:00:00Z');

describe('heartbeatStatus', () => {
  it('is ok until every + grace after the last beat, and asks to be checked exactly then', () => {
    expect(heartbeatStatus(NIGHTLY, LAST, STARTED, after(24 * HOUR + 29 * MIN))).toEqual({
      state: 'ok',
      nextCheckAt: after(24 * HOUR + 30 * MIN),
    });
  });

  it('is late from every + grace on, saying since when', () => {
    expect(heartbeatStatus(NIGHTLY, LAST, STARTED, after(24 * HOUR + 30 * MIN))).toMatchObject({
      state: 'late',
      lateSince: after(24 * HOUR + 30 * MIN),
    });
  });

  it('while late, the next check is one period on from the deadline, not from "now"', () => {
    const s = heartbeatStatus(NIGHTLY, LAST, STARTED, after(30 * HOUR));
    expect(s.lateSince).toEqual(after(24 * HOUR + 30 * MIN));
    expect(s.nextCheckAt).toEqual(after(48 * HOUR + 30 * MIN));
    // Two periods late: still late since the first deadline; the next check moves one more period.
    const s2 = heartbeatStatus(NIGHTLY, LAST, STARTED, after(50 * HOUR));
    expect(s2.lateSince).toEqual(after(24 * HOUR + 30 * MIN));
    expect(s2.nextCheckAt).toEqual(after(72 * HOUR + 30 * MIN));
  });

  it('a heartbeat that never beat counts from when toban started watching it', () => {
    const s = heartbeatStatus(NIGHTLY, null, STARTED, new Date(STARTED.getTime() + 25 * HOUR));
    expect(s).toMatchObject({ state: 'late', lateSince: new Date(STARTED.getTime() + 24 * HOUR + 30 * MIN) });
    expect(heartbeatStatus(NIGHTLY, null, STARTED, STARTED).state).toBe('ok');
  });
});

describe('the alert of a late heartbeat', () => {
  const lateSince = after(24 * HOUR + 30 * MIN);

  it('fires as a generic-source alert labelled with the heartbeat, its labels, severity and service', () => {
    const alert = lateHeartbeatAlert(NIGHTLY, lateSince, LAST);
    expect(alert).toMatchObject({
      source: 'generic',
      status: 'firing',
      fingerprint: 'heartbeat:nightly-batch',
      groupKey: 'heartbeat:nightly-batch',
      severity: 'critical',
      labels: { service: 'ledger', heartbeat: 'nightly-batch' },
      annotations: { last_beat: LAST.toISOString() },
      startsAt: lateSince,
      service: 'ledger',
    });
    expect(alert.endsAt).toBeUndefined();
    // 'heartbeat' is not an AlertSource: every source there is also a webhook intake.
    expect(ALERT_SOURCES).toContain(alert.source);
  });

  it('is resolved by the next beat: same fingerprint and key, resolved at the beat', () => {
    const beatAt = after(26 * HOUR);
    const firing = lateHeartbeatAlert(NIGHTLY, lateSince, LAST);
    const resolved = alertResolvedByBeat(NIGHTLY, LAST, STARTED, beatAt);
    expect(resolved).toMatchObject({
      status: 'resolved',
      fingerprint: firing.fingerprint,
      groupKey: firing.groupKey,
      startsAt: lateSince,
      endsAt: beatAt,
    });
  });

  it('a beat on time resolves nothing', () => {
    expect(alertResolvedByBeat(NIGHTLY, LAST, STARTED, after(24 * HOUR))).toBeUndefined();
  });

  it('two heartbeats have different keys; the same one keeps its key from one late period to the next', () => {
    const other = lateHeartbeatAlert({ ...NIGHTLY, name: 'hourly-sync' }, lateSince, LAST);
    expect(other.fingerprint).not.toBe('heartbeat:nightly-batch');
    const nextPeriod = lateHeartbeatAlert(NIGHTLY, after(72 * HOUR), after(48 * HOUR));
    expect(nextPeriod.groupKey).toBe('heartbeat:nightly-batch');
  });

  it('a heartbeat that never beat fires without a last_beat', () => {
    expect(lateHeartbeatAlert(NIGHTLY, lateSince, null).annotations.last_beat).toBeUndefined();
  });
});

// Heartbeats (GLOSSARY.md "Heartbeat"): a dead man's switch. A job that should run every `every`
// POSTs /hooks/heartbeat/:name each time it runs; when no beat has come for `every` + `grace`, the
// heartbeat is late, and a late heartbeat is an alert like any other; the next beat resolves it.
// Pure: the last beat and "now" are arguments.
//
// The alert's source is `generic`: AlertSource (alert.ts) is also the registry of webhook intakes
// (handlers/alerts/index.ts maps every source to one, and POST /hooks/alerts/:source accepts each),
// so a seventh source there would have to be a webhook too. A heartbeat's alert is known by its
// label `heartbeat: <name>` and by its fingerprint and grouping key `heartbeat:<name>`, the same
// for its firing and its resolution (so each late period is one group, opened late and resolved by
// the beat). A generic webhook sending dedup_key "heartbeat:<name>" would land in the same group;
// only a holder of ALERT_WEBHOOK_TOKEN can send one.
import type { NormalizedAlert, Severity } from './alert.ts';

export interface Heartbeat {
  /** Its id in toban.yml and in /hooks/heartbeat/:name. */
  name: string;
  /** How often a beat is expected (ms). */
  everyMs: number;
  /** How much later than `every` a beat may come before it is late (ms, ≥ 0). */
  graceMs: number;
  severity: Severity;
  /** Added to the alert's labels (routing matches on them); `heartbeat` is toban's own. */
  labels: Readonly<Record<string, string>>;
}

export interface HeartbeatStatus {
  state: 'ok' | 'late';
  /** Late: the instant it became late (the last beat + every + grace). */
  lateSince?: Date;
  /**
   * When to look again. Ok: the instant it would become late. Late: the next instant, one `every`
   * on, at which it would have become late again: a late heartbeat stays late until a beat, and a
   * check while late only raises the alert if it is not raised yet (so a firing lost to a crash is
   * made up at the next check).
   */
  nextCheckAt: Date;
}

/**
 * Whether `hb` is late at `now`. `lastBeatAt`: its last beat, or null when it never beat; then it
 * counts from `watchingSince` (when toban started watching it: the first start with it configured).
 */
export function heartbeatStatus(
  hb: Heartbeat,
  lastBeatAt: Date | null,
  watchingSince: Date,
  now: Date,
): HeartbeatStatus {
  const from = (lastBeatAt ?? watchingSince).getTime();
  const deadline = from + hb.everyMs + hb.graceMs;
  if (now.getTime() < deadline) return { state: 'ok', nextCheckAt: new Date(deadline) };
  const periods = Math.floor((now.getTime() - deadline) / hb.everyMs) + 1;
  return {
    state: 'late',
    lateSince: new Date(deadline),
    nextCheckAt: new Date(deadline + periods * hb.everyMs),
  };
}

/** The fingerprint and grouping key of `name`'s alert. */
export const heartbeatKey = (name: string): string => `heartbeat:${name}`;

/** The firing alert of a heartbeat that has been late since `lateSince`. */
export function lateHeartbeatAlert(hb: Heartbeat, lateSince: Date, lastBeatAt: Date | null): NormalizedAlert {
  return alertOf(hb, lateSince, lastBeatAt, 'firing');
}

/**
 * What a beat at `beatAt` says of the heartbeat's alert: when the heartbeat was late then (by
 * `lastBeatAt` / `watchingSince`), the resolved alert (same fingerprint and key, endsAt = beatAt);
 * when it was not, nothing.
 */
export function alertResolvedByBeat(
  hb: Heartbeat,
  lastBeatAt: Date | null,
  watchingSince: Date,
  beatAt: Date,
): NormalizedAlert | undefined {
  const status = heartbeatStatus(hb, lastBeatAt, watchingSince, beatAt);
  if (status.state !== 'late') return undefined;
  return { ...alertOf(hb, status.lateSince!, lastBeatAt, 'resolved'), endsAt: beatAt };
}

function alertOf(
  hb: Heartbeat,
  lateSince: Date,
  lastBeatAt: Date | null,
  status: 'firing' | 'resolved',
): NormalizedAlert {
  const key = heartbeatKey(hb.name);
  const labels: Record<string, string> = { ...hb.labels, heartbeat: hb.name };
  return {
    source: 'generic',
    fingerprint: key,
    groupKey: key,
    status,
    severity: hb.severity,
    // An identifier, not a sentence (like normalizePayload's fallback title): the view words it in
    // the reader's language from labels.heartbeat and the annotations.
    title: key,
    labels,
    annotations: {
      every_ms: String(hb.everyMs),
      grace_ms: String(hb.graceMs),
      ...(lastBeatAt ? { last_beat: lastBeatAt.toISOString() } : {}),
    },
    startsAt: lateSince,
    links: {},
    ...(labels.service ? { service: labels.service } : {}),
  };
}

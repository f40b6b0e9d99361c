// An alert group as people see it (GLOSSARY.md "Alert group"): alerts of one source with one grouping
// key, one Slack message, opened by the first trigger and resolved when all its alerts are. Pure data.
import type { AlertLinks, AlertSource, Severity } from './alert.ts';

export type AlertGroupState = 'open' | 'resolved';

export interface AlertGroup {
  /** Decimal string (bigint). */
  id: string;
  source: AlertSource;
  groupKey: string;
  state: AlertGroupState;
  openedAt: Date;
  resolvedAt?: Date;
  /** The Slack channel routes sent it to, and its escalation policy (toban.yml ids). */
  channel: string;
  policy?: string;
  /** The most severe of its firing alerts (of its last firing ones once resolved). */
  severity: Severity;
  title: string;
  summary?: string;
  service?: string;
  /** The labels of the alert that opened it. */
  labels: Record<string, string>;
  links: AlertLinks;
  firingCount: number;
  resolvedCount: number;
  /** When toban first and last received an alert of it. */
  firstSeen: Date;
  lastSeen: Date;
  acknowledgedBy?: string;
  acknowledgedAt?: Date;
  silencedUntil?: Date;
  /** Who made the silence the group shows (a Slack user id). */
  silencedBy?: string;
  /** The escalation step reached: 0 before the first notification. */
  escalationStep: number;
  /** Counts the changes its message has shown; each is one message update. */
  version: number;
}

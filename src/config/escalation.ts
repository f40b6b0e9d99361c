// toban.yml's escalation policies and heartbeats -> the domain's EscalationPolicy and Heartbeat.
// The file's spelling ("rotation:primary", "5m", a single target or a list) stays here; the domain
// sees parsed values. Each function takes an entry the schema has accepted.
import { parseDuration } from '../domain/duration.ts';
import { parseTarget, type EscalationPolicy, type EscalationTarget } from '../domain/escalation.ts';
import type { Heartbeat } from '../domain/heartbeat.ts';
import type { EscalationPolicyConfig, HeartbeatConfig } from './schema.ts';

/** ms of a duration the schema has accepted; throws for one it would have refused. */
function ms(text: string, where: string): number {
  const value = parseDuration(text);
  if (typeof value !== 'number') throw new Error(`${where}: invalid duration "${text}"`);
  return value;
}

function targetOf(text: string, where: string): EscalationTarget {
  const t = parseTarget(text);
  if ('problem' in t) throw new Error(`${where}: invalid target "${text}"`);
  return t;
}

export function policyFromFile(file: EscalationPolicyConfig): EscalationPolicy {
  const where = `escalation policy ${file.id}`;
  return {
    id: file.id,
    steps: file.steps.map((s) => ({
      notify: (Array.isArray(s.notify) ? s.notify : [s.notify]).map((t) => targetOf(t, where)),
      waitMs: s.wait === undefined ? 0 : ms(s.wait, where),
    })),
    repeat: file.repeat,
    ...(file.remind_acknowledged_every === undefined
      ? {}
      : { remindAcknowledgedEveryMs: ms(file.remind_acknowledged_every, where) }),
  };
}

export function heartbeatFromFile(file: HeartbeatConfig): Heartbeat {
  const where = `heartbeat ${file.name}`;
  return {
    name: file.name,
    everyMs: ms(file.every, where),
    graceMs: ms(file.grace, where),
    severity: file.severity,
    labels: file.labels,
  };
}

// Named health conditions that /readyz reports, kept apart from any transport: a component (the
// outbox worker, later the Socket Mode connection) sets its condition while something is wrong and
// clears it when it is over. 'degraded' keeps the replica ready (it still takes commands; the work
// waits), 'down' makes /readyz answer 503.
export type HealthStatus = 'degraded' | 'down';

export interface HealthCondition {
  /** Who reports it: "outbox". */
  name: string;
  status: HealthStatus;
  /** One sentence for the operator: what is wrong and what the component does about it. */
  detail: string;
  since: Date;
}

export interface Health {
  /** Sets (or replaces) the condition `name`; `since` is kept while the status stays the same. */
  set(name: string, status: HealthStatus, detail: string): void;
  clear(name: string): void;
  /** Current conditions, in the order they were first set; empty when all is well. */
  conditions(): HealthCondition[];
}

export function createHealth(now: () => Date = () => new Date()): Health {
  const current = new Map<string, HealthCondition>();
  return {
    set(name, status, detail) {
      const was = current.get(name);
      current.set(name, { name, status, detail, since: was?.status === status ? was.since : now() });
    },
    clear(name) {
      current.delete(name);
    },
    conditions: () => [...current.values()],
  };
}

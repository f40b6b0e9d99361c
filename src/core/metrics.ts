// Prometheus metrics, one registry per app instance (tests run several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  outboxDepth: Gauge<'state'>;
  outboxDeliveries: Counter<'kind'>;
  outboxFailures: Counter<'kind' | 'reason'>;
  outboxDead: Counter<'kind'>;
  outboxPaused: Gauge<'reason'>;
  commandLatency: Histogram<'command' | 'outcome'>;
  ackLatency: Histogram;
  jobFirings: Counter<'job'>;
  jobFiringOutcomes: Counter<'job' | 'outcome'>;
  alertsAccepted: Counter<'source'>;
  slackRequests: Counter<'kind' | 'outcome'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry, prefix: 'toban_' });
  const r = [registry];
  return {
    registry,
    outboxDepth: new Gauge({
      name: 'toban_outbox_rows',
      help: 'Outbox rows by state (pending, dead)',
      labelNames: ['state'],
      registers: r,
    }),
    outboxDeliveries: new Counter({
      name: 'toban_outbox_deliveries_total',
      help: 'Outbox rows delivered',
      labelNames: ['kind'],
      registers: r,
    }),
    outboxFailures: new Counter({
      name: 'toban_outbox_failures_total',
      help: 'Failed delivery attempts (retried later)',
      labelNames: ['kind', 'reason'],
      registers: r,
    }),
    outboxDead: new Counter({
      name: 'toban_outbox_dead_total',
      help: 'Rows parked as dead (too old, a permanent error of their own, or a dependency that died)',
      labelNames: ['kind'],
      registers: r,
    }),
    outboxPaused: new Gauge({
      name: 'toban_outbox_paused',
      help: 'Whether this replica has paused its outbox queue (1) and why (reason: auth = Slack rejects the token)',
      labelNames: ['reason'],
      registers: r,
    }),
    commandLatency: new Histogram({
      name: 'toban_command_seconds',
      help: 'Slash command time from parse to rendered reply',
      labelNames: ['command', 'outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
    ackLatency: new Histogram({
      name: 'toban_ack_seconds',
      help: 'Time from receiving a Slack request to its acknowledgement',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 3],
      registers: r,
    }),
    jobFirings: new Counter({
      name: 'toban_job_firings_total',
      help: 'Scheduled job firings run here',
      labelNames: ['job'],
      registers: r,
    }),
    jobFiringOutcomes: new Counter({
      name: 'toban_job_firing_outcomes_total',
      help: 'What became of firings touched here: succeeded, retry, failed (given up), skipped, released, lost',
      labelNames: ['job', 'outcome'],
      registers: r,
    }),
    alertsAccepted: new Counter({
      name: 'toban_alerts_accepted_total',
      help: 'Alerts accepted by source',
      labelNames: ['source'],
      registers: r,
    }),
    slackRequests: new Counter({
      name: 'toban_slack_requests_total',
      help: 'Signed Slack requests by kind and outcome (stored, seen: a replay or retry, unavailable: the database did not take it)',
      labelNames: ['kind', 'outcome'],
      registers: r,
    }),
  };
}

// What a command, handler, service or job may use. Built once by the composition root (main.ts);
// tests build their own with a test database, a manual clock and a captured logger.
import type { Config } from '../config/load.ts';
import type { Clock } from '../domain/clock.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from './log.ts';
import type { Directory } from '../services/directory.ts';
import type { Metrics } from './metrics.ts';
import type { SalesSource } from '../services/sales/source.ts';
import type { AuditTrail } from './audit-trail.ts';
import type { Transport } from '../outbox/deliverer.ts';
import type { SnsClient } from '../integrations/sns/client.ts';

export interface AppContext {
  config: Config;
  /** The bot's own database. */
  pool: Pool;
  /** Read-only access to the `ledger` schema (LEDGER_DATABASE_URL, else the bot's database). */
  ledgerPool: Pool;
  clock: Clock;
  log: Logger;
  directory: Directory;
  metrics: Metrics;
  /**
   * The transport every outbox row this process writes is for, and the one its worker delivers:
   * set once from the running mode (outbox/deliverer.ts, transportOf).
   */
  outboxTransport: Transport;
  /**
   * Amazon SNS (signing certificates, subscription confirmations), shared with the outbox's SNS
   * deliverer; built by main.ts, else the alert routes build their own (integrations/sns/client.ts).
   */
  sns?: SnsClient;
  /** Sales figures (database or sales API); built by main.ts, else per query from config. */
  sales?: SalesSource;
  /**
   * The bot's own Slack user id (auth.test's user_id), once Slack has answered; absent in console
   * mode. Event handlers use it to leave the bot's own actions alone (its joining a channel).
   */
  botUserId?: string;
  /** The audit rows of the request being served; set by the Dispatcher (see audit-trail.ts). */
  auditTrail?: AuditTrail;
}

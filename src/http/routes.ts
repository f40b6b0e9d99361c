// The bot's own HTTP routes, served beside Slack's /slack/events in every mode. Each "METHOD /path"
// below is registered on the router (router.ts), which answers 404 / 405 / HEAD for them.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../core/context.ts';
import type { Health } from '../core/health.ts';
import { MIGRATIONS_DIR, ledgerReadiness, readiness } from '../db/migrate.ts';
import { alertRoutes } from './alerts.ts';
import { calendarRoutes } from './calendar.ts';
import { heartbeatRoutes } from './heartbeats.ts';
import type { Method, Router } from './router.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function migrationNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /\.(sql|js|ts)$/.test(f))
    .map((f) => f.replace(/\.(sql|js|ts)$/, ''))
    .sort();
}

/** `alertToken`: the token /hooks/alerts/* take (console mode's generated one); default ALERT_WEBHOOK_TOKEN. */
export function createRoutes(
  ctx: AppContext,
  router: Router,
  health?: Health,
  alertToken = ctx.config.env.alertWebhookToken,
): void {
  const files = migrationNames();
  // /readyz is probed every few seconds: a failing probe is logged when it starts failing (with its
  // code) and when it recovers, not on every probe.
  let failing: string | undefined;
  const notReady = (res: ServerResponse, code: 'E_DATABASE' | 'E_NOT_READY', body: object) => {
    if (failing !== code) ctx.log.error({ code, ...body }, 'readyz: not ready');
    failing = code;
    json(res, 503, { ...body, code });
  };
  const ready = () => {
    if (failing) ctx.log.info({ was: failing }, 'readyz: ready again');
    failing = undefined;
  };
  const routes: Record<string, RouteHandler> = {
    'GET /healthz': (_req, res) => json(res, 200, { ok: true }),
    'GET /readyz': async (_req, res) => {
      // Each database check answers within READINESS_TIMEOUT_MS (migrate.ts), so a probe always
      // gets an answer; the ledger is checked apart only when LEDGER_DATABASE_URL names another one.
      const [state, ledger] = await Promise.all([
        readiness(ctx.pool, files),
        ctx.ledgerPool === ctx.pool ? undefined : ledgerReadiness(ctx.ledgerPool),
      ]);
      // Migrations not applied is a deployment step left out; anything else is the database.
      const code = (r: { pending?: unknown }) => (r.pending ? 'E_NOT_READY' : 'E_DATABASE');
      if (!state.ok) return notReady(res, code(state), state);
      if (ledger && !ledger.ok) return notReady(res, 'E_DATABASE', ledger);
      // Named conditions (src/core/health.ts): 'degraded' stays ready, 'down' is not.
      const conditions = health?.conditions() ?? [];
      const down = conditions.some((c) => c.status === 'down');
      if (down) return notReady(res, 'E_NOT_READY', { ok: false, status: 'down', conditions });
      ready();
      if (conditions.length === 0) return json(res, 200, state);
      json(res, 200, { ok: true, status: 'degraded', conditions });
    },
    'GET /metrics': async (_req, res) => {
      const body = await ctx.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
      res.end(body);
    },
  };
  for (const [route, handler] of Object.entries(routes)) {
    const [method, path] = route.split(' ') as [Method, string];
    router.on(method, path, handler);
  }
  calendarRoutes(ctx, router);
  alertRoutes(ctx, router, alertToken);
  heartbeatRoutes(ctx, router, alertToken);
}

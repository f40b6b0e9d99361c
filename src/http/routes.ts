// The bot's own HTTP routes, served beside Slack's /slack/events in every mode.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../app/context.ts';
import { MIGRATIONS_DIR, readiness } from '../db/migrate.ts';

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

export function createRoutes(
  ctx: AppContext,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const files = migrationNames();
  const routes: Record<string, RouteHandler> = {
    'GET /healthz': (_req, res) => json(res, 200, { ok: true }),
    'GET /readyz': async (_req, res) => {
      const ready = await readiness(ctx.pool, files);
      json(res, ready.ok ? 200 : 503, ready);
    },
    'GET /metrics': async (_req, res) => {
      const body = await ctx.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
      res.end(body);
    },
  };
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handler = routes[`${req.method} ${path}`];
    if (!handler) return false;
    await handler(req, res);
    return true;
  };
}

export function notFound(res: ServerResponse): void {
  json(res, 404, { error: 'not found' });
}

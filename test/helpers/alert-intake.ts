// The alert intake over real HTTP, in process: the router with toban's routes on a test context,
// and a pool that records the statements each transaction runs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AppContext } from '../../src/core/context.ts';
import type { Pool } from '../../src/db/pool.ts';
import { createRouter } from '../../src/http/router.ts';
import { createRoutes } from '../../src/http/routes.ts';

export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/alerts');

export function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8'));
}

/** `pool`, with the SQL text of every query run on a client it hands out pushed onto `log`. */
export function recordingPool(pool: Pool, log: string[]): Pool {
  const bind = <T extends object>(target: T, p: PropertyKey) => {
    const v = Reflect.get(target, p) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  return new Proxy(pool, {
    get(target, p) {
      if (p !== 'connect') return bind(target, p);
      return async () => {
        const client = await target.connect();
        return new Proxy(client, {
          get(c, q) {
            if (q !== 'query') return bind(c, q);
            return (sql: string | { text: string }, ...rest: unknown[]) => {
              log.push(typeof sql === 'string' ? sql : sql.text);
              return (c.query as (...a: unknown[]) => unknown)(sql, ...rest);
            };
          },
        });
      };
    },
  });
}

export interface IntakeServer {
  url: string;
  post(
    source: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startIntakeServer(ctx: AppContext, token: string): Promise<IntakeServer> {
  const router = createRouter(ctx.log);
  createRoutes(ctx, router, undefined, token);
  const server = http.createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    async post(source, body, headers = { authorization: `Bearer ${token}` }) {
      const res = await fetch(`${url}/hooks/alerts/${source}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// Every HTTP request toban serves goes through here: find-my-way matches method and path
// (parameters such as /hooks/alerts/:source and /oncall/:rotation.ics), HEAD is answered by the GET
// route, a wrong method gets 405 with Allow, anything else 404. An error inside a route never
// reaches the process: HttpError becomes its status, anything else a 500 whose body carries a code
// that is also in the log line (never a stack trace).
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import type { Logger } from '../app/log.ts';
import { HttpError } from './errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteParams = Record<string, string>;
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: RouteParams,
) => Promise<void> | void;

export interface Router {
  /** Adds a route; a GET route answers HEAD too. Paths use find-my-way's syntax (`/a/:b`, `/:c.ics`). */
  on(method: Method, path: string, handler: RouteHandler): void;
  /** Answers one request. Never rejects: errors are logged and answered. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** An error code short enough to read out, matching the log line of the failure. */
export function errorCode(): string {
  return crypto.randomBytes(4).toString('hex');
}

export function createRouter(log: Logger): Router {
  const fmw = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 200 });
  const methods = new Set<string>();

  function find(method: string, path: string) {
    try {
      return fmw.find(method as FindMyWay.HTTPMethod, path);
    } catch {
      return null;
    }
  }

  function allowed(path: string): string[] {
    const allow = [...methods].filter((m) => find(m, path));
    return allow.includes('GET') ? [...allow, 'HEAD'] : allow;
  }

  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      log.error({ err, method: req.method, url: req.url }, 'http: a route failed after answering');
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      sendJson(
        res,
        err.status,
        err.detail ? { error: err.code, detail: err.detail } : { error: err.code },
        err.headers,
      );
      return;
    }
    const code = errorCode();
    log.error({ err, code, method: req.method, url: req.url }, 'http: a route failed');
    sendJson(res, 500, { error: 'internal error', code });
  }

  return {
    on(method, path, handler) {
      fmw.on(method, path, handler as unknown as FindMyWay.Handler<FindMyWay.HTTPVersion.V1>);
      methods.add(method);
      if (method === 'GET') {
        // Node sends no body for HEAD, so the GET handler answers it with the same headers.
        fmw.on('HEAD', path, handler as unknown as FindMyWay.Handler<FindMyWay.HTTPVersion.V1>);
      }
    },
    async handle(req, res) {
      try {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const path = q < 0 ? url : url.slice(0, q);
        const method = req.method ?? 'GET';
        const found = path.startsWith('/') ? find(method, path) : null;
        if (found) {
          const params: RouteParams = {};
          for (const [k, v] of Object.entries(found.params)) if (v !== undefined) params[k] = v;
          await (found.handler as unknown as RouteHandler)(req, res, params);
          return;
        }
        const allow = path.startsWith('/') ? allowed(path) : [];
        if (allow.length)
          throw new HttpError(405, 'method not allowed', undefined, { allow: allow.join(', ') });
        throw new HttpError(404, 'not found');
      } catch (err) {
        fail(req, res, err);
      }
    },
  };
}

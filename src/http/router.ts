// Every HTTP request toban serves goes through here: find-my-way matches method and path
// (parameters such as /hooks/alerts/:source and /oncall/:rotation.ics), HEAD is answered by the GET
// route, a wrong method gets 405 with Allow, anything else 404. An error inside a route never
// reaches the process: HttpError becomes its status, a database failure a 503, anything else a 500.
// Every one of them is logged once, with a stable code (src/core/error-codes.ts), and answered with a
// short JSON body naming that code (never a stack trace); a 5xx also carries a reference (`ref`)
// found in its log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import { ERROR_CODES, errorRef, failureCode } from '../core/error-codes.ts';
import type { Logger } from '../core/log.ts';
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

/** A reference short enough to read out, matching the log line of the failure (src/core/error-codes.ts). */
export const errorCode = errorRef;

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
    // A token in the query (calendar feeds) is a secret: it never reaches a log line.
    const where = { method: req.method, url: req.url?.replace(/([?&]token=)[^&]*/g, '$1…').slice(0, 300) };
    if (res.headersSent) {
      log.error({ err, code: failureCode(err), ...where }, 'http: a route failed after answering');
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      const line = { code: err.errCode, status: err.status, detail: err.detail, ...err.logFields, ...where };
      if (err.status >= 500) log.error(line, `http: ${ERROR_CODES[err.errCode]}`);
      else log.warn(line, `http: request refused: ${ERROR_CODES[err.errCode]}`);
      sendJson(
        res,
        err.status,
        err.detail
          ? { error: err.code, detail: err.detail, code: err.errCode }
          : { error: err.code, code: err.errCode },
        err.headers,
      );
      return;
    }
    const ref = errorRef();
    const code = failureCode(err);
    log.error({ err, code, ref, ...where }, 'http: a route failed');
    if (code === 'E_DATABASE')
      sendJson(res, 503, { error: 'database unavailable', code, ref }, { 'retry-after': '10' });
    else sendJson(res, 500, { error: 'internal error', code, ref });
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

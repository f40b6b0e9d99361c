// The HTTP listener: every request goes to the router; what never reaches a route (malformed HTTP,
// oversized headers, a client too slow to send its headers or body) is answered with 400 / 431 / 408
// through 'clientError', logged with the code E_HTTP, and never ends the process.
import http from 'node:http';
import type { Logger } from '../core/log.ts';
import type { Router } from './router.ts';

/** Time a client has to send its headers, and its whole request (ms). Slack sends in well under a second. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** Longer than the usual load balancer's idle timeout (60 s), so the balancer closes first. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

export interface HttpServerTimeouts {
  headersMs?: number;
  requestMs?: number;
  /** How often Node looks for requests past their time (ms); tests make it short. Default 5 s. */
  checkEveryMs?: number;
}

export function createHttpServer(
  router: Router,
  log: Logger,
  timeouts: HttpServerTimeouts = {},
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs ?? HEADERS_TIMEOUT_MS,
      requestTimeout: timeouts.requestMs ?? REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: timeouts.checkEveryMs ?? 5_000,
    },
    (req, res) => void router.handle(req, res),
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const code = err.code ?? 'unknown';
    // A reset or a half-closed socket has no one left to answer.
    if (code === 'ECONNRESET' || !socket.writable) {
      log.debug({ code }, 'http: client went away');
      socket.destroy();
      return;
    }
    const [status, reason] = CLIENT_ERRORS[code] ?? [400, 'Bad Request'];
    log.warn({ code: 'E_HTTP', cause: code, status }, 'http: malformed request');
    const body = JSON.stringify({ error: reason.toLowerCase(), code: 'E_HTTP' });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  return server;
}

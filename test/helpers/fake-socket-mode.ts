// A local stand-in for Slack's Socket Mode endpoint: a WebSocket server on 127.0.0.1 whose URL the
// fake Web API (fake-slack.ts) hands out from apps.connections.open, one fresh `ticket` per call as
// Slack does. On each connection it says `hello`; a test then sends envelopes (slash_commands,
// interactive, events_api) shaped as Slack sends them, waits for their acknowledgements (by
// envelope_id), and can ask the client to reconnect with a `disconnect` message.
// Shapes: https://api.slack.com/apis/socket-mode (hello, envelopes, acknowledgements, disconnect).
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.ts';

/** Envelope types Slack sends over Socket Mode, each carrying one payload. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What the client sent back for an envelope: `{envelope_id, payload?}`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1-based, in order of opening) carried the acknowledgement. */
  connection: number;
}

export interface FakeSocketMode {
  /** The WebSocket URL (ws://127.0.0.1:<port>/link/), without a ticket. */
  url: string;
  /** Connections opened so far (greeted with `hello` unless held). */
  connections(): number;
  /** The ticket of each connection, in order: each must come from its own apps.connections.open. */
  tickets: string[];
  /** Every message the client sent that was not JSON with an envelope_id (should stay empty). */
  strays: string[];
  /** Sends `hello` on connections left waiting (see `helloHeld`) and greets later ones at once. */
  greet(): void;
  /** Resolves once `n` connections have opened (greeted unless held); rejects after timeoutMs. */
  waitForConnection(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope on the newest open connection as Slack does; returns its envelope_id.
   * `accepts_response_payload` is true for slash commands (the ack may carry the answer), false
   * otherwise; `extra` adds envelope fields (an Events API redelivery's `retry_attempt`, `retry_reason`).
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, extra?: Record<string, unknown>): string;
  /** Resolves with the acknowledgement of `envelopeId`; rejects after timeoutMs naming those seen. */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  /** Sends `{"type":"disconnect","reason":...}` on the newest connection (Slack asking for a new one). */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  close(): Promise<void>;
}

/**
 * Starts the fake and makes `slack` answer apps.connections.open with its URL (a new ticket each
 * call). `helloHeld`: connections are left without `hello` (the client is still connecting) until
 * `greet()`.
 */
export async function startFakeSocketMode(
  slack: FakeSlack,
  opts: { helloHeld?: boolean } = {},
): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link/' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}/link/`;
  const sockets: WebSocket[] = [];
  const tickets: string[] = [];
  const issued = new Set<string>();
  const acks = new Map<string, SocketAck>();
  const strays: string[] = [];
  let helloHeld = opts.helloHeld ?? false;
  const ungreeted: WebSocket[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };

  slack.handle('apps.connections.open', () => {
    const ticket = crypto.randomUUID();
    issued.add(ticket);
    return { url: `${url}?ticket=${ticket}&app_id=A0TOBAN` };
  });

  server.on('connection', (ws, req) => {
    const ticket = new URL(req.url ?? '/', url).searchParams.get('ticket') ?? '';
    // A ticket is good for one connection, as Slack's are.
    if (!issued.delete(ticket)) {
      ws.close(1008, 'invalid ticket');
      return;
    }
    tickets.push(ticket);
    sockets.push(ws);
    const connection = sockets.length;
    // Slack pings the client every few seconds; the Socket Mode client drops a connection that is
    // not pinged within 30 s, which a long test would otherwise see as a disconnect.
    const pinger = setInterval(() => ws.ping(), 5_000);
    pinger.unref();
    ws.on('close', () => clearInterval(pinger));
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : String(data);
      let msg: { envelope_id?: unknown; payload?: Record<string, unknown> } | undefined;
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        msg = undefined;
      }
      if (!msg || typeof msg.envelope_id !== 'string') {
        strays.push(text);
        return;
      }
      acks.set(msg.envelope_id, { envelope_id: msg.envelope_id, payload: msg.payload, connection });
      notify();
    });
    if (helloHeld) ungreeted.push(ws);
    else hello(ws);
    notify();
  });

  function hello(ws: WebSocket): void {
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: server.clients.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: 'A0TOBAN' },
      }),
    );
  }

  function until<T>(value: () => T | undefined, what: () => string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = value();
        if (v === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Socket Mode: ${what()} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  function newest(): WebSocket {
    const ws = sockets.at(-1);
    if (!ws || ws.readyState !== ws.OPEN) throw new Error('fake Socket Mode: no open connection');
    return ws;
  }

  return {
    url,
    connections: () => sockets.length,
    tickets,
    strays,
    greet() {
      helloHeld = false;
      for (const ws of ungreeted.splice(0)) if (ws.readyState === ws.OPEN) hello(ws);
    },
    async waitForConnection(n, timeoutMs = 30_000) {
      await until(
        () => (sockets.length >= n ? true : undefined),
        () => `${sockets.length} connection(s), not ${n},`,
        timeoutMs,
      );
    },
    send(type, payload, extra = {}) {
      const envelopeId = crypto.randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type === 'slash_commands',
      };
      if (type === 'events_api') Object.assign(envelope, { retry_attempt: 0, retry_reason: '' });
      Object.assign(envelope, extra);
      newest().send(JSON.stringify(envelope));
      return envelopeId;
    },
    waitForAck(envelopeId, timeoutMs = 10_000) {
      return until(
        () => acks.get(envelopeId),
        () => `no acknowledgement of ${envelopeId} (acknowledged: ${[...acks.keys()].join(', ') || 'none'})`,
        timeoutMs,
      );
    },
    disconnect(reason = 'refresh_requested') {
      newest().send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    close() {
      for (const ws of server.clients) ws.terminate();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

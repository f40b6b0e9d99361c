// A fake Slack Web API that enforces Slack's rate limits the way Slack answers them (429 with
// Retry-After), for the storm bench: an HTTP proxy in front of the test fake (test/helpers/fake-slack.ts),
// which keeps answering what it answers; this only decides first whether Slack would have refused.
//
// The limits (Slack's documentation; the exact bucket shapes are not published, so these are
// stated choices):
// - chat.postMessage: "1 message per second per channel", "short bursts" allowed
//   (https://api.slack.com/methods/chat.postMessage#rate_limiting): a token bucket per channel,
//   refilled at 1 per second, holding POST_BURST posts. Slack's workspace-wide posting limit has no
//   published number and is not modelled.
// - methods in tiers (https://api.slack.com/apis/rate-limits; tiers as rate-scope.ts lists them):
//   Tier 1/2/3/4 allow 1/20/50/100 calls per minute per method per workspace: at most that many
//   accepted calls in any 60 s window (no burst above it).
// A refused call is not passed on and does not count against the limit. Retry-After is the whole
// seconds until the call would have been accepted (at least 1), as Slack sends whole seconds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { METHOD_TIERS } from '../src/integrations/slack/rate-scope.ts';
import { startFakeSlack, type FakeSlack } from '../test/helpers/fake-slack.ts';

/** Posts a channel may take back to back before the 1/s pace applies. */
export const POST_BURST = 3;
const TIER_PER_MINUTE: Record<1 | 2 | 3 | 4, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };
const WINDOW_MS = 60_000;

export interface LimitedCall {
  method: string;
  /** The `channel` argument, if any. */
  channel?: string;
  /** Date.now() at arrival. */
  at: number;
  /** 429 when refused here; else the status the fake answered. */
  status: number;
  /** Parsed form or JSON body (blocks and metadata parsed), for chat.postMessage and chat.update only. */
  body?: Record<string, unknown>;
  /** The fake's answer (chat.postMessage: its `ts`), when accepted. */
  answer?: Record<string, unknown>;
}

export interface LimitedSlack {
  /** Base URL of the Web API, ending with `/api/` (SLACK_API_URL). */
  url: string;
  /** The fake behind the limits: the messages Slack holds. */
  inner: FakeSlack;
  /** Every Web API call, refused or not, in arrival order. */
  calls: LimitedCall[];
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const body: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const f of ['blocks', 'metadata']) {
    if (typeof body[f] === 'string') {
      try {
        body[f] = JSON.parse(body[f]);
      } catch {
        // leave it as sent
      }
    }
  }
  return body;
}

/** Milliseconds until `method` on `channel` may go (0: now); takes the slot when 0. */
function limiter(now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const windows = new Map<string, number[]>();
  return (method: string, channel: string | undefined): number => {
    const t = now();
    if (method === 'chat.postMessage' && channel) {
      const b = buckets.get(channel) ?? { tokens: POST_BURST, at: t };
      b.tokens = Math.min(POST_BURST, b.tokens + (t - b.at) / 1000);
      b.at = t;
      buckets.set(channel, b);
      if (b.tokens < 1) return Math.ceil((1 - b.tokens) * 1000);
      b.tokens -= 1;
      return 0;
    }
    const tier = METHOD_TIERS[method];
    if (typeof tier !== 'number') return 0;
    const w = (windows.get(method) ?? []).filter((at) => at > t - WINDOW_MS);
    windows.set(method, w);
    if (w.length >= TIER_PER_MINUTE[tier]) return w[0]! + WINDOW_MS - t;
    w.push(t);
    return 0;
  };
}

export async function startLimitedSlack(): Promise<LimitedSlack> {
  const inner = await startFakeSlack();
  const target = new URL(inner.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const calls: LimitedCall[] = [];
  const admit = limiter(Date.now);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const method = path.startsWith('/api/') ? path.slice('/api/'.length) : path;
      const body = parseBody(raw.toString('utf8'), req.headers['content-type'] ?? '');
      const channel = typeof body.channel === 'string' ? body.channel : undefined;
      const keep = method === 'chat.postMessage' || method === 'chat.update';
      const call: LimitedCall = { method, at: Date.now(), status: 0, ...(channel ? { channel } : {}) };
      if (keep) call.body = body;
      calls.push(call);
      const wait = path.startsWith('/api/') ? admit(method, channel) : 0;
      if (wait > 0) {
        call.status = 429;
        res.writeHead(429, {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
        });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const fwd = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host, 'content-length': String(raw.length) },
          agent,
        },
        (answer) => {
          const out: Buffer[] = [];
          answer.on('data', (c: Buffer) => out.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(out);
            call.status = answer.statusCode ?? 0;
            if (keep) {
              try {
                call.answer = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
              } catch {
                // not JSON: leave it out
              }
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
        },
      );
      fwd.on('error', (err) => {
        call.status = 502;
        res.writeHead(502).end(String(err));
      });
      fwd.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    inner,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
      await inner.close();
    },
  };
}

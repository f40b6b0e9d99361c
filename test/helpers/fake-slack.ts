// A local stand-in for the Slack Web API: a real HTTP server on 127.0.0.1 that records every call
// and answers the methods toban uses with plausible bodies. Point a WebClient (or Bolt's
// clientOptions) at `url` as SLACK_API_URL. It can be told to fail the next call of a method.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

export interface FakeSlackCall {
  /** Web API method (`chat.postMessage`), `respond/<name>` for a response_url, or `upload` for a file upload. */
  method: string;
  /** Form fields or JSON body; JSON-valued form fields (blocks, metadata, files, ...) are parsed. Uploads: `{ fileId, raw }`. */
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status answered. */
  status: number;
  /** Order of this request's arrival among every arrival and end seen by the fake (no clocks needed). */
  seq: number;
  /** Order of its end: the answer written, or the client gone. Unset while the request is open. */
  endSeq?: number;
  /** The client closed the connection before the answer was written (a timeout or an abort). */
  abandoned?: boolean;
}

export type FailSpec =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  /** Slack's `{"ok": false, "error": ...}` with HTTP 200. */
  | { error: string }
  /** Answers normally, but only after this delay (to make a client time out after Slack acted). */
  | { delayMs: number }
  /**
   * Holds the request, unanswered and not acted on, until `gate` resolves; then acts (posts) and
   * answers if the client is still there: Slack finishing a request after the client gave up.
   */
  | { actWhen: Promise<void> };

export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: unknown;
  user: string;
  bot_id: string;
}

type Handler = (body: Record<string, unknown>) => Record<string, unknown>;

/** Another user's message, put straight into a channel (or a thread) as if typed in Slack. */
export interface SeedMessage {
  channel: string;
  text: string;
  thread_ts?: string;
  /** Its timestamp (Slack's "seconds.micros"), for history older than now; default: now. */
  ts?: string;
}

export interface FakeSlack {
  /** Base URL of the Web API, ending with `/api/`. */
  url: string;
  calls: FakeSlackCall[];
  /** Messages posted (and updated) so far, in order. */
  messages: FakeMessage[];
  /** Members of each user group, as last set by usergroups.users.update. */
  usergroups: Map<string, string[]>;
  /** Each user's App Home view, as last published (views.publish). */
  homes: Map<string, unknown>;
  callsTo(method: string): FakeSlackCall[];
  /** A response_url on the fake; what is posted there is recorded as method `respond/<name>`. */
  responseUrl(name: string): string;
  /** Fails the next `times` calls of `method` as told (FIFO with earlier failNext calls). */
  failNext(method: string, spec: FailSpec, times?: number): void;
  /** Replaces (or adds) the answer to a method. */
  handle(method: string, handler: Handler): void;
  /** Adds messages from another user (newest last), as traffic arriving in a channel or thread. */
  seed(messages: SeedMessage[]): FakeMessage[];
  /**
   * The bot is not a member of `channel`: it may still post there (chat:write.public), but reading
   * its history answers not_in_channel until conversations.join is called for it.
   */
  notMemberOf(channel: string): void;
  /** Every Web API method (auth.test included) answers `{ok: false, error}` until `restoreToken()`. */
  revokeToken(error?: string): void;
  restoreToken(): void;
  /** Resolves with the calls once `predicate` holds; rejects after timeoutMs naming the calls seen. */
  waitFor(predicate: (calls: FakeSlackCall[]) => boolean, timeoutMs?: number): Promise<FakeSlackCall[]>;
  close(): Promise<void>;
}

/**
 * No real network in tests: everything but 127.0.0.1 (the fakes, local servers) is refused by nock.
 * Call in beforeAll; call the returned function in afterAll.
 */
export function onlyLocalNetwork(): () => void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  return () => nock.enableNetConnect();
}

export const FAKE_BOT = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEAM' } as const;

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'files', 'view'];

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const messages: FakeMessage[] = [];
  const usergroups = new Map<string, string[]>();
  const homes = new Map<string, unknown>();
  const failures = new Map<string, FailSpec[]>();
  const custom = new Map<string, Handler>();
  const waiters = new Set<() => void>();
  const notMember = new Set<string>();
  const shares = new Map<string, string[]>();
  let tokenError: string | undefined;
  let seq = 0;
  let lastTsMicros = 0;
  let counter = 0;
  let base = '';

  /** Timestamps like Slack's ("1712710800.000100"), from the real clock and strictly increasing. */
  function nextTs(): string {
    lastTsMicros = Math.max(lastTsMicros + 1, Date.now() * 1000);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  function str(v: unknown): string | undefined {
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }

  function visible(m: FakeMessage, withMetadata: boolean): FakeMessage {
    if (withMetadata) return m;
    const { metadata: _metadata, ...rest } = m;
    return rest as FakeMessage;
  }

  const methods: Record<string, Handler> = {
    'auth.test': () => ({
      url: 'https://toban-test.slack.com/',
      team: 'toban-test',
      user: 'toban',
      ...FAKE_BOT,
    }),
    'chat.postMessage': (b) => {
      const channel = str(b.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!b.text && !b.blocks) return { ok: false, error: 'no_text' };
      const m: FakeMessage = {
        channel,
        ts: nextTs(),
        text: str(b.text),
        user: FAKE_BOT.user_id,
        bot_id: FAKE_BOT.bot_id,
      };
      if (b.blocks) m.blocks = b.blocks;
      if (b.thread_ts) m.thread_ts = str(b.thread_ts);
      if (b.metadata) m.metadata = b.metadata;
      messages.push(m);
      return { channel, ts: m.ts, message: visible(m, false) };
    },
    'chat.update': (b) => {
      const m = messages.find((x) => x.channel === b.channel && x.ts === b.ts);
      if (!m) return { ok: false, error: 'message_not_found' };
      if (b.text !== undefined) m.text = str(b.text);
      if (b.blocks !== undefined) m.blocks = b.blocks;
      return { channel: m.channel, ts: m.ts, text: m.text };
    },
    'chat.delete': (b) => {
      const i = messages.findIndex((x) => x.channel === b.channel && x.ts === b.ts);
      if (i < 0) return { ok: false, error: 'message_not_found' };
      messages.splice(i, 1);
      return { channel: b.channel, ts: b.ts };
    },
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'chat.getPermalink': (b) => ({
      channel: b.channel,
      permalink: `https://toban-test.slack.com/archives/${str(b.channel)}/p${str(b.message_ts)?.replace('.', '')}`,
    }),
    'views.open': (b) => ({ view: { id: `V${++counter}`, ...(b.view as object) } }),
    'views.update': (b) => ({ view: { id: str(b.view_id) ?? `V${++counter}`, ...(b.view as object) } }),
    'views.push': (b) => ({ view: { id: `V${++counter}`, ...(b.view as object) } }),
    'views.publish': (b) => {
      if (!str(b.user_id)) return { ok: false, error: 'invalid_arguments' };
      homes.set(str(b.user_id) ?? '', b.view);
      return { view: { id: `V${++counter}`, ...(b.view as object) } };
    },
    'users.info': (b) => {
      const id = str(b.user) ?? 'U0UNKNOWN';
      return {
        user: {
          id,
          name: id.toLowerCase(),
          real_name: `User ${id}`,
          tz: 'Asia/Tokyo',
          locale: 'ja-JP',
          profile: { display_name: id.toLowerCase() },
        },
      };
    },
    'conversations.open': (b) => ({
      channel: { id: `D${(str(b.users) ?? str(b.user) ?? 'X').replace(/,/g, '')}` },
    }),
    'conversations.history': (b) => {
      const channel = str(b.channel) ?? '';
      if (notMember.has(channel)) return { ok: false, error: 'not_in_channel' };
      // Newest first, top-level messages only (thread replies live in conversations.replies).
      const list = messages
        .filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts))
        .filter((m) => inRange(m.ts, b))
        .reverse();
      return page(list, b);
    },
    'conversations.replies': (b) => {
      const channel = str(b.channel) ?? '';
      if (notMember.has(channel)) return { ok: false, error: 'not_in_channel' };
      // The parent first, then its replies oldest first; `oldest` applies to the replies.
      const parent = messages.filter((m) => m.channel === channel && m.ts === b.ts);
      const replies = messages.filter(
        (m) => m.channel === channel && m.thread_ts === b.ts && m.ts !== b.ts && inRange(m.ts, b),
      );
      return page([...parent, ...replies], b);
    },
    'conversations.info': (b) => ({
      channel: { id: b.channel, name: `channel-${str(b.channel)?.toLowerCase()}`, is_member: true },
    }),
    'conversations.members': () => ({ members: [], response_metadata: { next_cursor: '' } }),
    'conversations.list': () => ({ channels: [], response_metadata: { next_cursor: '' } }),
    'conversations.create': (b) => ({
      channel: { id: `C${String(++counter).padStart(8, '0')}`, name: b.name, is_member: true },
    }),
    'conversations.invite': (b) => ({ channel: { id: b.channel } }),
    'conversations.join': (b) => {
      notMember.delete(str(b.channel) ?? '');
      return { channel: { id: b.channel, is_member: true } };
    },
    'conversations.setTopic': (b) => ({ channel: { id: b.channel, topic: { value: b.topic } } }),
    'conversations.setPurpose': (b) => ({ channel: { id: b.channel, purpose: { value: b.purpose } } }),
    'conversations.archive': () => ({}),
    'usergroups.users.update': (b) => {
      const id = str(b.usergroup) ?? '';
      const users = (str(b.users) ?? '').split(',').filter(Boolean);
      usergroups.set(id, users);
      return { usergroup: { id, users } };
    },
    'usergroups.users.list': (b) => ({ users: usergroups.get(str(b.usergroup) ?? '') ?? [] }),
    'usergroups.list': () => ({ usergroups: [...usergroups].map(([id, users]) => ({ id, users })) }),
    'files.getUploadURLExternal': () => {
      const fileId = `F${String(++counter).padStart(8, '0')}`;
      return { upload_url: new URL(`/upload/${fileId}`, base).toString(), file_id: fileId };
    },
    'files.completeUploadExternal': (b) => {
      const files = (Array.isArray(b.files) ? b.files : []) as { id: string; title?: string }[];
      for (const f of files) {
        const where = shares.get(f.id) ?? [];
        if (str(b.channel_id)) where.push(str(b.channel_id) ?? '');
        shares.set(f.id, where);
      }
      return {
        files: files.map((f) => ({ id: f.id, title: f.title, channels: b.channel_id ? [b.channel_id] : [] })),
      };
    },
    'files.info': (b) => {
      const id = str(b.file) ?? '';
      if (!shares.has(id)) return { ok: false, error: 'file_not_found' };
      const channels = shares.get(id) ?? [];
      return { file: { id, channels, groups: [], ims: [] } };
    },
    'reactions.add': () => ({}),
  };

  /** Slack's `oldest` / `latest` bounds (exclusive unless `inclusive`). */
  function inRange(ts: string, b: Record<string, unknown>): boolean {
    const inclusive = b.inclusive === 'true' || b.inclusive === true;
    const oldest = str(b.oldest);
    const latest = str(b.latest);
    if (oldest && (inclusive ? Number(ts) < Number(oldest) : Number(ts) <= Number(oldest))) return false;
    if (latest && (inclusive ? Number(ts) > Number(latest) : Number(ts) >= Number(latest))) return false;
    return true;
  }

  /** Cursor pagination as Slack does it: `limit` per page (default 100), an opaque `next_cursor`. */
  function page(list: FakeMessage[], b: Record<string, unknown>): Record<string, unknown> {
    const withMetadata = b.include_all_metadata === 'true' || b.include_all_metadata === true;
    const limit = Math.min(999, Math.max(1, Number(str(b.limit) ?? 100) || 100));
    const start = str(b.cursor) ? Number(Buffer.from(str(b.cursor) ?? '', 'base64').toString()) : 0;
    const slice = list.slice(start, start + limit).map((m) => visible(m, withMetadata));
    const more = start + limit < list.length;
    return {
      messages: slice,
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
    };
  }

  function parseBody(raw: string, contentType: string): Record<string, unknown> {
    if (contentType.includes('application/json')) {
      try {
        return JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        return { raw };
      }
    }
    if (contentType.includes('application/x-www-form-urlencoded')) {
      const body: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
      for (const f of JSON_FIELDS) {
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
    return { raw };
  }

  function answer(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  function record(call: FakeSlackCall): void {
    calls.push(call);
    for (const w of [...waiters]) w();
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', base).pathname;
      let method: string;
      let body: Record<string, unknown>;
      if (path.startsWith('/api/')) {
        method = path.slice('/api/'.length);
        body = parseBody(raw, req.headers['content-type'] ?? '');
      } else if (path.startsWith('/respond/')) {
        method = `respond/${decodeURIComponent(path.slice('/respond/'.length))}`;
        body = parseBody(raw, req.headers['content-type'] ?? '');
      } else if (path.startsWith('/upload/')) {
        method = 'upload';
        body = { fileId: path.slice('/upload/'.length), raw };
      } else {
        record({
          method: path,
          body: { raw },
          headers: req.headers,
          at: Date.now(),
          status: 404,
          seq: ++seq,
        });
        answer(res, 404, { ok: false, error: 'not_found' });
        return;
      }
      const call: FakeSlackCall = {
        method,
        body,
        headers: req.headers,
        at: Date.now(),
        status: 200,
        seq: ++seq,
      };
      res.once('close', () => {
        call.endSeq ??= ++seq;
        if (!res.writableFinished) call.abandoned = true;
      });
      const spec = failures.get(method)?.shift();
      if (spec && 'status' in spec) {
        call.status = spec.status;
        record(call);
        if (spec.status === 429)
          answer(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(spec.retryAfter) });
        else answer(res, spec.status, 'internal error');
        return;
      }
      if (spec && 'error' in spec) {
        record(call);
        answer(res, 200, { ok: false, error: spec.error });
        return;
      }
      if (spec && 'actWhen' in spec) {
        void spec.actWhen.then(() => act(call, undefined));
        return;
      }
      act(call, spec);

      function act(call: FakeSlackCall, spec: FailSpec | undefined): void {
        let out: unknown;
        if (method === 'upload') out = `OK - ${raw.length}`;
        else if (method.startsWith('respond/')) out = { ok: true };
        else if (!req.headers.authorization?.startsWith('Bearer ') && !body.token)
          out = { ok: false, error: 'not_authed' };
        else if (tokenError) out = { ok: false, error: tokenError };
        else {
          const handler = custom.get(method) ?? methods[method];
          out = handler ? { ok: true, ...handler(body) } : { ok: false, error: 'unknown_method' };
        }
        record(call);
        const delay = spec && 'delayMs' in spec ? spec.delayMs : 0;
        const send = (): void => {
          if (!res.destroyed) answer(res, 200, out);
        };
        if (delay > 0) setTimeout(send, delay);
        else send();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/`;

  return {
    url: `${base}api/`,
    calls,
    messages,
    usergroups,
    homes,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (name) => `${base}respond/${encodeURIComponent(name)}`,
    failNext(method, spec, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(spec);
      failures.set(method, queue);
    },
    handle(method, handler) {
      custom.set(method, handler);
    },
    seed(list) {
      const added = list.map((x) => {
        const m: FakeMessage = {
          channel: x.channel,
          ts: x.ts ?? nextTs(),
          text: x.text,
          user: 'U0OTHER',
          bot_id: '',
        };
        if (x.thread_ts) m.thread_ts = x.thread_ts;
        messages.push(m);
        return m;
      });
      return added;
    },
    notMemberOf(channel) {
      notMember.add(channel);
    },
    revokeToken(error = 'invalid_auth') {
      tokenError = error;
    },
    restoreToken() {
      tokenError = undefined;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(calls)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(calls);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `fake Slack: condition not met within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ') || 'none'}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

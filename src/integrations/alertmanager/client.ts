// The Alertmanager API v2 client (openapi/alertmanager-v2.json), typed by the generated
// openapi/alertmanager-v2.d.ts. Built by a factory so tests point it at a fake or a real
// Alertmanager; every request is time-boxed, and every failure is classified for the outbox:
// retryable (timeout, network, 429, 5xx) or permanent (any other 4xx, an answer of the wrong shape).
import createClient from 'openapi-fetch';
import type { components, paths } from '../../../openapi/alertmanager-v2.d.ts';

export type GettableSilence = components['schemas']['gettableSilence'];
export type PostableSilence = components['schemas']['postableSilence'];
export type GettableAlert = components['schemas']['gettableAlert'];

export interface AlertmanagerClientOptions {
  fetch?: (input: Request) => Promise<Response>;
  /** Each request is aborted after this long (ms). Default 5 s. */
  timeoutMs?: number;
}

export const DEFAULT_ALERTMANAGER_TIMEOUT_MS = 5_000;

/** Why Alertmanager gave no usable answer. `retryable`: the same request may work later. */
export class AlertmanagerApiError extends Error {
  override name = 'AlertmanagerApiError';
  readonly retryable: boolean;
  constructor(
    readonly reason: 'timeout' | 'network' | 'status' | 'invalid',
    readonly status?: number,
    /** Alertmanager's error text (its 400/500 bodies are a JSON string), at most 300 characters. */
    readonly detail?: string,
  ) {
    super(`alertmanager API: ${reason}${status ? ` ${status}` : ''}${detail ? `: ${detail}` : ''}`);
    this.retryable =
      reason === 'timeout' ||
      reason === 'network' ||
      (reason === 'status' && (status === 429 || (status !== undefined && status >= 500)));
  }
}

export interface AlertmanagerClient {
  /** The base URL requests go to (…/api/v2), for log lines. */
  readonly apiUrl: string;
  /** GET /silences (every state: active, pending, expired). */
  listSilences(signal?: AbortSignal): Promise<GettableSilence[]>;
  /** POST /silences; resolves to the new silence's id. */
  createSilence(silence: PostableSilence, signal?: AbortSignal): Promise<string>;
  /** DELETE /silence/{id}: 'expired', or 'not-found' when Alertmanager does not know the id. */
  expireSilence(id: string, signal?: AbortSignal): Promise<'expired' | 'not-found'>;
  /** GET /alerts (active, silenced and inhibited). */
  listAlerts(signal?: AbortSignal): Promise<GettableAlert[]>;
}

/**
 * The API root for `url`: ALERTMANAGER_URL may name the server (http://am:9093, or with a route
 * prefix, http://host/alertmanager) or the API itself (…/api/v2).
 */
export function apiRoot(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/api/v2') ? base : `${base}/api/v2`;
}

function detailOf(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const text = typeof error === 'string' ? error : JSON.stringify(error);
  return text.trim().slice(0, 300) || undefined;
}

export function createAlertmanagerClient(
  url: string,
  opts: AlertmanagerClientOptions = {},
): AlertmanagerClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_ALERTMANAGER_TIMEOUT_MS;
  const apiUrl = apiRoot(url);
  const client = createClient<paths>({
    baseUrl: apiUrl,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    headers: { accept: 'application/json' },
  });

  /** Runs one request under the time box (and the caller's signal); classifies its failures. */
  async function send<T extends { response: Response; error?: unknown }>(
    fn: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
    ok: (status: number) => boolean = (s) => s >= 200 && s < 300,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let result: T;
    try {
      result = await fn(signal ? AbortSignal.any([timeout, signal]) : timeout);
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new AlertmanagerApiError('timeout');
      throw new AlertmanagerApiError('network', undefined, (err as Error)?.message);
    }
    if (!ok(result.response.status))
      throw new AlertmanagerApiError('status', result.response.status, detailOf(result.error));
    return result;
  }

  return {
    apiUrl,
    async listSilences(signal) {
      const { data } = await send((s) => client.GET('/silences', { signal: s }), signal);
      if (!Array.isArray(data)) throw new AlertmanagerApiError('invalid', 200, 'silences: not a list');
      return data;
    },
    async createSilence(silence, signal) {
      const { data } = await send((s) => client.POST('/silences', { body: silence, signal: s }), signal);
      const id = data?.silenceID;
      if (typeof id !== 'string' || id === '')
        throw new AlertmanagerApiError('invalid', 200, 'POST /silences: answer without silenceID');
      return id;
    },
    async expireSilence(id, signal) {
      const { response, error } = await send(
        (s) => client.DELETE('/silence/{silenceID}', { params: { path: { silenceID: id } }, signal: s }),
        signal,
        (status) => (status >= 200 && status < 300) || status === 404 || status === 500,
      );
      if (response.status === 404) return 'not-found';
      if (response.status === 500) {
        // The spec promises 404 for an unknown id, but Alertmanager 0.25 answers 500 "silence not
        // found" (checked against Debian's prometheus-alertmanager 0.25.0); some versions answer
        // 500 "silence <id> already expired" to a second DELETE. Both: the state asked for holds.
        const detail = detailOf(error);
        if (detail?.includes('not found')) return 'not-found';
        if (detail?.includes('already expired')) return 'expired';
        throw new AlertmanagerApiError('status', 500, detail);
      }
      return 'expired';
    },
    async listAlerts(signal) {
      const { data } = await send((s) => client.GET('/alerts', { signal: s }), signal);
      if (!Array.isArray(data)) throw new AlertmanagerApiError('invalid', 200, 'alerts: not a list');
      return data;
    },
  };
}

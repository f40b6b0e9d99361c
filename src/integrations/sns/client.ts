// Amazon SNS over HTTPS, the two requests toban makes: fetching a message's signing certificate
// (SigningCertURL) to check its signature, and confirming a subscription (a GET of SubscribeURL).
// Built by a factory (createSnsClient) so main.ts shares one certificate cache between the HTTP
// route and the outbox, and tests point it at nock. Every request is time-boxed, follows no
// redirect (a 3xx could lead off the SNS host the URL was checked against) and is refused unless
// its URL is on an SNS host (handlers/alerts/sns.ts), so a forged message cannot make toban fetch
// anything else. Failures are classified: retryable (timeout, network, 429, 5xx) or not.
import { X509Certificate } from 'node:crypto';
import { isAllowedSigningCertUrl, isSnsHostUrl } from '../../../handlers/alerts/sns.ts';

export const DEFAULT_SNS_TIMEOUT_MS = 3_000;
/** AWS's signing certificates are about 2 KiB of PEM; anything much larger is not one. */
export const DEFAULT_SNS_CERT_MAX_BYTES = 64 * 1024;
/** SNS signs with one certificate per region at a time, rotated rarely: a few entries suffice. */
export const DEFAULT_SNS_CERT_CACHE_ENTRIES = 16;

export type SnsFailure =
  'refused-url' | 'timeout' | 'network' | 'status' | 'too-large' | 'invalid' | 'expired';

/** Why an SNS request gave no usable answer. `retryable`: the same request may work later. */
export class SnsRequestError extends Error {
  override name = 'SnsRequestError';
  readonly retryable: boolean;
  constructor(
    readonly reason: SnsFailure,
    readonly status?: number,
    detail?: string,
  ) {
    super(`sns: ${reason}${status ? ` ${status}` : ''}${detail ? `: ${detail}` : ''}`);
    this.retryable =
      reason === 'timeout' ||
      reason === 'network' ||
      (reason === 'status' && (status === 429 || (status !== undefined && status >= 500)));
  }
}

export interface SnsClientOptions {
  /** The clock's now (AppContext.clock.now): a cached certificate past its notAfter is fetched again. */
  now: () => Date;
  fetch?: typeof globalThis.fetch;
  /** Each request is aborted after this long (ms). Default 3 s. */
  timeoutMs?: number;
  /** The largest certificate accepted (bytes). Default 64 KiB. */
  certMaxBytes?: number;
  /** How many certificates are kept, by URL (the least recently used goes first). Default 16. */
  certCacheEntries?: number;
  /**
   * Certificates (PEM) known without fetching, by URL: console mode's demo certificate only
   * (transport/console/fire.ts), which signs the fixtures `fire cloudwatch` sends. Never set in
   * Slack modes: its key is public.
   */
  pinned?: ReadonlyMap<string, string>;
}

export interface SnsClient {
  /**
   * The X.509 certificate at `url` (a SigningCertURL), from the cache or fetched once however many
   * callers ask at the same time.
   * @throws SnsRequestError: 'refused-url' when isAllowedSigningCertUrl refuses `url` (nothing is
   *   fetched); 'expired' for a certificate past its notAfter by `now`; 'timeout', 'network',
   *   'status', 'too-large' or 'invalid' (not a PEM certificate) when the fetch failed.
   */
  signingCertificate(url: string): Promise<X509Certificate>;
  /**
   * GETs a SubscribeURL (confirms the subscription). Resolves with the 2xx status.
   * @throws SnsRequestError: 'refused-url' when `url` is not on an SNS host (isSnsHostUrl);
   *   'status' for a non-2xx answer (retryable on 429 and 5xx); 'timeout'; 'network'.
   */
  confirmSubscription(url: string, signal?: AbortSignal): Promise<number>;
}

/** Reads at most `max` bytes of `res`'s body; cancels the rest and throws 'too-large' past it. */
async function boundedText(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new SnsRequestError('too-large', undefined, `${declared} bytes`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new SnsRequestError('too-large', undefined, `over ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createSnsClient(opts: SnsClientOptions): SnsClient {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SNS_TIMEOUT_MS;
  const maxBytes = opts.certMaxBytes ?? DEFAULT_SNS_CERT_MAX_BYTES;
  const maxEntries = Math.max(1, opts.certCacheEntries ?? DEFAULT_SNS_CERT_CACHE_ENTRIES);
  // Settled certificates and fetches under way, by URL. A failed fetch is dropped at once, so the
  // next message (SNS's retry) fetches again; a Map keeps insertion order, used as recency.
  const cache = new Map<string, Promise<X509Certificate>>();

  /** GET `url` under the time box (and `signal`), no redirect; the Response, or a classified failure. */
  async function get(url: string, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await doFetch(url, {
        method: 'GET',
        redirect: 'manual',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new SnsRequestError('timeout');
      throw new SnsRequestError('network', undefined, (err as Error)?.message);
    }
  }

  async function fetchCertificate(url: string): Promise<X509Certificate> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await get(url, timeout);
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => undefined);
      throw new SnsRequestError('status', res.status);
    }
    let pem: string;
    try {
      // The body is read under the same time box as the headers: a slow trickle is a timeout.
      pem = await boundedText(res, maxBytes);
    } catch (err) {
      if (err instanceof SnsRequestError) throw err;
      throw new SnsRequestError(timeout.aborted ? 'timeout' : 'network', undefined, (err as Error)?.message);
    }
    try {
      return new X509Certificate(pem);
    } catch {
      throw new SnsRequestError('invalid', res.status, 'not a PEM X.509 certificate');
    }
  }

  const expired = (cert: X509Certificate) => Date.parse(cert.validTo) <= opts.now().getTime();

  return {
    async signingCertificate(url) {
      if (!isAllowedSigningCertUrl(url)) throw new SnsRequestError('refused-url');
      let entry = cache.get(url);
      if (entry) {
        cache.delete(url);
        cache.set(url, entry); // most recently used
        const cert = await entry.catch(() => undefined);
        // Past its notAfter: AWS has rotated it by now, so the URL is fetched once more.
        if (cert && !expired(cert)) return cert;
        if (cache.get(url) === entry) cache.delete(url);
        entry = cache.get(url); // another caller may have started the new fetch meanwhile
      }
      if (!entry) {
        const pem = opts.pinned?.get(url);
        entry = pem === undefined ? fetchCertificate(url) : Promise.resolve(new X509Certificate(pem));
        cache.set(url, entry);
        while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
        const pending = entry;
        pending.catch(() => {
          if (cache.get(url) === pending) cache.delete(url);
        });
      }
      const cert = await entry;
      if (expired(cert)) throw new SnsRequestError('expired', undefined, `notAfter ${cert.validTo}`);
      return cert;
    },

    async confirmSubscription(url, signal) {
      if (!isSnsHostUrl(url)) throw new SnsRequestError('refused-url');
      const res = await get(url, signal);
      // The answer (a ConfirmSubscriptionResponse with the subscription's ARN) is not needed.
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new SnsRequestError('status', res.status);
      return res.status;
    },
  };
}

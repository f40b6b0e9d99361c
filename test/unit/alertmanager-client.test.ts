// The Alertmanager client's classification of failures (what the outbox retries and what it does
// not) and where ALERTMANAGER_URL points, against a stubbed fetch.
import { describe, expect, it } from 'vitest';
import {
  AlertmanagerApiError,
  apiRoot,
  createAlertmanagerClient,
} from '../../src/integrations/alertmanager/client.ts';
import { translateAlertmanager } from '../../src/outbox/alertmanager-deliverer.ts';
import { PermanentError, TransientError } from '../../src/outbox/deliverer.ts';

function answering(status: number, body: unknown, seen: string[] = []) {
  return createAlertmanagerClient('http://am.test:9093/', {
    fetch: async (req: Request) => {
      seen.push(`${req.method} ${req.url}`);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
  });
}

async function failure(p: Promise<unknown>): Promise<AlertmanagerApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AlertmanagerApiError))
    throw new Error(`expected AlertmanagerApiError, got ${String(err)}`);
  return err;
}

describe('createAlertmanagerClient', () => {
  it('calls the API under /api/v2 of ALERTMANAGER_URL, with or without it spelled out', async () => {
    expect(apiRoot('http://am:9093')).toBe('http://am:9093/api/v2');
    expect(apiRoot('http://host/alertmanager/')).toBe('http://host/alertmanager/api/v2');
    expect(apiRoot('http://am:9093/api/v2/')).toBe('http://am:9093/api/v2');
    const seen: string[] = [];
    expect(await answering(200, { silenceID: 'abc' }, seen).createSilence({} as never)).toBe('abc');
    expect(seen).toEqual(['POST http://am.test:9093/api/v2/silences']);
  });

  it('classifies 5xx and 429 as retryable, other 4xx as permanent', async () => {
    expect((await failure(answering(503, 'unavailable').listSilences())).retryable).toBe(true);
    expect((await failure(answering(429, 'slow down').listSilences())).retryable).toBe(true);
    const bad = await failure(answering(400, 'invalid silence').createSilence({} as never));
    expect(bad).toMatchObject({ retryable: false, status: 400, detail: 'invalid silence' });
    expect(translateAlertmanager(bad)).toBeInstanceOf(PermanentError);
    expect(translateAlertmanager(new AlertmanagerApiError('status', 502))).toBeInstanceOf(TransientError);
  });

  it('gives up on a request after its time box, as a retryable timeout', async () => {
    const client = createAlertmanagerClient('http://am.test', {
      timeoutMs: 20,
      fetch: (req: Request) =>
        new Promise<Response>((_, reject) =>
          req.signal.addEventListener('abort', () => reject(req.signal.reason as Error)),
        ),
    });
    expect(await failure(client.listSilences())).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it('refuses a 200 without a silence id (it could not be expired later)', async () => {
    expect(await failure(answering(200, {}).createSilence({} as never))).toMatchObject({
      reason: 'invalid',
      retryable: false,
    });
  });

  it('reads an unknown silence on expire as not found: 404, or the 500 "silence not found" of 0.25', async () => {
    expect(await answering(404, 'silence x not found').expireSilence('x')).toBe('not-found');
    expect(await answering(500, 'silence not found').expireSilence('x')).toBe('not-found');
    expect(await answering(500, 'silence x already expired').expireSilence('x')).toBe('expired');
    expect(await answering(200, '').expireSilence('x')).toBe('expired');
    expect((await failure(answering(500, 'disk full').expireSilence('x'))).retryable).toBe(true);
  });
});

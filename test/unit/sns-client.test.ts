// The Amazon SNS client (src/integrations/sns/client.ts) against nock: a signing certificate is
// fetched, parsed and cached; a 404, a 500, a slow server, an oversized or non-certificate answer
// and a URL off SNS are refused with the reason the route maps to its answer; one URL asked for
// by many callers at once is fetched once; an expired certificate is fetched again, then refused.
// Confirming a subscription: 2xx done, 4xx permanent, 5xx retryable, no URL off SNS.
import { Readable } from 'node:stream';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsClient, SnsRequestError } from '../../src/integrations/sns/client.ts';
import { SNS_OTHER_CERT, SNS_TEST_CERT } from '../helpers/sns.ts';

const HOST = 'https://sns.ap-northeast-1.amazonaws.com';
const PATH = '/SimpleNotificationService-0123456789abcdef.pem';
const URL_ = `${HOST}${PATH}`;
/** The test certificates' notAfter is in 2126. */
const NOW = new Date('2030-01-01T00:00:00Z');

afterEach(() => {
  nock.cleanAll();
});

async function failure(p: Promise<unknown>): Promise<SnsRequestError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SnsRequestError);
  return err as SnsRequestError;
}

describe('signingCertificate', () => {
  it('fetches and parses the certificate, then answers from the cache', async () => {
    const scope = nock(HOST).get(PATH).once().reply(200, SNS_TEST_CERT);
    const client = createSnsClient({ now: () => NOW });
    const cert = await client.signingCertificate(URL_);
    expect(cert.subject).toContain('toban test-only signing cert');
    expect((await client.signingCertificate(URL_)).fingerprint256).toBe(cert.fingerprint256);
    expect(scope.isDone()).toBe(true); // a second request would have found no interceptor
  });

  it('shares one fetch between callers asking for the same URL at once', async () => {
    let requests = 0;
    nock(HOST)
      .persist()
      .get(PATH)
      .delay(50)
      .reply(200, () => {
        requests++;
        return SNS_TEST_CERT;
      });
    const client = createSnsClient({ now: () => NOW });
    const certs = await Promise.all(Array.from({ length: 5 }, () => client.signingCertificate(URL_)));
    expect(new Set(certs.map((c) => c.fingerprint256)).size).toBe(1);
    expect(requests).toBe(1);
  });

  it('refuses a URL off SNS without fetching it', async () => {
    const client = createSnsClient({ now: () => NOW });
    for (const url of [
      'https://evil.example/SimpleNotificationService-1.pem',
      `http://sns.ap-northeast-1.amazonaws.com${PATH}`,
      `${HOST}/not-a-cert.txt`,
    ])
      expect((await failure(client.signingCertificate(url))).reason).toBe('refused-url');
  });

  it('refuses a 404 (not retryable) and a 500 (retryable), and tries again on the next call', async () => {
    nock(HOST).get(PATH).reply(404, 'no').get(PATH).reply(500, 'oops').get(PATH).reply(200, SNS_TEST_CERT);
    const client = createSnsClient({ now: () => NOW });
    const notFound = await failure(client.signingCertificate(URL_));
    expect([notFound.reason, notFound.status, notFound.retryable]).toEqual(['status', 404, false]);
    const broken = await failure(client.signingCertificate(URL_));
    expect([broken.reason, broken.status, broken.retryable]).toEqual(['status', 500, true]);
    // Failures are not cached.
    expect((await client.signingCertificate(URL_)).subject).toContain('signing cert');
  });

  it('gives up on a slow server (timeout, retryable)', async () => {
    nock(HOST).get(PATH).delay(2_000).reply(200, SNS_TEST_CERT);
    const client = createSnsClient({ now: () => NOW, timeoutMs: 100 });
    const err = await failure(client.signingCertificate(URL_));
    expect([err.reason, err.retryable]).toEqual(['timeout', true]);
  });

  it('refuses an answer over the size cap, declared or streamed', async () => {
    const big = 'A'.repeat(70 * 1024);
    nock(HOST).get(PATH).reply(200, big);
    const client = createSnsClient({ now: () => NOW });
    expect((await failure(client.signingCertificate(URL_))).reason).toBe('too-large');
    // No content-length: the body is counted as it arrives.
    nock(HOST)
      .get(PATH)
      .reply(200, () => Readable.from([Buffer.from(big.slice(0, 40_000)), Buffer.from(big.slice(40_000))]));
    expect((await failure(client.signingCertificate(URL_))).reason).toBe('too-large');
  });

  it('refuses an answer that is not a certificate', async () => {
    nock(HOST).get(PATH).reply(200, '<html>hello</html>');
    const client = createSnsClient({ now: () => NOW });
    expect((await failure(client.signingCertificate(URL_))).reason).toBe('invalid');
  });

  it('does not follow a redirect (it could leave the SNS host)', async () => {
    nock(HOST).get(PATH).reply(302, '', { location: 'https://evil.example/x.pem' });
    const client = createSnsClient({ now: () => NOW });
    const err = await failure(client.signingCertificate(URL_));
    expect([err.reason, err.status]).toEqual(['status', 302]);
  });

  it('fetches a cached certificate again once it expired, and refuses one that is still expired', async () => {
    let now = NOW;
    nock(HOST).get(PATH).reply(200, SNS_TEST_CERT).get(PATH).reply(200, SNS_OTHER_CERT);
    const client = createSnsClient({ now: () => now });
    expect((await client.signingCertificate(URL_)).subject).toContain('signing cert');
    now = new Date('2127-01-01T00:00:00Z'); // past both certificates' notAfter
    const err = await failure(client.signingCertificate(URL_));
    expect(err.reason).toBe('expired');
    expect(nock.isDone()).toBe(true); // the second certificate was fetched
  });

  it('answers a pinned URL (console mode) without fetching, and fetches the others', async () => {
    const scope = nock(HOST).get(PATH).reply(200, SNS_OTHER_CERT);
    const pinnedUrl = `${HOST}/pinned.pem`;
    const client = createSnsClient({ now: () => NOW, pinned: new Map([[pinnedUrl, SNS_TEST_CERT]]) });
    expect((await client.signingCertificate(pinnedUrl)).subject).toContain('signing cert');
    expect((await client.signingCertificate(URL_)).subject).toContain('other cert');
    expect(scope.isDone()).toBe(true);
  });

  it('keeps at most certCacheEntries certificates (the least recently used goes)', async () => {
    const paths = ['/a.pem', '/b.pem', '/c.pem'];
    const hits = new Map<string, number>();
    for (const p of paths)
      nock(HOST)
        .persist()
        .get(p)
        .reply(200, () => {
          hits.set(p, (hits.get(p) ?? 0) + 1);
          return SNS_TEST_CERT;
        });
    const client = createSnsClient({ now: () => NOW, certCacheEntries: 2 });
    for (const p of ['/a.pem', '/b.pem', '/a.pem', '/c.pem', '/a.pem', '/b.pem'])
      await client.signingCertificate(`${HOST}${p}`);
    // a stays (used last before c came), b was dropped for c and fetched again.
    expect(Object.fromEntries(hits)).toEqual({ '/a.pem': 1, '/b.pem': 2, '/c.pem': 1 });
  });
});

describe('confirmSubscription', () => {
  const CONFIRM = '/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:ap-northeast-1:123456789012:t&Token=abc';

  it('GETs the SubscribeURL: 2xx done, 4xx permanent, 5xx retryable', async () => {
    const scope = nock(HOST)
      .get(CONFIRM)
      .reply(200, '<ConfirmSubscriptionResponse/>')
      .get(CONFIRM)
      .reply(403, 'expired token')
      .get(CONFIRM)
      .reply(503, 'busy');
    const client = createSnsClient({ now: () => NOW });
    expect(await client.confirmSubscription(`${HOST}${CONFIRM}`)).toBe(200);
    const denied = await failure(client.confirmSubscription(`${HOST}${CONFIRM}`));
    expect([denied.status, denied.retryable]).toEqual([403, false]);
    const busy = await failure(client.confirmSubscription(`${HOST}${CONFIRM}`));
    expect([busy.status, busy.retryable]).toEqual([503, true]);
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a URL off SNS without requesting it', async () => {
    const client = createSnsClient({ now: () => NOW });
    const err = await failure(client.confirmSubscription('http://169.254.169.254/latest/meta-data/'));
    expect([err.reason, err.retryable]).toEqual(['refused-url', false]);
  });
});

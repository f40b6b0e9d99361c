// Amazon SNS in tests: the test-only key and certificate (test/fixtures/alerts/sns-test-*.pem,
// self-signed, trusted by nothing) stand in for AWS's. Messages are signed with the key as SNS signs
// them, and the certificate is served by nock at the message's SigningCertURL.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { z } from 'zod';
import { snsConfirmationSchema, snsNotificationSchema, snsStringToSign } from '../../handlers/alerts/sns.ts';
import { FIXTURES_DIR } from './alert-intake.ts';

const read = (name: string) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');

export const SNS_TEST_KEY = read('sns-test-signing.key');
export const SNS_TEST_CERT = read('sns-test-signing.pem');
export const SNS_OTHER_CERT = read('sns-test-other.pem');

/**
 * `body` signed with the test key as SNS signs it (SignatureVersion 1: SHA1, 2: SHA256), when it is
 * an SNS envelope with a known version; anything else is returned unchanged.
 */
export function signSns<T>(body: T): T {
  const parsed = z.union([snsNotificationSchema, snsConfirmationSchema]).safeParse(body);
  if (!parsed.success) return body;
  const algorithms: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };
  // Own keys only: a mutated version such as "toString" names no algorithm.
  if (!Object.hasOwn(algorithms, parsed.data.SignatureVersion)) return body;
  const algorithm = algorithms[parsed.data.SignatureVersion]!;
  const signature = crypto
    .sign(algorithm, Buffer.from(snsStringToSign(parsed.data), 'utf8'), SNS_TEST_KEY)
    .toString('base64');
  return { ...body, Signature: signature };
}

/** The test certificate at every https://sns.<region>.amazonaws.com/….pem, for as long as the test runs. */
export function serveSnsTestCerts(): nock.Scope {
  return nock(/^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:443)?$/)
    .persist()
    .get(/\.pem$/)
    .reply(200, SNS_TEST_CERT, { 'content-type': 'application/x-pem-file' });
}

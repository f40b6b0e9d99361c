// The signatures alert sources put on their requests: Grafana's and Sentry's hex HMAC-SHA256 over
// the raw body (good, changed body, wrong secret, missing, malformed), and Amazon SNS's RSA
// signature, versions 1 (SHA1) and 2 (SHA256), over AWS's string to sign, checked with a test-only
// certificate (test/fixtures/alerts/sns-test-*.pem); plus which certificate URLs may be fetched.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyGrafanaSignature } from '../../handlers/alerts/grafana.ts';
import { verifySentrySignature } from '../../handlers/alerts/sentry.ts';
import {
  isAllowedSigningCertUrl,
  snsStringToSign,
  verifySnsSignature,
  type SnsConfirmation,
  type SnsEnvelope,
  type SnsNotification,
} from '../../handlers/alerts/sns.ts';

const fixtures = new URL('../fixtures/alerts/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');

const hmac = (secret: string, data: string) => crypto.createHmac('sha256', secret).update(data).digest('hex');

describe("Grafana's X-Grafana-Alerting-Signature", () => {
  const secret = 'grafana-contact-point-secret';
  const body = read('grafana-firing.json');

  it('accepts the hex HMAC-SHA256 of the raw body, in either case', () => {
    expect(verifyGrafanaSignature(secret, Buffer.from(body), hmac(secret, body))).toEqual({ ok: true });
    expect(verifyGrafanaSignature(secret, body, hmac(secret, body).toUpperCase())).toEqual({ ok: true });
  });

  it('signs "timestamp:body" when a timestamp header is configured', () => {
    const ts = '1763643900';
    expect(verifyGrafanaSignature(secret, body, hmac(secret, `${ts}:${body}`), ts)).toEqual({ ok: true });
    // The body's signature alone does not pass once a timestamp is expected, nor another timestamp.
    expect(verifyGrafanaSignature(secret, body, hmac(secret, body), ts)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyGrafanaSignature(secret, body, hmac(secret, `${ts}:${body}`), '1763643901')).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a changed body, a wrong secret, a missing and a malformed header', () => {
    const sig = hmac(secret, body);
    expect(verifyGrafanaSignature(secret, body.replace('912.5', '912.6'), sig)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyGrafanaSignature('another secret', body, sig)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyGrafanaSignature(secret, body, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyGrafanaSignature(secret, body, '')).toEqual({ ok: false, reason: 'missing' });
    expect(verifyGrafanaSignature(secret, body, `sha256=${sig}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyGrafanaSignature(secret, body, sig.slice(2))).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyGrafanaSignature(secret, body, [sig, sig])).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe("Sentry's Sentry-Hook-Signature", () => {
  const secret = 'sentry-client-secret';
  // Sentry signs the compact JSON it sends; a test signs whatever bytes it posts.
  const body = JSON.stringify(JSON.parse(read('sentry-event-alert.json')));

  it('accepts the hex HMAC-SHA256 of the raw body under the client secret', () => {
    expect(verifySentrySignature(secret, Buffer.from(body), hmac(secret, body))).toEqual({ ok: true });
  });

  it('refuses a re-encoded body, a wrong secret, a missing and a malformed header', () => {
    const sig = hmac(secret, body);
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifySentrySignature(secret, pretty, sig)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySentrySignature('other', body, sig)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySentrySignature(secret, body, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySentrySignature(secret, body, 'not-hex')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('Amazon SNS message signatures', () => {
  const key = read('sns-test-signing.key');
  const cert = read('sns-test-signing.pem');
  const otherCert = read('sns-test-other.pem');

  /** The fixture, signed by the test key as SNS would sign it (version 1: SHA1, 2: SHA256). */
  function signed(name: string, version: '1' | '2'): SnsEnvelope {
    const message = { ...(JSON.parse(read(name)) as SnsEnvelope), SignatureVersion: version };
    const algorithm = version === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
    const signature = crypto
      .sign(algorithm, Buffer.from(snsStringToSign(message), 'utf8'), key)
      .toString('base64');
    return { ...message, Signature: signature };
  }

  it("builds AWS's string to sign for a Notification: Subject only when present", () => {
    const message = JSON.parse(read('cloudwatch-sns-ok.json')) as SnsEnvelope & { Message: string };
    expect(snsStringToSign(message)).toBe(
      `Message\n${message.Message}\nMessageId\n20a65051-dd7d-5952-906e-09179028dc41\n` +
        `Subject\nOK: "ec2CPUUtilization" in Asia Pacific (Tokyo)\nTimestamp\n2021-06-18T07:28:21.978Z\n` +
        `TopicArn\narn:aws:sns:ap-northeast-1:123456789012:aws-sns-topic\nType\nNotification\n`,
    );
    const withoutSubject = { ...message, Subject: undefined };
    expect(snsStringToSign(withoutSubject)).not.toContain('Subject');
  });

  it("builds AWS's string to sign for a SubscriptionConfirmation, with SubscribeURL and Token", () => {
    const m = JSON.parse(read('sns-subscription-confirmation.json')) as Record<string, string>;
    // Its Message holds a real newline (JSON's \n decoded), signed as it is.
    expect(m.Message).toContain('\n');
    const names = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    expect(snsStringToSign(m as unknown as SnsEnvelope)).toBe(names.map((k) => `${k}\n${m[k]}\n`).join(''));
  });

  for (const version of ['1', '2'] as const) {
    it(`accepts a correct SignatureVersion ${version} signature, for a notification and a confirmation`, () => {
      expect(verifySnsSignature(signed('cloudwatch-sns-alarm.json', version), cert)).toEqual({ ok: true });
      expect(verifySnsSignature(signed('sns-subscription-confirmation.json', version), cert)).toEqual({
        ok: true,
      });
    });

    it(`refuses a changed Message, Subject or Token under version ${version}`, () => {
      const message = signed('cloudwatch-sns-alarm.json', version) as SnsNotification;
      const changed = { ...message, Message: message.Message.replace('"ALARM"', '"OK"') };
      expect(verifySnsSignature(changed, cert)).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifySnsSignature({ ...message, Subject: 'OK: quiet' }, cert)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
      const confirmation = signed('sns-subscription-confirmation.json', version) as SnsConfirmation;
      expect(verifySnsSignature({ ...confirmation, Token: `${confirmation.Token}0` }, cert)).toEqual({
        ok: false,
        reason: 'mismatch',
      });
    });
  }

  it('refuses a signature checked with another certificate', () => {
    expect(verifySnsSignature(signed('cloudwatch-sns-alarm.json', '2'), otherCert)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a version 1 signature presented as version 2 (the hash is part of the check)', () => {
    const v1 = signed('cloudwatch-sns-alarm.json', '1');
    expect(verifySnsSignature({ ...v1, SignatureVersion: '2' }, cert)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses an unknown SignatureVersion before looking at anything else', () => {
    const message = signed('cloudwatch-sns-alarm.json', '2');
    for (const v of ['3', '', '0', 'constructor'])
      expect(verifySnsSignature({ ...message, SignatureVersion: v }, cert)).toEqual({
        ok: false,
        reason: 'unsupported-version',
      });
  });

  it('refuses a certificate that is not one, and a signature that is not Base64', () => {
    const message = signed('cloudwatch-sns-alarm.json', '1');
    expect(verifySnsSignature(message, 'not a certificate')).toEqual({
      ok: false,
      reason: 'bad-certificate',
    });
    expect(verifySnsSignature({ ...message, Signature: 'not base64!' }, cert)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it("refuses the real captures' signatures with our test certificate", () => {
    expect(verifySnsSignature(JSON.parse(read('cloudwatch-sns-ok.json')) as SnsEnvelope, cert)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
});

describe('which SigningCertURL toban may fetch', () => {
  it("accepts the captures' SNS certificate URLs, and China's", () => {
    for (const name of [
      'cloudwatch-sns-alarm.json',
      'cloudwatch-sns-ok.json',
      'sns-subscription-confirmation.json',
    ])
      expect(isAllowedSigningCertUrl((JSON.parse(read(name)) as SnsEnvelope).SigningCertURL)).toBe(true);
    expect(
      isAllowedSigningCertUrl('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem'),
    ).toBe(true);
  });

  it('refuses http, other hosts, look-alike hosts, ports, credentials, queries and non-.pem paths', () => {
    for (const url of [
      'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem',
      'https://user:pw@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem?x=1',
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.txt',
      'https://s3.us-east-1.amazonaws.com/bucket/cert.pem',
      'https://sns.amazonaws.com/cert.pem',
      'not a url',
      '',
    ])
      expect(isAllowedSigningCertUrl(url), url).toBe(false);
  });
});

// Amazon SNS's HTTP(S) delivery: the JSON envelope (Notification, SubscriptionConfirmation,
// UnsubscribeConfirmation) and its signature, per
// https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html and
// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html.
// Fetching (and caching) the signing certificate is the intake's part; this file only says which
// URLs it may be fetched from and checks a signature against a certificate it is given.
import crypto from 'node:crypto';
import { z } from 'zod';
import { timeText } from './common.ts';

/** https://sns.<region>.amazonaws.com (or .amazonaws.com.cn in China), default port, no credentials. */
export function isSnsHostUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    url.hostname.length <= 64 &&
    // us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1, eu-central-2, il-central-1, ...
    /^sns\.[a-z]{2}-[a-z]{2,12}(?:-[a-z]{2,12})?-\d{1,2}\.amazonaws\.com(?:\.cn)?$/.test(url.hostname)
  );
}

/**
 * Whether toban may fetch a message's SigningCertURL: https on an SNS host (isSnsHostUrl), a path
 * ending in .pem, nothing after it. AWS: "Don't trust any certificates provided in the message
 * without validation ... The certificate should come from an SNS-signed URL."
 */
export function isAllowedSigningCertUrl(text: string): boolean {
  if (!isSnsHostUrl(text)) return false;
  const url = new URL(text);
  return url.pathname.endsWith('.pem') && url.search === '' && url.hash === '';
}

const envelopeShape = {
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: timeText,
  // Any text: an unknown version is the signature check's answer (401), not a malformed body.
  SignatureVersion: z.string(),
  Signature: z.string(),
  SigningCertURL: z.string(),
};

export const snsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  ...envelopeShape,
  Subject: z.string().nullish(),
  UnsubscribeURL: z.string().nullish(),
});

export const snsConfirmationSchema = z.object({
  Type: z.enum(['SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  ...envelopeShape,
  Token: z.string().min(1),
  // toban GETs this URL to confirm: only ever one on an SNS host.
  SubscribeURL: z.string().refine(isSnsHostUrl, 'expected an https URL on sns.<region>.amazonaws.com'),
});

export type SnsNotification = z.infer<typeof snsNotificationSchema>;
export type SnsConfirmation = z.infer<typeof snsConfirmationSchema>;
export type SnsEnvelope = SnsNotification | SnsConfirmation;

/**
 * AWS's string to sign: for each field in byte order, its name, a newline, its value, a newline.
 * Notification: Message, MessageId, Subject (only when present), Timestamp, TopicArn, Type.
 * Confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type. Values are the
 * JSON-decoded strings (escapes such as \n already turned into the characters they stand for).
 */
export function snsStringToSign(message: SnsEnvelope): string {
  const fields: [string, string][] =
    message.Type === 'Notification'
      ? [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ...(typeof message.Subject === 'string' ? [['Subject', message.Subject] as [string, string]] : []),
          ['Timestamp', message.Timestamp],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ]
      : [
          ['Message', message.Message],
          ['MessageId', message.MessageId],
          ['SubscribeURL', message.SubscribeURL],
          ['Timestamp', message.Timestamp],
          ['Token', message.Token],
          ['TopicArn', message.TopicArn],
          ['Type', message.Type],
        ];
  return fields.map(([k, v]) => `${k}\n${v}\n`).join('');
}

/** SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (AWS recommends 2; topics default to 1). */
const ALGORITHMS: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

export type SnsSignatureCheck =
  { ok: true } | { ok: false; reason: 'unsupported-version' | 'bad-certificate' | 'malformed' | 'mismatch' };

/**
 * Checks an SNS message's Base64 `Signature` over snsStringToSign(message) with the public key of
 * `certPem`, the X.509 certificate (PEM) fetched from its SigningCertURL (isAllowedSigningCertUrl).
 * Checks neither the certificate's validity period nor its chain: the URL's host is the trust.
 */
export function verifySnsSignature(message: SnsEnvelope, certPem: string): SnsSignatureCheck {
  const algorithm = Object.hasOwn(ALGORITHMS, message.SignatureVersion)
    ? ALGORITHMS[message.SignatureVersion]
    : undefined;
  if (!algorithm) return { ok: false, reason: 'unsupported-version' };
  let key: crypto.KeyObject;
  try {
    key = new crypto.X509Certificate(certPem).publicKey;
  } catch {
    return { ok: false, reason: 'bad-certificate' };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(message.Signature)) return { ok: false, reason: 'malformed' };
  const signature = Buffer.from(message.Signature, 'base64');
  try {
    const ok = crypto.verify(algorithm, Buffer.from(snsStringToSign(message), 'utf8'), key, signature);
    return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
  } catch {
    return { ok: false, reason: 'mismatch' };
  }
}

// POST /hooks/alerts/:source: a monitoring system's webhook. Authentication first, then the body
// (at most 1 MiB, JSON), then the intake (services/alerts/intake.ts), which answers 202 only after
// COMMIT. Answers: 202 {"accepted": n}; 400 {"error": "<field>: <problem>"}; 401 without the token;
// 404 for an unknown source; 413 over 1 MiB; 415 not JSON; a 5xx means nothing was stored. A body
// nested deeper than MAX_JSON_DEPTH is a 400 (body.ts says why).
// cloudwatch (Amazon SNS) also needs the message's own signature (services/alerts/sns.ts): 401
// naming `Signature` when it does not verify, 400 naming `SigningCertURL` for a certificate URL off
// SNS, 503 when the certificate could not be fetched.
//
// The token (ALERT_WEBHOOK_TOKEN) is accepted as `Authorization: Bearer <token>`, as the password
// of `Authorization: Basic` (what Amazon SNS sends for an https://user:token@host/… subscription),
// or, from Grafana and Sentry, as the HMAC key of their own signature headers
// (X-Grafana-Alerting-Signature, Sentry-Hook-Signature), whose secret is then set to the same token.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../core/context.ts';
import {
  verifyGrafanaSignature,
  GRAFANA_SIGNATURE_HEADER,
  GRAFANA_TIMESTAMP_HEADER,
  GRAFANA_TIMESTAMP_WINDOW_MS,
} from '../../handlers/alerts/grafana.ts';
import { alertIntake } from '../../handlers/alerts/index.ts';
import { verifySentrySignature } from '../../handlers/alerts/sentry.ts';
import { intakeAlerts } from '../services/alerts/intake.ts';
import { checkSnsSignature } from '../services/alerts/sns.ts';
import { createSnsClient } from '../integrations/sns/client.ts';
import { jsonDeeperThan, MAX_JSON_DEPTH, readBody } from './body.ts';
import { HttpError } from './errors.ts';
import { sendJson, type Router } from './router.ts';

/** Constant-time equality of two secrets of any length (compares their SHA-256 digests). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/** Whether the request carries the token in its Authorization header (Bearer, or Basic's password). */
export function headerToken(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return false;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (bearer?.[1]) return sameSecret(bearer[1], token);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && sameSecret(decoded.slice(colon + 1), token);
  }
  return false;
}

/**
 * Whether a source's own signature over the raw body verifies with the token as its secret. A
 * Grafana request with a timestamp header must carry Unix seconds within
 * GRAFANA_TIMESTAMP_WINDOW_MS of `now`, signed with the body (an old request replayed is refused).
 */
function signedBySource(
  source: string,
  req: IncomingMessage,
  raw: Buffer,
  token: string,
  now: Date,
): boolean {
  if (source === 'grafana' && req.headers[GRAFANA_SIGNATURE_HEADER] !== undefined) {
    const timestamp = req.headers[GRAFANA_TIMESTAMP_HEADER];
    if (timestamp === undefined)
      return verifyGrafanaSignature(token, raw, req.headers[GRAFANA_SIGNATURE_HEADER]).ok;
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
    if (Math.abs(now.getTime() - Number(timestamp) * 1000) > GRAFANA_TIMESTAMP_WINDOW_MS) return false;
    return verifyGrafanaSignature(token, raw, req.headers[GRAFANA_SIGNATURE_HEADER], timestamp).ok;
  }
  if (source === 'sentry' && req.headers['sentry-hook-signature'] !== undefined)
    return verifySentrySignature(token, raw, req.headers['sentry-hook-signature']).ok;
  return false;
}

export function unauthorized(): HttpError {
  return new HttpError(401, 'unauthorized', 'expected Authorization: Bearer <ALERT_WEBHOOK_TOKEN>', {
    'www-authenticate': 'Bearer',
  });
}

export function alertRoutes(ctx: AppContext, router: Router, token: string | undefined): void {
  // One certificate cache for the process (main.ts shares it with the outbox); built here when absent.
  const sns = ctx.sns ?? createSnsClient({ now: () => ctx.clock.now() });
  router.on('POST', '/hooks/alerts/:source', async (req, res, params) => {
    const source = params.source ?? '';
    if (!alertIntake(source))
      throw new HttpError(404, 'not found', `unknown alert source "${source.slice(0, 40)}"`);
    // No token configured (a console run that was given none): nobody is let in.
    if (!token) throw unauthorized();
    const byHeader = headerToken(req, token);
    // A signature covers the bytes, so the body is read before it is checked; the 1 MiB limit holds.
    if (!byHeader && !(source === 'grafana' || source === 'sentry')) throw unauthorized();
    // Amazon SNS posts its JSON as text/plain (AWS docs, "HTTP/HTTPS notification JSON format").
    if (source === 'cloudwatch' && /^text\/plain\b/i.test(req.headers['content-type'] ?? ''))
      req.headers['content-type'] = 'application/json; charset=utf-8';
    const { raw, type } = await readBody(req);
    if (!byHeader && !signedBySource(source, req, raw, token, ctx.clock.now())) throw unauthorized();
    if (type !== 'json') throw new HttpError(415, 'unsupported_media_type', 'expected application/json');
    const text = raw.toString('utf8');
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
      sendJson(res, 400, { error: `body: nested more than ${MAX_JSON_DEPTH} levels deep` });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      sendJson(res, 400, { error: 'body: expected JSON' });
      return;
    }
    // Amazon SNS signs its messages: checked before anything is stored, the token check kept as well.
    if (source === 'cloudwatch') {
      const check = await checkSnsSignature(sns, body, ctx.config.alerts.sns_topics);
      if (!check.ok) {
        ctx.log.warn(
          { source, status: check.status, error: check.error, ...check.log },
          'alerts: SNS message refused',
        );
        sendJson(res, check.status, { error: check.error });
        return;
      }
    }
    const result = await intakeAlerts(ctx, { source, body, bodyText: text });
    if (result.status === 404) throw new HttpError(404, 'not found');
    if (result.status === 400) {
      ctx.log.warn({ source, error: result.error }, 'alerts: payload refused');
      sendJson(res, 400, { error: result.error });
      return;
    }
    ctx.metrics.alertsAccepted.inc({ source }, result.accepted);
    sendJson(res, 202, { accepted: result.accepted });
  });
}

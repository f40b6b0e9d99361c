// Slack's HTTP mode, served as the route POST /slack/events of our own router. In order: read the
// body (1 MiB), verify the v0 signature (timing-safe, ±5 minutes), validate the body's shape
// (slack-bodies.ts), store it under its key (slack-intake.ts), and only then hand it on with an ack
// function that writes the HTTP answer (slack-admitted.ts: acknowledged at once, then answered).
// Bolt is not in this path: its listeners did nothing here but acknowledge and start the answer,
// and loading it (with express and the Socket Mode client it pulls in) cost about 24 MB of memory
// and 0.2 ms of CPU per request. Answers:
//   200  acknowledged (a slash command's ack may carry a message, a view submission's its
//        response_action: errors, with nothing stored, or update / clear); url_verification's challenge;
//        an Events API retry of an event already stored (Slack stops retrying)
//   400  a body of no known shape (the field is named)          401  a bad, missing or stale signature
//   409  a replayed signature (the request ran once already)    413  a body over 1 MiB
//   415  neither JSON nor form-encoded UTF-8                    503  an interaction or event the
//        database could not take (Slack retries events)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { readBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import { sendJson } from '../http/router.ts';
import type { AdmittedHandler } from './slack-admitted.ts';
import { parseSlackBody, type SlackBody } from './slack-bodies.ts';
import type { ViewAcknowledger } from './slack-view-ack.ts';
import type { SlackIntake } from './slack-intake.ts';
import { verifySlackSignature } from './slack-signature.ts';

export interface SlackReceiverOptions {
  intake: SlackIntake;
  log: Logger;
  metrics: Metrics;
  /** Acknowledges a stored request and starts answering it. */
  admitted: AdmittedHandler;
  /**
   * Decides a view submission's acknowledgement before it is stored (slack-view-ack.ts): field
   * errors are answered at once and nothing is stored. Absent: every submission is stored and closed.
   */
  acknowledgeView?: ViewAcknowledger;
}

export interface SlackHttpReceiverOptions extends SlackReceiverOptions {
  signingSecret: string;
  /** Unix time in seconds; tests may pin it. */
  nowSec?: () => number;
}

/** The stored key and kind of a request, and whose language its refusal should be in. */
export function requestKey(
  body: Exclude<SlackBody, { kind: 'url_verification' | 'ignore' }>,
  idFromTransport: string,
): { key: string; userId?: string } {
  if (body.kind === 'event') return { key: `event:${body.body.event_id}` };
  if (body.kind === 'command') return { key: idFromTransport, userId: body.body.user_id };
  // A modal submitted again unchanged (Submit pressed twice, or again after Slack said it could not
  // connect) is the same submission: Slack gives a view an id and each state of it a hash.
  if (body.body.type === 'view_submission') {
    const hash = (body.body.view as { hash?: unknown }).hash;
    if (typeof hash === 'string' && /^[\w.-]{1,64}$/.test(hash))
      return { key: `view:${body.body.view.id}:${hash}`, userId: body.body.user.id };
  }
  return { key: idFromTransport, userId: body.body.user.id };
}

export class SlackHttpReceiver {
  constructor(private readonly opts: SlackHttpReceiverOptions) {}

  /** The route handler of POST /slack/events. Throws HttpError for the 4xx answers. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    res.once('finish', () =>
      this.opts.metrics.ackLatency.observe(Number(process.hrtime.bigint() - started) / 1e9),
    );
    const { raw, type } = await readBody(req);
    const check = verifySlackSignature({
      secret: this.opts.signingSecret,
      rawBody: raw,
      timestamp: req.headers['x-slack-request-timestamp'],
      signature: req.headers['x-slack-signature'],
      nowSec: this.opts.nowSec?.() ?? Math.floor(Date.now() / 1000),
    });
    // Refusals are logged by the router, once, with their code (E_SIGNATURE, E_BODY, ...).
    if (!check.ok)
      throw new HttpError(
        401,
        'invalid signature',
        undefined,
        {},
        {
          code: 'E_SIGNATURE',
          log: { reason: check.reason },
        },
      );
    const body = parseSlackBody(type, raw.toString('utf8'));
    if (body.kind === 'invalid') throw new HttpError(400, 'invalid body', body.error, {}, { code: 'E_BODY' });
    if (body.kind === 'url_verification') return sendJson(res, 200, { challenge: body.challenge });
    if (body.kind === 'ignore') return void res.writeHead(200).end();

    // A view submission's fields are checked before anything is stored: errors keep the modal open.
    let response: unknown;
    let deadlineMs: number | undefined;
    if (body.kind === 'interaction' && body.body.type === 'view_submission' && this.opts.acknowledgeView) {
      const decided = await this.opts.acknowledgeView(body.body);
      if (decided.store === false) return sendJson(res, 200, decided.body);
      response = decided.body;
      deadlineMs = decided.storeDeadlineMs;
    }

    const { key, userId } = requestKey(body, `sig:${check.signature}`);
    const admission = await this.opts.intake.admit({
      key,
      kind: body.kind,
      payload: body.body,
      userId,
      deadlineMs,
    });
    if (admission.status === 'seen') {
      if (key.startsWith('view:')) {
        // The first of them is stored and will be answered: close this modal as that one was.
        this.opts.log.info({ key }, 'slack: view submission already stored');
        return void res.writeHead(200).end();
      }
      if (body.kind === 'event') {
        this.opts.log.info({ key, retry: req.headers['x-slack-retry-num'] }, 'slack: event already stored');
        return void res.writeHead(200).end();
      }
      throw new HttpError(
        409,
        'replayed request',
        undefined,
        {},
        { code: 'E_REPLAY', log: { kind: body.kind } },
      );
    }
    if (admission.status === 'unavailable') {
      if (admission.message) return sendJson(res, 200, admission.message);
      throw new HttpError(
        503,
        'unavailable',
        undefined,
        { 'retry-after': '10' },
        {
          code: 'E_DATABASE',
          log: { kind: body.kind },
        },
      );
    }

    const retryNum = Number(req.headers['x-slack-retry-num']);
    const retryReason = req.headers['x-slack-retry-reason'];
    await this.opts.admitted(
      {
        body: body.body,
        response,
        retryNum: Number.isInteger(retryNum) ? retryNum : undefined,
        retryReason: typeof retryReason === 'string' ? retryReason : undefined,
        ack: async (response?: unknown) => {
          if (res.headersSent) return;
          if (response === undefined || response === '') res.writeHead(200).end();
          else if (typeof response === 'string')
            res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(response);
          else sendJson(res, 200, response);
        },
      },
      admission.request,
    );
  };
}

// What happens to a Slack request once it is stored (slack-intake.ts): it is acknowledged, then
// answered. The receivers (HTTP, Socket Mode) hand each stored request to an AdmittedHandler.
import type { StoredRequest } from '../db/slack-requests.ts';

/** A stored request as its receiver hands it on: the body, the acknowledgement, Slack's retry headers. */
export interface AdmittedEvent {
  body: Record<string, unknown>;
  /** Acknowledges the request (an empty 200 when `response` is undefined); once only. */
  ack(response?: unknown): Promise<void>;
  /**
   * The acknowledgement's body, decided before the request was stored (a view submission's
   * response_action: update, clear; see slack-view-ack.ts); undefined for an empty 200.
   */
  response?: unknown;
  retryNum?: number;
  retryReason?: string;
}

/** Acknowledges a stored request and starts answering it. Never rejects. */
export type AdmittedHandler = (event: AdmittedEvent, request: StoredRequest) => Promise<void>;

/**
 * Acknowledges at once with `event.response` (usually an empty 200: the answer goes to the
 * response_url through the outbox),
 * then starts the answer (`answer` must not throw: it runs the work in the background).
 */
export function ackThenAnswer(answer: (request: StoredRequest) => void): AdmittedHandler {
  return async (event, request) => {
    await event.ack(event.response);
    answer(request);
  };
}

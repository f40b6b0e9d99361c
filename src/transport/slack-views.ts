// The one Slack call toban makes directly rather than through the outbox: views.open / views.push,
// which need the interaction's trigger_id and must reach Slack within its 3 seconds
// (https://api.slack.com/interactivity/handling#modal_responses). Made after the request's rows have
// committed (slack-answer.ts), time-boxed so a slow Slack cannot keep the answer past the window.
import type { WebClient } from '@slack/web-api';
import type { Modal } from '../core/modal.ts';
import { withDeadline } from '../integrations/slack/client.ts';
import { modalView } from '../views/modal.ts';

/** How long views.open / views.push may take (ms): the trigger is worth nothing after 3 s anyway. */
export const VIEW_OPEN_TIMEOUT_MS = 2_500;

/** Opens (or pushes) a modal; rejects with a short reason (Slack's error code, `timeout`, `http_500`). */
export type ViewOpener = (req: { triggerId: string; modal: Modal; push?: boolean }) => Promise<void>;

/** Why a views.open failed, in a few words fit for the person (Slack's code when it gave one). */
export class ViewOpenError extends Error {
  override name = 'ViewOpenError';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`views.open failed: ${reason}`, options);
  }
}

function reasonOf(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timeout';
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e.data?.error) return e.data.error;
  if (e.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e.statusCode) return `http_${e.statusCode}`;
  return e.code ?? 'error';
}

export function createViewOpener(client: WebClient, timeoutMs = VIEW_OPEN_TIMEOUT_MS): ViewOpener {
  return async ({ triggerId, modal, push }) => {
    const view = modalView(modal);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      await withDeadline(signal, () =>
        push
          ? client.views.push({ trigger_id: triggerId, view })
          : client.views.open({ trigger_id: triggerId, view }),
      );
    } catch (err) {
      throw new ViewOpenError(reasonOf(err, signal), { cause: err });
    }
  };
}

// A view submission's acknowledgement, decided before it is stored, in HTTP and in Socket Mode.
// Slack keeps the modal open with each message under its input block when the acknowledgement says
// `{"response_action": "errors", "errors": {<block_id>: <message>}}` (block_id is the field's id,
// views/modal.ts), replaces it with `update`, closes every view with `clear`, and closes this one
// with an empty body (https://api.slack.com/surfaces/modals#responding_to_submissions). It must
// arrive within 3 s of the submission, and the check and the INSERT that stores the submission
// share one budget (ACK_BUDGET_MS): validate() runs under its own deadline (VIEW_ACK_DEADLINE_MS;
// past it the modal closes, the submission is stored as usual and submit(), which validates again,
// tells the person by DM what to fix), the person's language is asked for only briefly (a cold
// users.info must not eat the budget), and the INSERT gets what is left.
import type { Dispatch, ViewAck } from '../core/handlers.ts';
import type { Logger } from '../core/log.ts';
import type { Locale } from '../i18n/index.ts';
import { within } from '../services/budget.ts';
import { modalView } from '../views/modal.ts';
import type { InteractionBody } from './slack-bodies.ts';
import { viewSubmission } from './slack-invocations.ts';

/** How long validate() (and the look-up of the person's language) may take before the ack closes the modal (ms). */
export const VIEW_ACK_DEADLINE_MS = 1_000;
/** How long the person's language may take to learn before the configured one is used (ms). */
export const VIEW_ACK_LOCALE_MS = 300;
/** The whole acknowledgement, check and INSERT together, inside Slack's 3 s with room for the network (ms). */
export const ACK_BUDGET_MS = 2_500;
/** The least an INSERT is given, however long the check took (ms). */
const MIN_STORE_MS = 500;

export type ViewSubmissionBody = Extract<InteractionBody, { type: 'view_submission' }>;

/** What to acknowledge with, and whether the submission is stored (not when its fields are refused). */
export type DecidedAck =
  | { store: false; body: unknown }
  /** storeDeadlineMs: what is left of ACK_BUDGET_MS for the INSERT. */
  | { store: true; body: unknown; storeDeadlineMs: number };

export type ViewAcknowledger = (body: ViewSubmissionBody) => Promise<DecidedAck>;

/** The acknowledgement's JSON body for a ViewAck (undefined: an empty 200, the modal closes). */
export function viewAckBody(ack: ViewAck): unknown {
  switch (ack.action) {
    case 'errors':
      return { response_action: 'errors', errors: ack.errors };
    case 'update':
      return { response_action: 'update', view: modalView(ack.modal) };
    case 'clear':
      return { response_action: 'clear' };
    case 'close':
      return undefined;
  }
}

export function createViewAcknowledger(opts: {
  dispatcher: Pick<Dispatch, 'acknowledgeView'>;
  locale: (userId: string) => Promise<Locale>;
  /** The language used when the person's is not known within VIEW_ACK_LOCALE_MS. */
  defaultLocale: Locale;
  log: Logger;
  deadlineMs?: number;
  /** Milliseconds now, for the budget (tests pass their own). Default: Date.now. */
  nowMs?: () => number;
}): ViewAcknowledger {
  const ms = opts.deadlineMs ?? VIEW_ACK_DEADLINE_MS;
  const nowMs = opts.nowMs ?? Date.now;
  return async (body) => {
    const started = nowMs();
    const decide = async (): Promise<ViewAck> => {
      const locale = (await within(opts.locale(body.user.id), VIEW_ACK_LOCALE_MS)) ?? opts.defaultLocale;
      return opts.dispatcher.acknowledgeView(viewSubmission(body, { locale }));
    };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
    let ack: ViewAck;
    try {
      const first = await Promise.race([decide(), late]);
      if (first === 'late') {
        opts.log.warn(
          { callbackId: body.view.callback_id, deadlineMs: ms },
          'slack: a view submission was not checked in time; closing it, submit() checks again',
        );
        ack = { action: 'close' };
      } else ack = first;
    } catch (err) {
      // acknowledgeView does not throw; a rendering failure (modalView) lands here.
      opts.log.error({ err, callbackId: body.view.callback_id }, 'slack: view acknowledgement failed');
      ack = { action: 'close' };
    } finally {
      clearTimeout(timer);
    }
    if (ack.action === 'errors') return { store: false, body: viewAckBody(ack) };
    const storeDeadlineMs = Math.max(MIN_STORE_MS, ACK_BUDGET_MS - (nowMs() - started));
    return { store: true, body: viewAckBody(ack), storeDeadlineMs };
  };
}

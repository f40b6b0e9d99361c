// Every handler toban registers, one list per kind (the Dispatcher, src/app/dispatch.ts, serves
// them; manifest.yml declares them, test/unit/manifest.test.ts holds the two together). A plain
// list file: add a handler by importing its file and adding it to its list.
import type {
  ActionHandler,
  EventHandler,
  HomeHandler,
  ShortcutHandler,
  ViewSubmissionHandler,
} from '../src/core/handlers.ts';
import { alertAcknowledge } from './alert-acknowledge.ts';
import { alertDeclareIncident, alertFileTicket } from './alert-coming-soon.ts';
import { alertResolve } from './alert-resolve.ts';
import { alertSilence, alertSilenceButton, alertUnsilence } from './alert-silence.ts';
import { alertStormAcknowledgeAll } from './alert-storm-acknowledge.ts';
import { home as appHome } from './home.ts';
import { investigateFromMessage } from './investigate-from-message.ts';
import { investigateNew } from './investigate-new.ts';
import { investigationFile } from './investigation-file.ts';
import { investigationLedgerFacts } from './investigation-ledger-facts.ts';
import { investigationReleaseReaction, investigationTakeReaction } from './investigation-take-reaction.ts';
import { investigationTake } from './investigation-take.ts';
import { investigationResume, investigationWait } from './investigation-waiting.ts';
import { investigationReassign, investigationReassignButton } from './investigation-reassign.ts';
import { investigationResolve, investigationResolveButton } from './investigation-resolve.ts';
import { investigationReopen } from './investigation-reopen.ts';
import { investigationTicket } from './investigation-ticket.ts';
import { memberJoinedHelp } from './member-joined-help.ts';
import { mentionOncall } from './mention-oncall.ts';
import { oncallCoverAccept } from './oncall-cover-accept.ts';
import { oncallDetails } from './oncall-details.ts';

/** Block Kit buttons and menus, by action_id. */
export const actions: ActionHandler[] = [
  oncallDetails,
  oncallCoverAccept,
  investigationTake,
  investigationReassignButton,
  investigationWait,
  investigationResume,
  investigationResolveButton,
  investigationTicket,
  investigationReopen,
  investigationLedgerFacts,
  alertAcknowledge,
  alertResolve,
  alertSilenceButton,
  alertUnsilence,
  alertDeclareIncident,
  alertFileTicket,
  alertStormAcknowledgeAll,
];

/** Global and message shortcuts, by callback_id. */
export const shortcuts: ShortcutHandler[] = [investigateNew, investigateFromMessage];

/** Modal submissions (and view_closed), by callback_id. */
export const views: ViewSubmissionHandler[] = [
  investigationFile,
  investigationReassign,
  investigationResolve,
  alertSilence,
];

/** Events API handlers: every handler of an event's type runs, in this order. */
export const events: EventHandler[] = [
  mentionOncall as EventHandler,
  memberJoinedHelp as EventHandler,
  investigationTakeReaction as EventHandler,
  investigationReleaseReaction as EventHandler,
];

/** The App Home tab. */
export const home: HomeHandler = appHome;

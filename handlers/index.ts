// Every Slack handler toban has, one list per kind (src/core/handlers.ts), in the order they run.
import type {
  ActionHandler,
  EventHandler,
  ShortcutHandler,
  ViewSubmissionHandler,
} from '../src/core/handlers.ts';
import { investigateFromMessage } from './investigate-from-message.ts';
import { investigateNew } from './investigate-new.ts';
import { investigationFile } from './investigation-file.ts';
import { investigationReleaseReaction, investigationTakeReaction } from './investigation-take-reaction.ts';
import { oncallDetails } from './oncall-details.ts';

/** Block Kit actions, by action_id. */
export const actions: ActionHandler[] = [oncallDetails];

/** Global and message shortcuts, by callback_id. */
export const shortcuts: ShortcutHandler[] = [investigateNew, investigateFromMessage];

/** Modal submissions, by callback_id. */
export const views: ViewSubmissionHandler[] = [investigationFile];

/** Events API handlers: every handler of an event's type runs, in this order. */
export const events: EventHandler[] = [investigationTakeReaction, investigationReleaseReaction];

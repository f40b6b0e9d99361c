// Every Block Kit action toban handles, by action_id.
import type { ActionHandler } from '../src/core/handlers.ts';
import { oncallDetails } from './oncall-details.ts';

export const actions: ActionHandler[] = [oncallDetails];

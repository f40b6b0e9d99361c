// Schema pieces shared by the Slack kinds.
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';

/** Block Kit blocks are built by views/ and checked by Slack; here only their outer shape. */
export const blocks = z
  .array(z.custom<KnownBlock>((v) => typeof v === 'object' && v !== null && 'type' in v, 'a Block Kit block'))
  .optional();

/** Slack ids: channels C…/G…/D…, users U…/W…, user groups S… (only their shape: one word). */
export const slackId = z.string().regex(/^\S+$/, 'a Slack id such as C0123ABCD');

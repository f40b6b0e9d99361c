// slack.publish: a person's App Home tab (views.publish with user_id).
// Idempotent, last write wins: publishing replaces the whole tab, so a repeat leaves the same tab,
// and rows for one person go in order (ordering key home:<user>) so the newest is shown last.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { blocks, slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackPublish = defineKind({
  kind: 'slack.publish',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: views.publish replaces the whole tab, the last write wins',
  calls: 1,
  payload: z.object({ user: slackId, text: z.string(), blocks }),
  refs: () => ({}),
  async slack(_row, p, slack) {
    await slack.call('views.publish', undefined, () =>
      slack.client.views.publish({ user_id: p.user, view: { type: 'home', blocks: p.blocks ?? [] } }),
    );
    return { result: { user: p.user } };
  },
  async console(_row, p, out) {
    out.show(p, t(out.locale, 'outbox.home_published', { user: p.user }));
    return { result: {} };
  },
});

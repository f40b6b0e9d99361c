// slack.usergroup: sets the members of a Slack user group (the on-call group after a handoff).
// Idempotent: setting the same member list twice leaves the same group.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackUsergroup = defineKind({
  kind: 'slack.usergroup',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: the member list is set, not added to',
  calls: 1,
  payload: z.object({ usergroup: slackId, users: z.array(slackId) }),
  refs: () => ({}),
  async slack(_row, p, slack) {
    await slack.call('usergroups.users.update', undefined, () =>
      slack.client.usergroups.users.update({ usergroup: p.usergroup, users: p.users.join(',') }),
    );
    return { result: { usergroup: p.usergroup, users: p.users.length } };
  },
  async console(_row, p, out) {
    out.show(
      { text: t(out.locale, 'console.usergroup', { group: p.usergroup, users: p.users.join(', ') }) },
      '',
    );
    return { result: {} };
  },
});

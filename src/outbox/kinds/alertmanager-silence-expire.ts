// alertmanager.silence-expire: expires toban's silence `silenceId` in Alertmanager
// (DELETE /api/v2/silence/{id}). The Alertmanager id is in the payload when toban knew it when the
// row was written; otherwise (the create was not delivered yet then) the silences carrying the
// marker `toban:<silenceId>` are looked up. Written with the create's ordering key, so it is
// delivered after the create is (or after it went dead, when there is nothing to expire).
// Idempotent: Alertmanager's 404 (unknown id) and "already expired" both mean the state asked for.
import { z } from 'zod';
import { hasMarker } from '../../domain/silence.ts';
import { defineAlertmanagerKind } from './kind.ts';

export const alertmanagerSilenceExpire = defineAlertmanagerKind({
  kind: 'alertmanager.silence-expire',
  guarantee: 'idempotent',
  duplicateRule: 'none needed: expiring an expired or unknown silence leaves it expired (404 = done)',
  calls: 2,
  payload: z.object({
    silenceId: z.string().regex(/^\d+$/),
    /** Alertmanager's id of the silence, when known. */
    alertmanagerId: z.string().min(1).optional(),
  }),
  refs: () => ({}),
  async alertmanager(_row, p, am) {
    const ids = p.alertmanagerId
      ? [p.alertmanagerId]
      : (await am.client.listSilences(am.signal))
          .filter((s) => hasMarker(s.comment, p.silenceId) && s.status.state !== 'expired')
          .map((s) => s.id);
    const outcomes: Record<string, string> = {};
    for (const id of ids) outcomes[id] = await am.client.expireSilence(id, am.signal);
    return { result: { expired: outcomes } };
  },
});

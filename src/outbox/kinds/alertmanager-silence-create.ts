// alertmanager.silence-create: creates a silence in Alertmanager (POST /api/v2/silences) for
// toban's silence row `silenceId`, its comment carrying the marker `toban:<silenceId>`.
// Exactly once: a try after an unknown outcome (a timeout after Alertmanager got the request, a
// crash) first lists the silences and records the one carrying the marker instead of creating
// another; the worker lets such a retry wait settleMs so a late request has landed by then.
import { z } from 'zod';
import { hasMarker, silenceMarker, toApiMatcher } from '../../domain/silence.ts';
import { DeferredError } from '../deliverer.ts';
import { defineAlertmanagerKind } from './kind.ts';

const matcher = z.object({
  name: z.string().min(1),
  op: z.enum(['=', '!=', '=~', '!~']),
  value: z.string(),
});

/** The comment Alertmanager shows: the person's words, then the marker in brackets. */
export function markedComment(comment: string, silenceId: string): string {
  const marker = `[${silenceMarker(silenceId)}]`;
  return comment.trim() ? `${comment.trim()} ${marker}` : marker;
}

export const alertmanagerSilenceCreate = defineAlertmanagerKind({
  kind: 'alertmanager.silence-create',
  guarantee: 'exactly-once',
  duplicateRule:
    'a retry after an unknown outcome lists the silences and records the one whose comment carries toban:<silenceId>',
  calls: 2,
  payload: z.object({
    /** toban's silence row (alert_silences.id), as a decimal string. */
    silenceId: z.string().regex(/^\d+$/),
    matchers: z.array(matcher).min(1),
    /** ISO 8601 instants. */
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    /** Who silenced it, as Alertmanager shows it (a Slack user's name or id). */
    createdBy: z.string().min(1),
    comment: z.string(),
  }),
  refs: () => ({}),
  async alertmanager(row, p, am) {
    if (row.attempts > 1) {
      let earlier;
      try {
        earlier = (await am.client.listSilences(am.signal)).find((s) => hasMarker(s.comment, p.silenceId));
      } catch (err) {
        // Creating now could make a second silence: wait until the look-up can answer.
        throw new DeferredError(
          5_000,
          'lookup',
          `alertmanager: could not look for an earlier silence: ${(err as Error).message}`,
        );
      }
      if (earlier) return { result: { alertmanagerId: earlier.id, found: true } };
    }
    const alertmanagerId = await am.client.createSilence(
      {
        matchers: p.matchers.map(toApiMatcher).map((m) => ({ ...m, isEqual: m.isEqual ?? true })),
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        createdBy: p.createdBy,
        comment: markedComment(p.comment, p.silenceId),
      },
      am.signal,
    );
    return { result: { alertmanagerId } };
  },
});

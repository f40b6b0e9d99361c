// Escalation (GLOSSARY.md "Escalation policy", "Escalation step"): who is notified about an alert
// group, and when. Pure: the scheduler asks `dueNotifications` with the group's times, what was
// already sent and "now", and gets what to send now and when to wake up next.
//
// The schedule is a function of the group's openedAt alone:
//   - round r, step i is due at  openedAt + r × cycle + (wait of steps 0 … i−1),
//     where cycle is the sum of every step's wait (the last step's wait is the pause before the
//     steps start again). Round 0 is the first walk; `repeat: n` adds rounds 1 … n (PagerDuty's
//     "repeat this policy n times if no one acknowledges", Grafana OnCall's "repeat escalation").
//   - A step's wait counts from when the previous step was DUE, not from when it was sent: a job
//     that runs late sends every step that fell due meanwhile (each was owed to someone) and the
//     steps after them keep their times. Nothing shifts, so two replicas, a restart or a slow tick
//     all compute the same instants.
//   - A step already sent (by its round and index) is never returned again.
//   - Acknowledge or resolve stops the steps: none is due after either, even one whose time had
//     come before the job ran. After an acknowledge (and before a resolve), with
//     `remindAcknowledgedEveryMs`, a reminder is due at acknowledgedAt + k × every (k = 1, 2, …):
//     PagerDuty re-notifies acknowledged incidents after its acknowledgement timeout. Reminders do
//     not pile up: a late job sends only the latest reminder that fell due (one "still open" is
//     enough), and the next keeps its time.
//   - An acknowledge taken back (acknowledgedAt null again) resumes the schedule where the clock
//     is: the steps that fell due meanwhile and were never sent are due at once.
// Every notification carries a `key` that names it for good, for the outbox's idempotency key.

/** Whom a step notifies. `channel`: the channel the group's route posts to. */
export type EscalationTarget =
  | { kind: 'rotation'; rotationId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'usergroup'; usergroupId: string }
  | { kind: 'channel' };

export interface EscalationStep {
  /** One or more targets, notified together. */
  notify: readonly EscalationTarget[];
  /** How long after this step is due the next one is (ms, ≥ 0; 0: at the same instant). */
  waitMs: number;
}

export interface EscalationPolicy {
  id: string;
  /** At least one. */
  steps: readonly EscalationStep[];
  /** Walk the steps this many more times while nobody acknowledges (0: once). */
  repeat: number;
  /** Remind the acknowledged group this often (ms) until it resolves; undefined: never. */
  remindAcknowledgedEveryMs?: number;
}

/** The times and history of one alert group that escalation depends on. */
export interface EscalationState {
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  /** Steps already sent, by round (0-based) and step index (0-based). */
  notified: readonly { round: number; step: number }[];
  /** The highest reminder number already sent since acknowledgedAt (0: none). */
  remindersSent: number;
}

export type DueNotification =
  | {
      kind: 'step';
      round: number;
      step: number;
      /** When it was due (≤ now): earlier than now when the job ran late. */
      dueAt: Date;
      notify: readonly EscalationTarget[];
      /** Stable name of this notification of this group: `step:<round>:<step>`. */
      key: string;
    }
  | {
      kind: 'reminder';
      /** k, counting from 1 after the acknowledge. */
      n: number;
      dueAt: Date;
      /** `remind:<acknowledgedAt ms>:<n>`: a second acknowledge (after an unacknowledge) starts anew. */
      key: string;
    };

export interface EscalationPlan {
  /** What to send now, in the order it fell due. */
  due: DueNotification[];
  /** The next instant something falls due (> now); undefined when nothing ever will. */
  nextAt?: Date;
  /** resolved / acknowledged stop the steps; exhausted: every step of every round has fallen due. */
  state: 'escalating' | 'acknowledged' | 'resolved' | 'exhausted';
}

/** Milliseconds after openedAt at which each step of one round is due, and the round's length. */
function roundOffsets(policy: EscalationPolicy): { offsets: number[]; cycle: number } {
  const offsets: number[] = [];
  let t = 0;
  for (const step of policy.steps) {
    offsets.push(t);
    t += step.waitMs;
  }
  return { offsets, cycle: t };
}

/** When round `round`, step `step` of `policy` is due for a group opened at `openedAt`. */
export function stepDueAt(policy: EscalationPolicy, openedAt: Date, round: number, step: number): Date {
  const { offsets, cycle } = roundOffsets(policy);
  return new Date(openedAt.getTime() + round * cycle + offsets[step]!);
}

/** What the group owes now under `policy`, and when the scheduler should look again. */
export function dueNotifications(
  policy: EscalationPolicy,
  group: EscalationState,
  now: Date,
): EscalationPlan {
  if (group.resolvedAt) return { due: [], state: 'resolved' };
  if (group.acknowledgedAt) return reminders(policy, group.acknowledgedAt, group.remindersSent, now);

  const sent = new Set(group.notified.map((n) => `${n.round}:${n.step}`));
  const { offsets, cycle } = roundOffsets(policy);
  const opened = group.openedAt.getTime();
  const due: DueNotification[] = [];
  for (let round = 0; round <= policy.repeat; round++) {
    for (let step = 0; step < policy.steps.length; step++) {
      const at = opened + round * cycle + offsets[step]!;
      if (at > now.getTime()) return { due, nextAt: new Date(at), state: 'escalating' };
      if (sent.has(`${round}:${step}`)) continue;
      due.push({
        kind: 'step',
        round,
        step,
        dueAt: new Date(at),
        notify: policy.steps[step]!.notify,
        key: `step:${round}:${step}`,
      });
    }
  }
  return { due, state: 'exhausted' };
}

function reminders(
  policy: EscalationPolicy,
  acknowledgedAt: Date,
  remindersSent: number,
  now: Date,
): EscalationPlan {
  const every = policy.remindAcknowledgedEveryMs;
  if (!every) return { due: [], state: 'acknowledged' };
  const ack = acknowledgedAt.getTime();
  // The latest reminder whose time has come (0 before the first).
  const latest = Math.max(0, Math.floor((now.getTime() - ack) / every));
  const nextAt = new Date(ack + (latest + 1) * every);
  if (latest <= remindersSent) return { due: [], nextAt, state: 'acknowledged' };
  return {
    due: [
      {
        kind: 'reminder',
        n: latest,
        dueAt: new Date(ack + latest * every),
        key: `remind:${ack}:${latest}`,
      },
    ],
    nextAt,
    state: 'acknowledged',
  };
}

/** What a message says of one step: "step 2 of 3 (round 1 of 2): @lead, next in 10 m". */
export interface StepDescription {
  /** 1-based. */
  stepNumber: number;
  stepCount: number;
  /** 1-based; roundCount is 1 + repeat. */
  roundNumber: number;
  roundCount: number;
  notify: readonly EscalationTarget[];
  /** When the following step (possibly the first of the next round) is due; undefined after the last. */
  nextAt?: Date;
  /** nextAt − now in ms (≥ 0), for "next in 10 m"; undefined after the last. */
  nextInMs?: number;
}

/** The description of round `round`, step `step` (0-based) of `policy` for a group opened at `openedAt`. */
export function describeStep(
  policy: EscalationPolicy,
  openedAt: Date,
  round: number,
  step: number,
  now: Date,
): StepDescription {
  const last = step === policy.steps.length - 1;
  const finalStep = last && round === policy.repeat;
  const nextAt = finalStep
    ? undefined
    : last
      ? stepDueAt(policy, openedAt, round + 1, 0)
      : stepDueAt(policy, openedAt, round, step + 1);
  return {
    stepNumber: step + 1,
    stepCount: policy.steps.length,
    roundNumber: round + 1,
    roundCount: policy.repeat + 1,
    notify: policy.steps[step]!.notify,
    ...(nextAt ? { nextAt, nextInMs: Math.max(0, nextAt.getTime() - now.getTime()) } : {}),
  };
}

/** The largest `repeat` toban accepts (PagerDuty's policies repeat at most 9 times). */
export const MAX_REPEAT = 9;

export type TargetProblem = 'unknown_kind' | 'bad_user' | 'bad_usergroup' | 'bad_rotation';

/**
 * A target as toban.yml spells it: `rotation:<id>`, `user:<U… or W…>`, `usergroup:<S…>`, `channel`.
 * Whether the rotation exists is the config's check, not this one.
 */
export function parseTarget(text: string): EscalationTarget | { problem: TargetProblem } {
  if (text === 'channel') return { kind: 'channel' };
  const m = /^(rotation|user|usergroup):(.*)$/s.exec(text);
  if (!m) return { problem: 'unknown_kind' };
  const [, kind, id] = m as unknown as [string, string, string];
  if (kind === 'rotation')
    return /^[a-z0-9][a-z0-9-]*$/.test(id) ? { kind, rotationId: id } : { problem: 'bad_rotation' };
  if (kind === 'user') return /^[UW][A-Z0-9]+$/.test(id) ? { kind, userId: id } : { problem: 'bad_user' };
  return /^S[A-Z0-9]+$/.test(id) ? { kind: 'usergroup', usergroupId: id } : { problem: 'bad_usergroup' };
}

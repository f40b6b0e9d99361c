// Escalation policies walked on a moved clock (src/domain/escalation.ts): a scheduler loop that
// wakes when the plan says, sends what is due and records it, exactly as the job will.
import { describe, expect, it } from 'vitest';
import {
  describeStep,
  dueNotifications,
  parseTarget,
  stepDueAt,
  type DueNotification,
  type EscalationPolicy,
  type EscalationState,
} from '../../src/domain/escalation.ts';

const MIN = 60_000;
const OPENED = new Date('2026-11-30T13:30:00Z'); // 22:30 JST, market open
const at = (minutes: number) => new Date(OPENED.getTime() + minutes * MIN);

/** The demo policy: the primary on call, 5 minutes later the lead, 10 minutes later the channel. */
const THREE_STEPS: EscalationPolicy = {
  id: 'default',
  steps: [
    { notify: [{ kind: 'rotation', rotationId: 'primary' }], waitMs: 5 * MIN },
    { notify: [{ kind: 'user', userId: 'U0LEAD' }], waitMs: 10 * MIN },
    { notify: [{ kind: 'channel' }], waitMs: 0 },
  ],
  repeat: 0,
};

/** A group's escalation record that a test moves through time, as the job and the database would. */
class Group {
  state: EscalationState;
  sent: { key: string; at: Date; dueAt: Date }[] = [];
  constructor(readonly policy: EscalationPolicy) {
    this.state = { openedAt: OPENED, acknowledgedAt: null, resolvedAt: null, notified: [], remindersSent: 0 };
  }
  /** One run of the job at `now`: send what is due, record it; returns the plan. */
  run(now: Date) {
    const plan = dueNotifications(this.policy, this.state, now);
    for (const n of plan.due) this.record(n, now);
    return plan;
  }
  private record(n: DueNotification, now: Date) {
    this.sent.push({ key: n.key, at: now, dueAt: n.dueAt });
    if (n.kind === 'step')
      this.state = { ...this.state, notified: [...this.state.notified, { round: n.round, step: n.step }] };
    else this.state = { ...this.state, remindersSent: n.n };
  }
  /** Runs the job at every wake-up the plans ask for, up to `until` (inclusive). */
  runUntil(until: Date, from: Date = OPENED) {
    let next: Date | undefined = from;
    while (next && next <= until) next = this.run(next).nextAt;
    return next;
  }
}

describe('dueNotifications: a 3-step policy on a moved clock', () => {
  it('notifies each step at its time: the rotation at once, the lead at 5 m, the channel at 15 m', () => {
    const g = new Group(THREE_STEPS);
    const last = g.runUntil(at(60));
    expect(g.sent).toEqual([
      { key: 'step:0:0', at: at(0), dueAt: at(0) },
      { key: 'step:0:1', at: at(5), dueAt: at(5) },
      { key: 'step:0:2', at: at(15), dueAt: at(15) },
    ]);
    expect(last).toBeUndefined();
    expect(dueNotifications(THREE_STEPS, g.state, at(60)).state).toBe('exhausted');
  });

  it('asks to be woken at the next step, and sends nothing before it', () => {
    const g = new Group(THREE_STEPS);
    expect(g.run(at(0)).nextAt).toEqual(at(5));
    const early = g.run(at(4.99));
    expect(early.due).toEqual([]);
    expect(early.nextAt).toEqual(at(5));
  });

  it('sends nothing twice: a second run at the same instant, or a retry later, finds nothing due', () => {
    const g = new Group(THREE_STEPS);
    g.run(at(5));
    const again = g.run(at(5));
    expect(again.due).toEqual([]);
    expect(g.run(at(7)).due).toEqual([]);
    expect(g.sent.map((s) => s.key)).toEqual(['step:0:0', 'step:0:1']);
  });

  it('a late run catches up on every step that fell due, with its own due time, and the schedule does not shift', () => {
    const g = new Group(THREE_STEPS);
    g.run(at(0));
    // The scheduler was down from 1 m to 17 m: both remaining steps are owed.
    const late = g.run(at(17));
    expect(late.due.map((n) => [n.key, n.dueAt])).toEqual([
      ['step:0:1', at(5)],
      ['step:0:2', at(15)],
    ]);
    expect(late.state).toBe('exhausted');
  });

  it('a step run late does not push back the step after it (the wait counts from the due time)', () => {
    const g = new Group(THREE_STEPS);
    g.run(at(0));
    const plan = g.run(at(9)); // step 1 was due at 5 m, sent at 9 m
    expect(plan.due.map((n) => n.key)).toEqual(['step:0:1']);
    expect(plan.nextAt).toEqual(at(15)); // not 9 + 10 = 19 m
  });

  it('stops on acknowledge: nothing more is sent, even a step whose time had already come', () => {
    const g = new Group(THREE_STEPS);
    g.run(at(0));
    g.state = { ...g.state, acknowledgedAt: at(3) };
    const plan = g.run(at(20));
    expect(plan).toEqual({ due: [], state: 'acknowledged' });
    expect(g.sent.map((s) => s.key)).toEqual(['step:0:0']);
  });

  it('stops on resolve, reminders included', () => {
    const g = new Group({ ...THREE_STEPS, remindAcknowledgedEveryMs: 30 * MIN });
    g.state = { ...g.state, acknowledgedAt: at(1), resolvedAt: at(2) };
    expect(g.run(at(120))).toEqual({ due: [], state: 'resolved' });
  });

  it('a notify list of several targets is one step, sent together', () => {
    const policy: EscalationPolicy = {
      id: 'both',
      steps: [
        {
          notify: [
            { kind: 'rotation', rotationId: 'primary' },
            { kind: 'usergroup', usergroupId: 'S0ONCALL' },
          ],
          waitMs: 0,
        },
      ],
      repeat: 0,
    };
    const plan = dueNotifications(policy, new Group(policy).state, at(0));
    expect(plan.due).toHaveLength(1);
    expect(plan.due[0]).toMatchObject({ kind: 'step', notify: policy.steps[0]!.notify });
  });
});

describe('dueNotifications: repeat rounds', () => {
  // Round length: 5 + 10 + 20 = 35 minutes; the last step's wait is the pause before the next round.
  const REPEATING: EscalationPolicy = {
    ...THREE_STEPS,
    steps: [THREE_STEPS.steps[0]!, THREE_STEPS.steps[1]!, { ...THREE_STEPS.steps[2]!, waitMs: 20 * MIN }],
    repeat: 2,
  };

  it('walks the steps 1 + repeat times, each round one cycle after the last, then stops', () => {
    const g = new Group(REPEATING);
    const last = g.runUntil(at(500));
    expect(g.sent.map((s) => [s.key, (s.at.getTime() - OPENED.getTime()) / MIN])).toEqual([
      ['step:0:0', 0],
      ['step:0:1', 5],
      ['step:0:2', 15],
      ['step:1:0', 35],
      ['step:1:1', 40],
      ['step:1:2', 50],
      ['step:2:0', 70],
      ['step:2:1', 75],
      ['step:2:2', 85],
    ]);
    expect(last).toBeUndefined();
  });

  it('an acknowledge in the second round stops it there', () => {
    const g = new Group(REPEATING);
    g.runUntil(at(40));
    g.state = { ...g.state, acknowledgedAt: at(42) };
    g.runUntil(at(500), at(42));
    expect(g.sent.map((s) => s.key)).toEqual(['step:0:0', 'step:0:1', 'step:0:2', 'step:1:0', 'step:1:1']);
  });

  it('stepDueAt gives the same instants', () => {
    expect(stepDueAt(REPEATING, OPENED, 2, 1)).toEqual(at(75));
  });
});

describe('dueNotifications: reminders of an acknowledged group', () => {
  const REMINDING: EscalationPolicy = { ...THREE_STEPS, remindAcknowledgedEveryMs: 60 * MIN };

  it('reminds every hour after the acknowledge until the group resolves', () => {
    const g = new Group(REMINDING);
    g.run(at(0));
    g.state = { ...g.state, acknowledgedAt: at(2) };
    expect(g.run(at(2)).nextAt).toEqual(at(62));
    g.runUntil(at(200), at(2));
    expect(g.sent.map((s) => [s.key, (s.at.getTime() - OPENED.getTime()) / MIN])).toEqual([
      ['step:0:0', 0],
      [`remind:${at(2).getTime()}:1`, 62],
      [`remind:${at(2).getTime()}:2`, 122],
      [`remind:${at(2).getTime()}:3`, 182],
    ]);
    g.state = { ...g.state, resolvedAt: at(190) };
    expect(g.run(at(300)).due).toEqual([]);
  });

  it('a late run sends one reminder, the latest, and the next keeps its time', () => {
    const g = new Group(REMINDING);
    g.state = { ...g.state, acknowledgedAt: at(0) };
    const plan = g.run(at(150)); // reminders 1 (60 m) and 2 (120 m) both fell due
    expect(plan.due).toEqual([
      { kind: 'reminder', n: 2, dueAt: at(120), key: `remind:${at(0).getTime()}:2` },
    ]);
    expect(plan.nextAt).toEqual(at(180));
    expect(g.run(at(150)).due).toEqual([]);
  });

  it('without remind_acknowledged_every an acknowledged group never wakes the scheduler', () => {
    const g = new Group(THREE_STEPS);
    g.state = { ...g.state, acknowledgedAt: at(1) };
    expect(g.run(at(1000))).toEqual({ due: [], state: 'acknowledged' });
  });
});

describe('describeStep', () => {
  it('says which step of how many, whom, and when the next one is', () => {
    expect(describeStep(THREE_STEPS, OPENED, 0, 1, at(5))).toEqual({
      stepNumber: 2,
      stepCount: 3,
      roundNumber: 1,
      roundCount: 1,
      notify: [{ kind: 'user', userId: 'U0LEAD' }],
      nextAt: at(15),
      nextInMs: 10 * MIN,
    });
  });

  it('has no next after the last step of the last round', () => {
    const d = describeStep(THREE_STEPS, OPENED, 0, 2, at(15));
    expect(d.nextAt).toBeUndefined();
    expect(d.nextInMs).toBeUndefined();
  });

  it('after the last step of an earlier round, the next is the first step of the next round', () => {
    const policy = { ...THREE_STEPS, steps: [THREE_STEPS.steps[0]!], repeat: 1 };
    expect(describeStep(policy, OPENED, 0, 0, at(0))).toMatchObject({
      roundNumber: 1,
      roundCount: 2,
      nextAt: at(5),
    });
  });
});

describe('parseTarget', () => {
  it.each([
    ['rotation:primary', { kind: 'rotation', rotationId: 'primary' }],
    ['user:U0LEAD', { kind: 'user', userId: 'U0LEAD' }],
    ['user:W012AB', { kind: 'user', userId: 'W012AB' }],
    ['usergroup:S0ONCALL', { kind: 'usergroup', usergroupId: 'S0ONCALL' }],
    ['channel', { kind: 'channel' }],
  ])('reads %s', (text, target) => {
    expect(parseTarget(text)).toEqual(target);
  });

  it.each([
    ['user:lead', 'bad_user'],
    ['user:S0ONCALL', 'bad_user'],
    ['usergroup:U0AAA', 'bad_usergroup'],
    ['rotation:', 'bad_rotation'],
    ['team:core', 'unknown_kind'],
    ['Channel', 'unknown_kind'],
  ])('refuses %s (%s)', (text, problem) => {
    expect(parseTarget(text)).toEqual({ problem });
  });
});

describe('dueNotifications: an acknowledge taken back', () => {
  it('resumes where the clock is: the steps that fell due meanwhile are sent at once', () => {
    const g = new Group(THREE_STEPS);
    g.run(at(0));
    g.state = { ...g.state, acknowledgedAt: at(1) };
    expect(g.run(at(10)).due).toEqual([]);
    g.state = { ...g.state, acknowledgedAt: null };
    expect(g.run(at(10)).due.map((n) => n.key)).toEqual(['step:0:1']);
  });
});

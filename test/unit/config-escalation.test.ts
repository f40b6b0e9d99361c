// toban.yml escalation policies and heartbeats: what is read into the domain's terms, and every
// mistake refused at start with the key and the problem (src/config/schema.ts, config/escalation.ts).
import { describe, expect, it } from 'vitest';
import { loadConfig, parseFileConfig } from '../../src/config/load.ts';
import { policyFromFile, heartbeatFromFile } from '../../src/config/escalation.ts';

const BASE = `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: primary, name: P, members: [U1], shift: weekly, handoff: "Mon 10:00" }
escalation_policies:
  - id: default
    steps:
      - { notify: "rotation:primary", wait: 5m }
      - { notify: ["user:U0LEAD", "usergroup:S0ONCALL"], wait: 10m }
      - { notify: channel }
`;

function problems(yaml: string): string {
  try {
    parseFileConfig(yaml, 'toban.yml');
  } catch (err) {
    return (err as Error).message;
  }
  return '(accepted)';
}

/** BASE with its steps replaced by `steps` (YAML lines at the steps' indentation) and `extra` keys. */
const policy = (steps: string, extra = '') =>
  `${BASE.slice(0, BASE.indexOf('    steps:'))}${extra}    steps:\n${steps}`;

describe('toban.yml escalation policies, read', () => {
  it('reads targets, lists of targets and waits into the domain policy', () => {
    const file = parseFileConfig(BASE, 'toban.yml');
    expect(policyFromFile(file.escalation_policies[0]!)).toEqual({
      id: 'default',
      steps: [
        { notify: [{ kind: 'rotation', rotationId: 'primary' }], waitMs: 5 * 60_000 },
        {
          notify: [
            { kind: 'user', userId: 'U0LEAD' },
            { kind: 'usergroup', usergroupId: 'S0ONCALL' },
          ],
          waitMs: 10 * 60_000,
        },
        { notify: [{ kind: 'channel' }], waitMs: 0 },
      ],
      repeat: 0,
    });
  });

  it('reads repeat and remind_acknowledged_every, in Japanese units too', () => {
    const yaml = policy(
      '      - { notify: channel, wait: 30分 }\n',
      '    repeat: 2\n    remind_acknowledged_every: 2時間\n',
    );
    const read = policyFromFile(parseFileConfig(yaml, 'toban.yml').escalation_policies[0]!);
    expect(read).toMatchObject({ repeat: 2, remindAcknowledgedEveryMs: 2 * 3_600_000 });
    expect(read.steps[0]!.waitMs).toBe(30 * 60_000);
  });

  it('the built-in demo config is valid and carries the policy and one heartbeat, read', () => {
    const config = loadConfig({}, '/nonexistent-dir-for-demo');
    expect(config.escalation_policies[0]?.steps[1]).toEqual({
      notify: [{ kind: 'user', userId: 'U0LEAD' }],
      waitMs: 10 * 60_000,
    });
    expect(config.heartbeats).toEqual([
      {
        name: 'nightly-batch',
        everyMs: 24 * 3_600_000,
        graceMs: 30 * 60_000,
        severity: 'critical',
        labels: { service: 'ledger' },
      },
    ]);
  });
});

describe('toban.yml escalation policies, refused', () => {
  it.each([
    ['"team:core"', 'notify: expected rotation:<id>, user:<U…>, usergroup:<S…> or channel, got "team:core"'],
    ['"user:lead"', 'notify: expected a Slack user id after "user:", such as user:U0LEAD, got "user:lead"'],
    [
      '"usergroup:U0AAA"',
      'notify: expected a Slack user group id after "usergroup:", such as usergroup:S0ONCALL, got "usergroup:U0AAA"',
    ],
    ['"rotation:nobody"', 'notify: unknown rotation "nobody"'],
    ['42', 'notify: expected rotation:<id>, user:<U…>, usergroup:<S…> or channel'],
  ])('a target %s, naming the step', (target, message) => {
    expect(problems(policy(`      - { notify: ${target} }\n`))).toContain(
      `escalation_policies[0].steps[0].${message}`,
    );
  });

  it('a wrong target inside a list, naming its place in the list', () => {
    expect(problems(policy('      - { notify: [channel, "rotation:nobody"] }\n'))).toContain(
      'escalation_policies[0].steps[0].notify[1]: unknown rotation "nobody"',
    );
    expect(problems(policy('      - { notify: [] }\n'))).toContain(
      'escalation_policies[0].steps[0].notify: expected at least one target',
    );
  });

  it.each([
    ['5', 'expected a duration such as 5m, 2h or 1d'],
    ['five', 'expected a duration such as 5m, 2h or 1d, got "five"'],
    ['30s', '"30s" is shorter than 1m'],
    ['40d', '"40d" is longer than 30d'],
  ])('a wait of %s', (wait, message) => {
    expect(problems(policy(`      - { notify: channel, wait: ${wait} }\n`))).toContain(
      `escalation_policies[0].steps[0].wait: ${message}`,
    );
  });

  it('a step with a misspelt key', () => {
    expect(problems(policy('      - { notfy: channel }\n'))).toContain(
      'escalation_policies[0].steps[0]: Unrecognized key: "notfy"',
    );
  });

  it('a policy without steps', () => {
    expect(problems(policy('').replace('steps:\n', 'steps: []\n'))).toContain(
      'escalation_policies[0].steps: expected at least one step',
    );
  });

  it.each([['-1'], ['10'], ['1.5'], ['"twice"']])('repeat: %s', (repeat) => {
    expect(problems(policy('      - { notify: channel, wait: 5m }\n', `    repeat: ${repeat}\n`))).toContain(
      'escalation_policies[0].repeat: expected a whole number from 0 to 9',
    );
  });

  it('repeat without a wait on the last step (every round would fall due at once)', () => {
    expect(
      problems(
        policy('      - { notify: channel, wait: 5m }\n      - { notify: channel }\n', '    repeat: 1\n'),
      ),
    ).toContain('escalation_policies[0].repeat: repeating needs a wait on the last step');
  });

  it('remind_acknowledged_every that is not a duration', () => {
    expect(
      problems(policy('      - { notify: channel }\n', '    remind_acknowledged_every: often\n')),
    ).toContain('escalation_policies[0].remind_acknowledged_every: expected a duration such as 5m, 2h or 1d');
  });
});

const HEARTBEAT = (line: string) => `${BASE}heartbeats:\n  - ${line}\n`;

describe('toban.yml heartbeats', () => {
  it('reads a heartbeat with the default severity and no labels', () => {
    const file = parseFileConfig(HEARTBEAT('{ name: hourly-sync, every: 1h, grace: 5m }'), 'toban.yml');
    expect(heartbeatFromFile(file.heartbeats[0]!)).toEqual({
      name: 'hourly-sync',
      everyMs: 3_600_000,
      graceMs: 5 * 60_000,
      severity: 'error',
      labels: {},
    });
  });

  it('no heartbeats key: none', () => {
    expect(parseFileConfig(BASE, 'toban.yml').heartbeats).toEqual([]);
  });

  it.each([
    [
      '{ name: Nightly, every: 24h, grace: 30m }',
      'heartbeats[0].name: expected lower-case letters, digits and dashes',
    ],
    [
      '{ name: n, every: daily, grace: 30m }',
      'heartbeats[0].every: expected a duration such as 5m, 2h or 1d, got "daily"',
    ],
    ['{ name: n, every: 24h }', 'heartbeats[0].grace: expected a duration such as 5m, 2h or 1d'],
    [
      '{ name: n, every: 24h, grace: 30m, severity: page }',
      'heartbeats[0].severity: expected one of critical, error, warning, info',
    ],
    [
      '{ name: n, every: 24h, grace: 30m, labels: { heartbeat: x } }',
      `heartbeats[0].labels: the label "heartbeat" is toban's own`,
    ],
    [
      '{ name: n, every: 24h, grace: 30m, labels: { port: 8080 } }',
      'heartbeats[0].labels.port: expected a text value (quote numbers)',
    ],
    ['{ name: n, every: 24h, grace: 30m, interval: 1h }', 'heartbeats[0]: Unrecognized key: "interval"'],
    ['{ every: 24h, grace: 30m }', 'heartbeats[0].name: expected a name for /hooks/heartbeat/<name>'],
    ['nightly', 'heartbeats[0]: expected { name, every, grace, severity?, labels? }'],
  ])('refuses %s', (line, message) => {
    expect(problems(HEARTBEAT(line))).toContain(message);
  });

  it('refuses two heartbeats with one name, naming the second', () => {
    const twice = `${HEARTBEAT('{ name: n, every: 1h, grace: 5m }')}  - { name: n, every: 2h, grace: 5m }\n`;
    expect(problems(twice)).toContain('heartbeats[1].name: duplicate heartbeat name "n"');
  });
});

// toban.yml mistakes a person makes, each refused at start with the key, what was found and the
// form that was expected (issue 7, item 12).
import { describe, expect, it } from 'vitest';
import { parseFileConfig } from '../../src/config/load.ts';

const BASE = `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: primary, name: P, members: [U1], shift: weekly, handoff: "Mon 10:00", start: "2024-01-01" }
  - { id: cs, name: CS, members: [U2], shift: daily, handoff: "10:00" }
escalation_policies:
  - id: default
    steps: [{ notify: "rotation:primary", wait: 5m }]
`;

function problems(yaml: string): string {
  try {
    parseFileConfig(yaml, 'toban.yml');
  } catch (err) {
    return (err as Error).message;
  }
  return '(accepted)';
}

describe('toban.yml rotation start', () => {
  it('accepts a real calendar date, quoted or not', () => {
    expect(parseFileConfig(BASE, 'toban.yml').rotations[0]?.start).toBe('2024-01-01');
    const leap = BASE.replace('start: "2024-01-01"', 'start: 2024-02-29');
    expect(parseFileConfig(leap, 'toban.yml').rotations[0]?.start).toBe('2024-02-29');
  });

  it.each([['2024-02-30'], ['2024-13-45'], ['2023-02-29'], ['2024-04-31'], ['2024-00-10']])(
    'refuses %s, a day that does not exist, naming the key and the expected form',
    (start) => {
      const message = problems(BASE.replace('start: "2024-01-01"', `start: "${start}"`));
      expect(message).toContain(
        `rotations[0].start: "${start}" is not a date in the calendar; expected YYYY-MM-DD such as 2024-01-01`,
      );
    },
  );

  it('refuses a year outside the dates toban reads', () => {
    expect(problems(BASE.replace('start: "2024-01-01"', 'start: "0000-01-01"'))).toContain(
      'rotations[0].start: "0000-01-01" is outside the dates toban reads (1900-01-01 to 2999-12-31)',
    );
  });

  it('refuses a date in another form, saying the expected one', () => {
    expect(problems(BASE.replace('start: "2024-01-01"', 'start: "2024/1/1"'))).toContain(
      'rotations[0].start: expected YYYY-MM-DD such as 2024-01-01, got "2024/1/1"',
    );
  });
});

describe('toban.yml escalation policies', () => {
  it('refuses two policies with the same id, naming the second', () => {
    const twice = `${BASE}  - id: default\n    steps: [{ notify: channel }]\n`;
    expect(problems(twice)).toContain('escalation_policies[1].id: duplicate escalation policy id "default"');
  });

  it.each([['"default "'], ['ｄｅｆａｕｌｔ'], ['Default']])(
    'refuses a policy id spelt %s, which would be a second "default" to the eye',
    (id) => {
      const second = `${BASE}  - id: ${id}\n    steps: [{ notify: channel }]\n`;
      expect(problems(second)).toContain(
        'escalation_policies[1].id: expected lower-case letters, digits and dashes',
      );
    },
  );
});

describe('toban.yml rotation name', () => {
  it('refuses a name of spaces only', () => {
    expect(problems(BASE.replace('name: CS', 'name: "   "'))).toContain(
      'rotations[1].name: expected a name people will read, not blank',
    );
  });
});

describe('toban.yml shift', () => {
  it.each([['monthly'], ['{ days: 2 }'], ['7'], ['{ hours: 2, days: 1 }']])(
    'explains a bad shift (%s) with the forms it may take',
    (shift) => {
      const message = problems(BASE.replace('shift: daily', `shift: ${shift}`));
      expect(message).toContain(
        'rotations[1].shift: expected daily, weekly or { hours: N } with N a whole number of hours from 1 to 672',
      );
      expect(message).not.toContain('Invalid input');
    },
  );

  it.each([['0'], ['1.5'], ['673'], ['"12"']])(
    'explains hours: %s with the forms a shift may take',
    (hours) => {
      const message = problems(BASE.replace('shift: daily', `shift: { hours: ${hours} }`));
      expect(message).toMatch(
        /rotations\[1\]\.shift(\.hours)?: expected daily, weekly or \{ hours: N \} with N a whole number of hours from 1 to 672/,
      );
    },
  );

  it('still accepts every documented form', () => {
    for (const shift of ['daily', 'weekly', '{ hours: 12 }', '{ hours: 672 }']) {
      const yaml = BASE.replace('shift: daily', `shift: ${shift}`).replace(
        'handoff: "10:00"',
        shift === 'weekly' ? 'handoff: "Tue 10:00"' : 'handoff: "10:00"',
      );
      expect(problems(yaml)).toBe('(accepted)');
    }
  });
});

describe('toban.yml rotation members', () => {
  it('refuses a person listed twice (their second turn would be lost in the shift history)', () => {
    expect(problems(BASE.replace('members: [U1]', 'members: [U1, U3, U1, U4]'))).toContain(
      'rotations[0].members: lists a member twice: list each person once',
    );
  });
});

describe('toban.yml alerts.sns_topics', () => {
  it('defaults to none (any topic) and takes SNS topic ARNs', () => {
    expect(parseFileConfig(BASE, 'toban.yml').alerts.sns_topics).toEqual([]);
    const arn = 'arn:aws:sns:ap-northeast-1:123456789012:toban-alarms';
    expect(
      parseFileConfig(`${BASE}alerts: { sns_topics: [${arn}] }\n`, 'toban.yml').alerts.sns_topics,
    ).toEqual([arn]);
  });

  it('refuses something that is not a topic ARN, naming the entry', () => {
    expect(problems(`${BASE}alerts: { sns_topics: [toban-alarms] }\n`)).toContain('alerts.sns_topics[0]');
  });
});

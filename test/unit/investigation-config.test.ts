// toban.yml's `investigations` key: which rotation is on investigation duty.
import { describe, expect, it } from 'vitest';
import { parseFileConfig } from '../../src/config/load.ts';
import { demoConfig } from '../helpers/context.ts';

const BASE = `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: cs, name: CS, members: [U2], shift: daily, handoff: "10:00" }
`;

function problems(yaml: string): string {
  try {
    parseFileConfig(yaml, 'toban.yml');
  } catch (err) {
    return (err as Error).message;
  }
  return '(accepted)';
}

describe('toban.yml investigations', () => {
  it('is optional', () => {
    expect(parseFileConfig(BASE, 'toban.yml').investigations).toBeUndefined();
  });

  it('names a configured rotation', () => {
    expect(parseFileConfig(`${BASE}investigations: { rotation: cs }\n`, 'toban.yml').investigations).toEqual({
      rotation: 'cs',
      business_hours: '09:00-18:00',
      close_business_days: 10,
    });
  });

  it('refuses an unknown rotation, naming it', () => {
    expect(problems(`${BASE}investigations: { rotation: support }\n`)).toContain(
      'investigations.rotation: unknown rotation "support"',
    );
  });

  it('refuses keys it does not know', () => {
    expect(problems(`${BASE}investigations: { rotation: cs, channel: C9 }\n`)).toContain('investigations');
  });

  it('is cs-duty in the demo, posting to the investigations channel', () => {
    const config = demoConfig();
    expect(config.investigations).toMatchObject({ rotation: 'cs-duty' });
    expect(config.channels.investigations).toBe('C0INVEST');
  });
});

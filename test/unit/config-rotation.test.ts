// toban.yml's rotations mapped into the domain's Rotation (src/config/rotation.ts): the file's
// spelling stays in config, the domain gets parsed values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseFileConfig } from '../../src/config/load.ts';
import { DEFAULT_ROTATION_START, rotationFromFile } from '../../src/config/rotation.ts';
import type { Rotation } from '../../src/domain/rotation.ts';

const YAML = `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: primary, name: Primary on-call, members: [U1, U2], shift: weekly, handoff: "Thu 09:30", start: "2024-02-01", usergroup: S0ONCALL }
  - { id: cs, name: 調査当番, members: [U3], shift: daily, handoff: "Sun 18:05", business_days_only: true }
  - { id: db, name: DB, members: [U4, U5], shift: { hours: 12 }, handoff: "00:00" }
`;

const file = parseFileConfig(YAML, 'toban.yml').rotations;

describe('rotationFromFile', () => {
  it('maps a weekly rotation: weekday and wall-clock handoff parsed, time zone and user group carried', () => {
    expect(rotationFromFile(file[0]!, 'Asia/Tokyo')).toEqual<Rotation>({
      id: 'primary',
      name: 'Primary on-call',
      members: ['U1', 'U2'],
      shift: { kind: 'weekly', weekday: 4 },
      handoff: { hour: 9, minute: 30 },
      timeZone: 'Asia/Tokyo',
      start: '2024-02-01',
      businessDaysOnly: false,
      userGroup: 'S0ONCALL',
    });
  });

  it('maps a daily rotation: a weekday in its handoff is ignored, as before; start defaults', () => {
    expect(rotationFromFile(file[1]!, 'Europe/Berlin')).toEqual<Rotation>({
      id: 'cs',
      name: '調査当番',
      members: ['U3'],
      shift: { kind: 'daily' },
      handoff: { hour: 18, minute: 5 },
      timeZone: 'Europe/Berlin',
      start: DEFAULT_ROTATION_START,
      businessDaysOnly: true,
    });
    expect(DEFAULT_ROTATION_START).toBe('2024-01-01');
  });

  it('maps an hour-based rotation', () => {
    const r = rotationFromFile(file[2]!, 'UTC');
    expect(r.shift).toEqual({ kind: 'hours', hours: 12 });
    expect(r.handoff).toEqual({ hour: 0, minute: 0 });
    expect(r).not.toHaveProperty('userGroup');
  });

  it('refuses what the schema would have refused, rather than guessing', () => {
    expect(() => rotationFromFile({ ...file[0]!, handoff: 'noon' }, 'UTC')).toThrow(/invalid handoff "noon"/);
    expect(() => rotationFromFile({ ...file[0]!, handoff: '10:00' }, 'UTC')).toThrow(/needs a weekday/);
  });

  it('is what loadConfig gives every layer: rotations in the business time zone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-rot-'));
    const yml = path.join(dir, 'toban.yml');
    fs.writeFileSync(yml, `timezone: America/New_York\n${YAML}`);
    const cfg = loadConfig({ TOBAN_CONFIG: yml }, dir);
    expect(cfg.rotations.map((r) => [r.id, r.timeZone])).toEqual([
      ['primary', 'America/New_York'],
      ['cs', 'America/New_York'],
      ['db', 'America/New_York'],
    ]);
    expect(cfg.rotations[0]).toEqual(rotationFromFile(file[0]!, 'America/New_York'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseFileConfig } from '../../src/config/load.ts';
import { readEnv } from '../../src/config/env.ts';
import { DEMO_CONFIG_YAML } from '../../src/demo/config.ts';

const BASE = `
channels: { alerts: C1, investigations: C2, incidents: C3, finance: C4 }
rotations:
  - { id: primary, name: P, members: [U1], shift: weekly, handoff: "Mon 10:00" }
  - { id: cs, name: CS, members: [U2], shift: daily, handoff: "10:00" }
`;

describe('toban.yml', () => {
  it('accepts the built-in demo configuration', () => {
    const cfg = parseFileConfig(DEMO_CONFIG_YAML, 'demo');
    expect(cfg.rotations.map((r) => r.id)).toEqual(['primary', 'cs-duty']);
    expect(cfg.permissions.finance).toContain('S0FINANCE');
  });

  it('names the key and the problem for a bad handoff', () => {
    const bad = BASE.replace('handoff: "10:00"', 'handoff: "ten o\'clock"');
    expect(() => parseFileConfig(bad, 'toban.yml')).toThrow(
      'rotations[1].handoff: expected "Mon 10:00" or "10:00"',
    );
  });

  it('says a weekly shift needs a weekday', () => {
    const bad = BASE.replace('handoff: "Mon 10:00"', 'handoff: "10:00"');
    expect(() => parseFileConfig(bad, 'toban.yml')).toThrow(
      /rotations\[0\]\.handoff: a weekly shift needs a weekday/,
    );
  });

  it('rejects unknown keys, unknown policies and an unknown time zone', () => {
    expect(() => parseFileConfig(BASE + 'colour: blue\n', 't.yml')).toThrow(/colour/);
    expect(() =>
      parseFileConfig(BASE + 'routes: [{ match: {}, channel: C1, policy: nope }]\n', 't.yml'),
    ).toThrow('routes[0].policy: unknown escalation policy "nope"');
    expect(() => parseFileConfig(BASE + 'timezone: Mars/Olympus\n', 't.yml')).toThrow(
      /timezone: expected an IANA time zone/,
    );
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseFileConfig('rotations: [', 'conf/toban.yml')).toThrow(
      /conf\/toban.yml: not valid YAML/,
    );
  });

  it('loads TOBAN_CONFIG and freezes the result', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-cfg-'));
    const file = path.join(dir, 'custom.yml');
    fs.writeFileSync(file, BASE);
    const cfg = loadConfig({ TOBAN_CONFIG: file }, dir);
    expect(cfg.source).toBe(file);
    expect(cfg.timezone).toBe('Asia/Tokyo');
    expect(Object.isFrozen(cfg.rotations[0])).toBe(true);
    expect(() => loadConfig({ TOBAN_CONFIG: path.join(dir, 'missing.yml') }, dir)).toThrow(ConfigError);
  });
});

describe('environment', () => {
  it('chooses the transport from the Slack credentials', () => {
    expect(readEnv({}, '/x').mode).toBe('console');
    expect(
      readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ALERT_WEBHOOK_TOKEN: 't' }, '/x').mode,
    ).toBe('http');
    expect(
      readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', ALERT_WEBHOOK_TOKEN: 't' }, '/x').mode,
    ).toBe('socket');
  });

  it('requires an alert webhook token in Slack modes and a valid port', () => {
    expect(() => readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, '/x')).toThrow(
      /ALERT_WEBHOOK_TOKEN/,
    );
    expect(() => readEnv({ PORT: 'http' }, '/x')).toThrow('PORT: expected a port number, got "http"');
    expect(() => readEnv({ GITHUB_REPOSITORY: 'just-a-name' }, '/x')).toThrow(/GITHUB_REPOSITORY/);
  });

  it('has the documented defaults', () => {
    const env = readEnv({}, '/work/x');
    expect(env.dataDir).toBe('/work/x/.toban');
    expect(env.port).toBe(3000);
    expect(env.host).toBe('127.0.0.1');
    expect(env.slack.apiUrl).toBe('https://slack.com/api/');
    expect(readEnv({ SLACK_BOT_TOKEN: 'x', SLACK_APP_TOKEN: 'y', ALERT_WEBHOOK_TOKEN: 't' }, '/').host).toBe(
      '0.0.0.0',
    );
  });
});

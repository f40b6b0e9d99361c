// Environment + toban.yml -> one frozen Config. The only module that decides what the settings are.
import fs from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { configSchema, formatIssue, type FileConfig } from './schema.ts';
import { DEMO_CONFIG_YAML } from '../demo/config.ts';
import { ConfigError, readEnv, type EnvSettings } from './env.ts';
import { heartbeatFromFile, policyFromFile } from './escalation.ts';
import { rotationFromFile } from './rotation.ts';
import type { EscalationPolicy } from '../domain/escalation.ts';
import type { Heartbeat } from '../domain/heartbeat.ts';
import type { Rotation } from '../domain/rotation.ts';
import { parseClosure, type Closure } from '../domain/closures.ts';

export { ConfigError } from './env.ts';

export interface Config extends Omit<
  FileConfig,
  'timezone' | 'rotations' | 'closures' | 'escalation_policies' | 'heartbeats'
> {
  timezone: string;
  /** toban.yml's rotations in the domain's terms, read in `timezone`. */
  rotations: readonly Rotation[];
  /** toban.yml's closure days, read (domain/closures.ts); `businessDays(closures)` is the calendar. */
  closures: readonly Closure[];
  /** toban.yml's escalation policies, read (durations in ms, targets parsed). */
  escalation_policies: readonly EscalationPolicy[];
  /** toban.yml's heartbeats, read. */
  heartbeats: readonly Heartbeat[];
  env: EnvSettings;
  /** Where the file config came from: a path, or "built-in demo". */
  source: string;
}

export function parseFileConfig(text: string, source: string): FileConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message : String(err);
    throw new ConfigError(`${source}: not valid YAML: ${detail}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${formatIssue(i)}`);
    throw new ConfigError(`${source}: invalid configuration\n${lines.join('\n')}`);
  }
  return result.data;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The text of the YAML config; a directory or an unreadable file is a ConfigError naming `setting`. */
function readConfigFile(file: string, setting: string): string {
  if (fs.statSync(file).isDirectory())
    throw new ConfigError(`${setting}: ${file} is a directory, not a YAML file`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`${setting}: ${file} cannot be read (${e.code ?? e.message})`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  const settings = readEnv(env, cwd);
  const candidate = settings.configPath ?? path.join(cwd, 'toban.yml');
  let text = DEMO_CONFIG_YAML;
  let source = 'built-in demo';
  if (fs.existsSync(candidate)) {
    text = readConfigFile(candidate, settings.configPath ? 'TOBAN_CONFIG' : 'toban.yml');
    source = candidate;
  } else if (settings.configPath) {
    throw new ConfigError(`TOBAN_CONFIG: no file at ${settings.configPath}`);
  }
  const file = parseFileConfig(text, source);
  // toban.yml names the business time zone; TZ is the fallback, then Japan.
  const timezone = file.timezone ?? settings.timezone ?? 'Asia/Tokyo';
  if (!IANAZone.isValidZone(timezone)) throw new ConfigError(`TZ: unknown time zone "${timezone}"`);
  const rotations = file.rotations.map((r) => rotationFromFile(r, timezone));
  // The schema has checked every entry: each reads as a Closure.
  const closures = file.closures.map((c) => parseClosure(c) as Closure);
  const escalation_policies = file.escalation_policies.map(policyFromFile);
  const heartbeats = file.heartbeats.map(heartbeatFromFile);
  return deepFreeze({
    ...file,
    timezone,
    rotations,
    closures,
    escalation_policies,
    heartbeats,
    env: settings,
    source,
  });
}

// The demo's people for console mode and `toban run` without Slack: their names, locales and user groups.
import type { Config } from '../config/load.ts';
import { staticDirectory, type Directory } from '../services/directory.ts';
import { DEMO_USERS } from './config.ts';

/**
 * Demo user groups: the finance group holds the demo finance member, the on-call group the members
 * of the rotation that keeps it (S0ONCALL in the demo config). Locales and names are the demo users'.
 */
export function demoDirectory(config: Config): Directory {
  const locales = Object.fromEntries(Object.entries(DEMO_USERS).map(([id, u]) => [id, u.locale]));
  const names = Object.fromEntries(Object.entries(DEMO_USERS).map(([id, u]) => [id, u.name]));
  const oncall = [...(config.rotations.find((r) => r.userGroup === 'S0ONCALL')?.members ?? [])];
  return staticDirectory({ S0FINANCE: ['U0FIN1'], S0ONCALL: oncall }, locales, names);
}

/** The display name of a demo user (`Aiko` for U0AAA), or undefined for anyone else. */
export function demoUserName(userId: string): string | undefined {
  return DEMO_USERS[userId]?.name;
}

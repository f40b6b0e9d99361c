// Small helpers the benches share: percentiles of timings, a deterministic generator, a database
// URL pointed at another database on the same server, the CPU time of PostgreSQL backends, and
// building dist/ before spawning toban.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The p-th percentile (0–100) of ascending `sorted` (nearest rank); NaN for none. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** A small deterministic generator (mulberry32) in [0, 1), so every run asks the same questions. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `url` with its database replaced by `db`. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * CPU time (ms, user + system) so far of each PostgreSQL backend whose application_name is
 * `appName`, by pid, read from /proc (the database must run on this machine; empty elsewhere).
 * On a shared machine wall-clock rates move with the neighbours' load; CPU per request does not.
 */
export async function backendCpuMs(
  db: { query(sql: string, values: unknown[]): Promise<{ rows: { pid: number }[] }> },
  appName: string,
): Promise<Map<number, number>> {
  const { rows } = await db.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [appName]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = procCpuMs(pid);
    if (ms !== undefined) out.set(pid, ms);
  }
  return out;
}

/** A process's CPU time (ms) from /proc/<pid>/stat (fields 14 and 15, in 1/100 s ticks), if readable. */
export function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The CPU (ms) the backends in `after` used since `before` (a backend new since counts from 0). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** dist/ up to date with the sources, so bin/toban.js runs the compiled build as it does in production. */
export function build(): void {
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('bench: building dist/ failed');
}

// A replica kill -9ed in the middle of a firing: its row keeps the lease it took, and once the lease
// runs out another replica runs the firing again, once; the outbox rows the killed run enqueued are
// not enqueued again (anchored to the firing: request review, fault G).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { firingRows, handoffWrites, recordingJob, replicaFactory } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);

beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(() => replicas.stopAll());
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const FIRE_AT = new Date('2024-04-15T01:00:00Z');
// The victim's job has a 60 s timeout; the lease adds the default 30 s margin.
const LEASE_END = new Date(FIRE_AT.getTime() + 90_000);

/** Starts the victim and resolves once it is inside the job's run. */
async function startVictim() {
  const script = path.resolve('test/fixtures/scheduler-victim.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', script, db.url, FIRE_AT.toISOString()], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.on('exit', (_code, sig) => resolve(sig)),
  );
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(`running ${FIRE_AT.toISOString()}`)) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`victim exited (${code}) before running:\n${out}\n${err}`)));
  });
  return { proc, exited };
}

describe('scheduler across kill -9', () => {
  it('runs the firing of a replica killed mid-run again, once, after its lease', async () => {
    const victim = await startVictim();
    victim.proc.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    expect(await firingRows(db.pool, 'handoff')).toMatchObject([
      { fire_at: FIRE_AT.toISOString(), state: 'running', attempts: 1, claimed_by: 'victim' },
    ]);

    const clock = new ManualClock(new Date(LEASE_END.getTime() - 1));
    const runs: string[] = [];
    const survivor = replicas.replica('survivor', clock);
    const once = (after: Date) => (after < FIRE_AT ? FIRE_AT : undefined);
    const recording = recordingJob('handoff', once, runs, 'survivor', { timeoutMs: 60_000 });
    survivor.scheduler.register({
      ...recording,
      async run(fireAt, signal, info) {
        await handoffWrites(survivor.pool, fireAt);
        await recording.run(fireAt, signal, info);
      },
    });

    expect(await survivor.scheduler.tick()).toEqual([]);
    clock.set(LEASE_END);
    expect(await survivor.scheduler.tick()).toMatchObject([{ fireAt: FIRE_AT, outcome: 'succeeded' }]);
    clock.set(new Date(LEASE_END.getTime() + 3_600_000));
    expect(await survivor.scheduler.tick()).toEqual([]);

    expect(runs).toEqual([`survivor@${FIRE_AT.toISOString()}`]);
    expect(await firingRows(db.pool, 'handoff')).toMatchObject([
      { state: 'succeeded', attempts: 2, claimed_by: 'survivor' },
    ]);
    // The killed run's rows stand; the re-run's identical writes were not enqueued again.
    const firing = `job:handoff@${FIRE_AT.toISOString()}`;
    const { rows } = await db.pool.query(`SELECT kind, idempotency_key FROM outbox ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'slack.post', idempotency_key: `${firing}:announce` },
      { kind: 'slack.dm', idempotency_key: `${firing}:#1` },
    ]);
  });
});

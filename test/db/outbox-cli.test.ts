// `toban outbox list [--dead]` and `toban outbox retry <id>|--dead` (issue 6, fault 4): an operator
// sees what waits and what died, and puts dead rows back once the cause is fixed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';
import { outboxCli } from '../../src/outbox/cli.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { tempDataDir } from '../helpers/toban-process.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages, slack_rate_pauses');
});

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await outboxCli(argv, {
    db: db.pool,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: new Date(),
  });
  return { code, out, err };
}

async function deadRow(text: string, error: string): Promise<string> {
  const id = (await enqueue(db.pool, {
    kind: 'slack.post',
    payload: { channel: 'C1', text },
    orderingKey: text,
  }))!;
  await db.pool.query(
    `UPDATE outbox SET state = 'dead', attempts = 1, last_error = $2, queued_at = now() - interval '2 days' WHERE id = $1`,
    [id, error],
  );
  return id;
}

describe('toban outbox', () => {
  it('lists queued rows, and dead rows with their last error', async () => {
    const queued = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C1', text: 'q' },
      orderingKey: 'q',
    }))!;
    const dead = await deadRow('d', 'PermanentError: slack chat.postMessage: channel_not_found');
    const list = await run('list');
    expect(list.code).toBe(0);
    expect(list.out[0]).toMatch(/^id\s+kind\s+transport\s+attempts\s+queued\s+next try\s+last error$/);
    expect(list.out.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([queued]);
    const deadList = await run('list', '--dead');
    expect(deadList.out.slice(1)).toHaveLength(1);
    expect(deadList.out[1]).toMatch(
      new RegExp(
        `^${dead}\\s+slack\\.post\\s+slack\\s+1\\s+2 d ago\\s+-\\s+PermanentError: .*channel_not_found$`,
      ),
    );
  });

  it('puts one dead row back, due now and young again; refuses a row that is not dead', async () => {
    const a = await deadRow('a', 'x');
    const b = await deadRow('b', 'y');
    const res = await run('retry', a);
    expect(res).toMatchObject({ code: 0, out: [`put back in the queue: ${a}`] });
    const { rows } = await db.pool.query(
      `SELECT id, state, attempts, queued_at > now() - interval '1 minute' AS young, next_attempt_at <= now() AS due
       FROM outbox ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: a, state: 'pending', attempts: 1, young: true, due: true },
      { id: b, state: 'dead', attempts: 1, young: false, due: true },
    ]);
    expect(await run('retry', a)).toMatchObject({
      code: 1,
      err: [`toban: outbox row ${a} is pending, not dead`],
    });
    expect(await run('retry', '999999')).toMatchObject({ code: 1, err: ['toban: no outbox row 999999'] });
  });

  it('puts every dead row back with --dead', async () => {
    const ids = [await deadRow('a', 'x'), await deadRow('b', 'y')];
    expect(await run('retry', '--dead')).toMatchObject({
      code: 0,
      out: [`put back in the queue: ${ids.join(', ')}`],
    });
    expect(await run('list', '--dead')).toMatchObject({ out: ['no dead rows'] });
  });

  it('explains its usage when asked wrongly', async () => {
    const res = await run('retry');
    expect(res.code).toBe(1);
    expect(res.err[0]).toMatch(/give one row id, or --dead[\s\S]*toban outbox list/);
  });

  it.each([
    ['list --limit 99999999999999999999', /--limit: expected a whole number from 1 to 10000/],
    ['list --limit 0x10', /--limit: expected a whole number/],
    ['list extra', /unexpected "extra"/],
    ['retry 99999999999999999999', /"99999999999999999999" is not a row id/],
    ['retry 9223372036854775808', /is not a row id/],
    ['retry 1 2', /give one row id, or --dead/],
  ])('answers `toban outbox %s` with its usage, exit 1, no stack trace', async (args, message) => {
    const res = await run(...args.split(' '));
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toMatch(message);
    expect(res.err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('is wired into the toban command line', async () => {
    await deadRow('cli', 'PermanentError: msg_too_long');
    const res = spawnSync(process.execPath, [path.resolve('bin/toban.js'), 'outbox', 'list', '--dead'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        DATABASE_URL: db.url,
        TOBAN_DATA_DIR: tempDataDir(),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/msg_too_long/);
  }, 60_000);
});

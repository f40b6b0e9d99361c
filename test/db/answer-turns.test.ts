// Answers run a few at a time (transport/slack.ts, answerConcurrency): every request is stored and
// acknowledged at once whatever the answers are doing, at most N commands run together, the others
// wait their turn, and shutdown's drain waits for the waiting ones too.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { InFlight } from '../../src/app/in-flight.ts';
import { createRouter } from '../../src/http/router.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createSlackTransport } from '../../src/transport/slack.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { postSigned } from '../helpers/slack-sign.ts';

const SECRET = 'turns-secret';
let db: TestDatabase;
let server: http.Server | undefined;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await db?.drop();
});

describe('answers in turns', () => {
  it('acknowledges every request at once while at most N answers run, and drains the waiting ones', async () => {
    const ctx = testContext(db.pool);
    ctx.clock.set(new Date());
    let running = 0;
    let most = 0;
    let started = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const slow: SlashCommand = {
      name: '/slow',
      helpKey: 'oncall.help',
      async run(inv) {
        started++;
        running++;
        most = Math.max(most, running);
        await gate;
        running--;
        return textReply(`done ${inv.text}`);
      },
    };
    const inFlight = new InFlight();
    const transport = await createSlackTransport({
      ctx,
      dispatcher: new Dispatcher(ctx, { commands: [slow] }),
      botToken: 'xoxb-turns',
      botId: 'BBOT',
      botUserId: 'UBOT',
      signingSecret: SECRET,
      track: (work, id) => inFlight.track(work, id),
      answerConcurrency: 2,
    });
    const router = createRouter(ctx.log);
    router.on('POST', '/slack/events', transport.route!);
    server = createHttpServer(router, ctx.log);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postSigned(url, SECRET, {
          command: '/slow',
          text: String(i),
          user_id: 'U0AAA',
          channel_id: 'C0X',
          response_url: `https://hooks.slack.com/commands/T/1/${i}`,
        }).then((r) => r.status),
      ),
    );
    // All six acknowledged while no answer could finish.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    await expect.poll(() => started).toBe(2);
    expect(inFlight.size).toBe(6);

    const drained = inFlight.drain(30_000);
    open();
    expect(await drained).toBe(true);
    expect(most).toBe(2);
    expect(started).toBe(6);
    const { rows } = await db.pool.query(
      `SELECT state, count(*)::int AS n FROM slack_requests GROUP BY state`,
    );
    expect(rows).toEqual([{ state: 'answered', n: 6 }]);
  });
});

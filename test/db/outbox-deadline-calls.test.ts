// Every call of a delivery stops at the delivery's deadline (outbox/slack-deliverer.ts): a Web API
// call through the WebClient (the deadline reaches its fetch through AsyncLocalStorage, entered only
// for Web API calls and switched off between them) and a response_url POST (given the signal), even
// when Slack would answer before the client's own timeout.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackClient } from '../../src/integrations/slack/client.ts';
import type { DeliveryContext, OutboxRow } from '../../src/outbox/deliverer.ts';
import { createSlackDeliverer } from '../../src/outbox/slack-deliverer.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let db: TestDatabase;
let slack: FakeSlack;
let restoreNet: () => void;
beforeAll(async () => {
  restoreNet = onlyLocalNetwork();
  db = await freshDatabase();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
  restoreNet?.();
});

function deliverer() {
  // The client's own timeout (5 s) is far longer than the deadlines below.
  const client = createSlackClient({ token: 'xoxb-deadline', apiUrl: slack.url, timeoutMs: 5_000 });
  return createSlackDeliverer({ client, pool: db.pool, callTimeoutMs: 5_000 });
}

function context(signal: AbortSignal): DeliveryContext {
  return { signal, lookupRef: async () => undefined, saveProgress: async () => {} };
}

function row(id: string, kind: string, payload: unknown): OutboxRow {
  return {
    id,
    kind,
    payload,
    attempts: 1,
    createdAt: new Date(),
    firstAttemptAt: new Date(),
    progress: null,
  };
}

describe('calls stop at the delivery deadline', () => {
  it('abandons a Web API call at the deadline, and the next delivery is bounded by its own', async () => {
    const d = deliverer();
    for (const n of [1, 2]) {
      slack.failNext('usergroups.users.update', { delayMs: 3_000 });
      const abort = new AbortController();
      const delivery = d.deliver(
        row(String(n), 'slack.usergroup', { usergroup: 'S0ONCALL', users: ['U0AAA'] }),
        context(abort.signal),
      );
      await slack.waitFor(
        (calls) => calls.filter((c) => c.method === 'usergroups.users.update').length === n,
      );
      abort.abort(new Error('deadline'));
      await expect(delivery).rejects.toThrow();
      // The fake sees the connection closed before it answered.
      await vi.waitFor(() => expect(slack.calls.filter((c) => c.abandoned)).toHaveLength(n));
    }
  });

  it('abandons a response_url POST at the deadline', async () => {
    slack.failNext('respond/cut', { delayMs: 3_000 });
    const abort = new AbortController();
    const delivery = deliverer().deliver(
      row('3', 'slack.respond', {
        responseUrl: slack.responseUrl('cut'),
        responseType: 'ephemeral',
        text: 'x',
      }),
      context(abort.signal),
    );
    await slack.waitFor((calls) => calls.some((c) => c.method === 'respond/cut'));
    abort.abort(new Error('deadline'));
    await expect(delivery).rejects.toThrow();
    await vi.waitFor(() =>
      expect(slack.calls.some((c) => c.method === 'respond/cut' && c.abandoned)).toBe(true),
    );
  });
});

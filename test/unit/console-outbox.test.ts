import { describe, expect, it } from 'vitest';
import { ConsoleDeliverer } from '../../src/outbox/console-deliverer.ts';
import type { ConsoleShell } from '../../src/transport/console.ts';
import { consoleSession } from '../helpers/console-session.ts';

const row = (id: string, kind: string, payload: unknown) => ({
  id,
  kind,
  payload,
  attempts: 1,
  createdAt: new Date('2024-04-10T00:00:00Z'),
  firstAttemptAt: new Date('2024-04-10T00:00:00Z'),
  progress: null,
});

/** Delivers as the outbox worker does in console mode: through the shell's recording wrapper. */
async function deliverThrough(shell: ConsoleShell) {
  const refs = new Map<string, { channel: string; ts: string }>();
  const deliverer = shell.recordDeliveries(
    new ConsoleDeliverer(
      (reply, prefix) => shell.show(reply, prefix),
      'en',
      (name) => `/tmp/${name}`,
    ),
  );
  const ctx = {
    lookupRef: async (ref: string) => refs.get(ref),
    saveProgress: async () => {},
    signal: new AbortController().signal,
  };
  const posted = await deliverer.deliver(
    row('7', 'slack.post', { channel: 'C0OPS', text: '*Disk full* on db-2', ref: 'alert-group:7' }),
    ctx,
  );
  refs.set('alert-group:7', posted.message!);
  await deliverer.deliver(row('8', 'slack.update', { ref: 'alert-group:7', text: 'Disk full (acked)' }), ctx);
  return posted;
}

describe('console mode: messages the outbox prints', () => {
  it('are numbered and carry the channel and ts the outbox recorded, so a reaction finds them', async () => {
    let posted: Awaited<ReturnType<typeof deliverThrough>> | undefined;
    const { out, dispatch } = await consoleSession(
      ['react eyes 1', 'react eyes 2', 'shortcut Ticket this on 1'],
      {
        before: async (shell) => {
          posted = await deliverThrough(shell);
        },
      },
    );
    expect(out).toMatch(/^#1 \[posted to C0OPS\]\nDisk full on db-2$/m);
    expect(out).toMatch(/^#2 \[message updated in C0OPS\]\nDisk full \(acked\)$/m);
    const recorded = posted!.result as { channel: string; ts: string };
    const items = dispatch.of('event').map((c) => ('item' in c.inv.event ? c.inv.event.item : undefined));
    // The post and its update are one Slack message: both reactions reach it.
    expect(items).toEqual([
      { channelId: 'C0OPS', ts: recorded.ts },
      { channelId: 'C0OPS', ts: recorded.ts },
    ]);
    expect(dispatch.of('shortcut')[0]!.shortcut.message).toMatchObject({
      channelId: 'C0OPS',
      ts: recorded.ts,
      text: '*Disk full* on db-2',
    });
  });
});

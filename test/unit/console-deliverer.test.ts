import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/command.ts';
import { ConsoleDeliverer } from '../../src/outbox/console-deliverer.ts';
import { PermanentError } from '../../src/outbox/deliverer.ts';

function harness() {
  const shown: { text: string; prefix: string }[] = [];
  const saved: { name: string; content: string; encoding: string }[] = [];
  const d = new ConsoleDeliverer(
    (reply: Pick<Reply, 'message'>, prefix: string) => shown.push({ text: reply.message.text, prefix }),
    'en',
    (name, content, encoding) => {
      saved.push({ name, content, encoding });
      return `/tmp/${name}`;
    },
  );
  const row = (kind: string, payload: unknown) => ({
    id: '1',
    kind,
    payload,
    attempts: 1,
    createdAt: new Date('2024-04-10T00:00:00Z'),
    firstAttemptAt: new Date('2024-04-10T00:00:00Z'),
    progress: null,
  });
  const refs = new Map([['alert-group:1', { channel: 'C0ALERTS', ts: '1.000001' }]]);
  const ctx = {
    lookupRef: async (ref: string) => refs.get(ref),
    saveProgress: async () => {},
    signal: new AbortController().signal,
  };
  return { d, row, ctx, shown, saved };
}

describe('console mode outbox delivery', () => {
  it('prints what the bot posts on its own, naming the channel, and records the message for later updates', async () => {
    const { d, row, ctx, shown } = harness();
    const out = await d.deliver(
      row('slack.post', { channel: 'C0ALERTS', text: 'disk full', ref: 'alert-group:1' }),
      ctx,
    );
    expect(shown).toEqual([{ text: 'disk full', prefix: '[posted to C0ALERTS]' }]);
    expect(out.message).toMatchObject({ ref: 'alert-group:1', channel: 'C0ALERTS' });
    await d.deliver(row('slack.update', { ref: 'alert-group:1', text: 'disk full (acknowledged)' }), ctx);
    expect(shown[1]).toEqual({ text: 'disk full (acknowledged)', prefix: '[message updated in C0ALERTS]' });
  });

  it('prints DMs and user-group changes, and saves files', async () => {
    const { d, row, ctx, shown, saved } = harness();
    await d.deliver(row('slack.dm', { user: 'U0AAA', text: 'you are on call' }), ctx);
    await d.deliver(row('slack.usergroup', { usergroup: 'S0ONCALL', users: ['U0AAA'] }), ctx);
    await d.deliver(
      row('slack.file', { channel: 'U0FIN1', filename: 'journal.csv', title: 'j', content: 'a,b\n' }),
      ctx,
    );
    expect(shown.map((s) => s.prefix || s.text)).toEqual([
      '[DM to U0AAA]',
      '[user group S0ONCALL set to: U0AAA]',
      '[file journal.csv saved: /tmp/journal.csv]',
    ]);
    expect(saved).toEqual([{ name: 'journal.csv', content: 'a,b\n', encoding: 'utf8' }]);
  });

  it('refuses a kind it cannot show, and a payload its kind refuses, permanently', async () => {
    const { d, row, ctx } = harness();
    await expect(d.deliver(row('github.issue', {}), ctx)).rejects.toBeInstanceOf(PermanentError);
    await expect(d.deliver(row('slack.post', { text: 'no channel' }), ctx)).rejects.toThrow(/channel/);
  });
});

// The storm bench's own parts (bench/storm.ts, bench/slack-limits.ts): its fake Slack refuses the
// way Slack does, and it reads a storm summary's group ids as the view writes them. A bench whose
// fake never refuses, or whose parser misses ids, would print figures that mean nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { POST_BURST, startLimitedSlack, type LimitedSlack } from '../../bench/slack-limits.ts';
import { summaryIds } from '../../bench/storm.ts';
import { alertStormMessage } from '../../src/views/alert-storm.ts';

let slack: LimitedSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function call(method: string, fields: Record<string, string>) {
  const res = await fetch(slack!.url + method, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-t' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('the rate-limited fake Slack', () => {
  it('takes a short burst of posts per channel, then answers 429 with Retry-After; other channels go on', async () => {
    slack = await startLimitedSlack();
    const answers = [];
    for (let i = 0; i <= POST_BURST; i++)
      answers.push(await call('chat.postMessage', { channel: 'C1', text: `m${i}` }));
    expect(answers.slice(0, POST_BURST).map((a) => a.status)).toEqual(Array(POST_BURST).fill(200));
    expect(answers[POST_BURST]).toMatchObject({
      status: 429,
      retryAfter: '1',
      body: { ok: false, error: 'ratelimited' },
    });
    expect((await call('chat.postMessage', { channel: 'C2', text: 'other' })).status).toBe(200);
    // A refused post never reached Slack.
    expect(slack.inner.messages.map((m) => m.text)).toEqual([
      ...Array.from({ length: POST_BURST }, (_, i) => `m${i}`),
      'other',
    ]);
    expect(slack.calls.filter((c) => c.status === 429)).toHaveLength(1);
  });

  it('takes 50 chat.update calls a minute from the whole workspace (Tier 3), then answers 429', async () => {
    slack = await startLimitedSlack();
    const posted = await call('chat.postMessage', { channel: 'C1', text: 'x' });
    const ts = String((posted.body as { ts: string }).ts);
    for (let i = 0; i < 50; i++) {
      const a = await call('chat.update', { channel: i % 2 ? 'C1' : 'C9', ts, text: `v${i}` });
      expect(a.status).toBe(200);
    }
    const refused = await call('chat.update', { channel: 'C1', ts, text: 'one too many' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(slack.inner.messages[0]!.text).toBe('v49');
  });
});

describe('summaryIds', () => {
  it('reads back every id a storm summary lists, ranges and long lists split over sections included', () => {
    const ids = Array.from({ length: 900 }, (_, i) => String(i % 3 === 0 ? 1000 + i : 5000 + 2 * i));
    const message = alertStormMessage(
      {
        counts: [{ service: 'svc42', severity: 'critical', groups: 900, open: 900 }],
        top: [
          {
            id: '77',
            title: 'Disk 99% on host-12',
            severity: 'critical',
            service: 'svc42',
            state: 'open',
            firing_count: 3,
          },
        ],
        ids,
        startedAt: new Date('2026-11-30T13:30:00Z'),
        lastGroupAt: new Date('2026-11-30T13:31:00Z'),
        groupCount: ids.length,
        over: false,
      },
      'ja',
      'Asia/Tokyo',
      new Date('2026-11-30T13:31:00Z'),
    );
    const sections = (message.blocks as { type: string }[]).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(3); // the id list did not fit one section
    expect([...summaryIds(message.blocks)].sort((a, b) => a - b)).toEqual(
      ids.map(Number).sort((a, b) => a - b),
    );
  });

  it('finds no ids in a message that is not a storm summary', () => {
    expect(
      summaryIds([{ type: 'section', text: { type: 'mrkdwn', text: 'Disk 99% on host-12, 3 firing' } }]).size,
    ).toBe(0);
  });
});

// What Slack sends, validated before use: the shapes toban knows, cleaned of NUL and lone surrogates,
// and every other shape refused with the field named (payload=null, null, missing fields, deep JSON).
import { describe, expect, it } from 'vitest';
import { parseSlackBody, parseSocketBody } from '../../src/transport/slack-bodies.ts';

const command = {
  command: '/ledger',
  text: 'balance 売掛金\u0000',
  user_id: 'U0AAA',
  channel_id: 'C0X',
  response_url: 'https://hooks.slack.com/commands/T/1/x',
};

describe('parsing what Slack sends', () => {
  it('reads a slash command and cleans its text', () => {
    const parsed = parseSlackBody('form', new URLSearchParams(command).toString());
    expect(parsed).toMatchObject({ kind: 'command', body: { command: '/ledger', text: 'balance 売掛金' } });
  });

  it('reads a block_actions payload, an event and a url_verification', () => {
    const payload = JSON.stringify({
      type: 'block_actions',
      user: { id: 'U1' },
      actions: [{ action_id: 'a' }],
    });
    expect(parseSlackBody('form', `payload=${encodeURIComponent(payload)}`).kind).toBe('interaction');
    const event = {
      type: 'event_callback',
      event_id: 'Ev1',
      event: { type: 'app_mention', user: 'U1', channel: 'C1', ts: '1.1', text: 'x\ud800' },
    };
    expect(parseSlackBody('json', JSON.stringify(event))).toMatchObject({
      kind: 'event',
      body: { event: { text: 'x\ufffd' } },
    });
    expect(parseSlackBody('json', '{"type":"url_verification","challenge":"c"}')).toEqual({
      kind: 'url_verification',
      challenge: 'c',
    });
    expect(parseSlackBody('form', 'ssl_check=1&token=x').kind).toBe('ignore');
  });

  it('refuses payload=null, null, wrong types and missing fields, naming the field', () => {
    expect(parseSlackBody('form', 'payload=null')).toMatchObject({ kind: 'invalid' });
    expect(parseSlackBody('json', 'null')).toMatchObject({ kind: 'invalid' });
    expect(parseSlackBody('json', '"x"')).toMatchObject({ kind: 'invalid' });
    const noUser = parseSlackBody('form', new URLSearchParams({ ...command, user_id: '' }).toString());
    expect(noUser).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^user_id:/) });
    const badUrl = parseSlackBody(
      'form',
      new URLSearchParams({ ...command, response_url: 'javascript:x' }).toString(),
    );
    expect(badUrl).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^response_url:/) });
    const noActions = JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [] });
    expect(parseSlackBody('form', `payload=${encodeURIComponent(noActions)}`)).toMatchObject({
      error: expect.stringMatching(/^payload\.actions:/),
    });
  });

  it('refuses JSON nested deeper than any Slack payload without exhausting the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(parseSlackBody('json', deep)).toMatchObject({ kind: 'invalid' });
    expect(parseSlackBody('form', `payload=${deep}`)).toMatchObject({ kind: 'invalid' });
  });

  it('checks Socket Mode payloads the same way', () => {
    expect(parseSocketBody(command)).toMatchObject({ kind: 'command' });
    expect(parseSocketBody(null)).toMatchObject({ kind: 'invalid' });
    expect(parseSocketBody({ type: 'event_callback', event_id: 'Ev2', event: { type: 'x' } }).kind).toBe(
      'event',
    );
    expect(parseSocketBody({ type: 'shortcut', user: { id: 'U1' }, callback_id: 'c' }).kind).toBe(
      'interaction',
    );
  });
});

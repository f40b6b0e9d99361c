import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyLocalNetwork } from '../helpers/fake-slack.ts';
import { postSigned, signSlackRequest } from '../helpers/slack-sign.ts';

const vector = JSON.parse(
  readFileSync(new URL('../fixtures/slack-signing-vector.json', import.meta.url), 'utf8'),
) as {
  signing_secret: string;
  timestamp: string;
  body: string;
  signature: string;
};

let restoreNetwork: () => void = () => {};
beforeAll(() => {
  restoreNetwork = onlyLocalNetwork();
});
afterAll(() => restoreNetwork());

describe('signing requests like Slack', () => {
  it("produces Slack's published example signature", () => {
    const headers = signSlackRequest(vector.signing_secret, vector.body, vector.timestamp);
    expect(headers['x-slack-signature']).toBe(vector.signature);
    expect(headers['x-slack-request-timestamp']).toBe(vector.timestamp);
  });

  it('changes the signature when one byte of the body changes', () => {
    const headers = signSlackRequest(
      vector.signing_secret,
      vector.body.replace('foobar', 'foobaz'),
      vector.timestamp,
    );
    expect(headers['x-slack-signature']).not.toBe(vector.signature);
  });

  it('posts a form-encoded slash command whose signature verifies against the raw body', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      const res = await postSigned(
        url,
        's3cret',
        { command: '/oncall', text: 'primary', user_id: 'U0AAA' },
        { timestampSec: 1_712_710_800 },
      );
      expect(res.status).toBe(200);
      const got = seen[0]!;
      expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(new URLSearchParams(got.body).get('command')).toBe('/oncall');
      expect(got.headers['x-slack-request-timestamp']).toBe('1712710800');
      expect(got.headers['x-slack-signature']).toBe(
        signSlackRequest('s3cret', got.body, 1_712_710_800)['x-slack-signature'],
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// "Investigate this" pre-fills the question with the message's text made readable: Slack's <…>
// markup would otherwise stay raw in the plain-text question and show literally in the post.
import { describe, expect, it } from 'vitest';
import { investigateFromMessage } from '../../handlers/investigate-from-message.ts';
import type { Modal } from '../../src/core/modal.ts';
import type { Pool } from '../../src/db/pool.ts';
import { staticDirectory, type Directory } from '../../src/services/directory.ts';
import { questionFromMessage } from '../../src/services/investigations/prefill.ts';
import { readableMarkup } from '../../src/views/render-text.ts';
import { testContext } from '../helpers/context.ts';

const directory = staticDirectory({}, {}, { U0AAA: 'Aiko' });

describe('the question pre-filled from a message', () => {
  it('turns mentions, channels, links and specials into readable text in the modal', async () => {
    const ctx = testContext({} as Pool, { directory });
    const out = await investigateFromMessage.run(
      {
        callbackId: 'investigate_from_message',
        type: 'message',
        userId: 'U0FIN1',
        locale: 'en',
        message: {
          channelId: 'C0SUPPORT',
          ts: '1712710800.000100',
          text: '<@U0AAA> and <@U0ZZZ> in <#C0SUP|support>: <https://shop.example/o/1?a=1&b=2|order 1> fails, see <https://status.example> <!here> a < b',
        },
      },
      ctx,
    );
    const question = (out.view!.modal as Modal).fields.find((f) => f.id === 'question')!.initial;
    expect(question).toBe(
      '@Aiko and @U0ZZZ in #support: order 1 (https://shop.example/o/1?a=1&b=2) fails, see https://status.example @here a < b',
    );
  });

  it('keeps @U… for a name not known within the budget, so the modal still opens in time', async () => {
    const slow: Directory = { ...directory, userName: () => new Promise(() => undefined) };
    const failing: Directory = {
      ...directory,
      userName: async () => Promise.reject(new Error('ratelimited')),
    };
    for (const d of [slow, failing])
      expect(await questionFromMessage(testContext({} as Pool, { directory: d }), 'ask <@U0AAA>')).toBe(
        'ask @U0AAA',
      );
  });

  it('leaves text without markup as typed', () => {
    expect(readableMarkup('a <b> & c <not a link>')).toBe('a <b> & c <not a link>');
    expect(readableMarkup('<#C0SUP>')).toBe('#C0SUP');
  });
});

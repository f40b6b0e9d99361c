// The sample handlers of each kind: the App Home, the app_mention reply, the member_joined_channel
// note. Rotations from the demo configuration; the clock at Wed 2024-04-10 10:00 JST, when U0CCC is
// on primary duty (weekly from Mon 2024-01-01 10:00: U0AAA, U0BBB, U0CCC). The resolver reads the
// shift history and overrides from the database (empty here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInvocation } from '../../src/core/handlers.ts';
import { home } from '../../handlers/home.ts';
import { memberJoinedHelp } from '../../handlers/member-joined-help.ts';
import { mentionOncall } from '../../handlers/mention-oncall.ts';
import { oncallDetails } from '../../handlers/oncall-details.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const ctx = () => testContext(db.pool);

describe('App Home', () => {
  it('lists the person’s next shifts over every rotation, and who is on duty now', async () => {
    const out = await home.build({ userId: 'U0AAA', locale: 'en' }, ctx());
    expect(out.text).toContain('Your next shifts');
    expect(out.text).toContain('Mon 15 Apr 10:00 – Mon 22 Apr 10:00  *Primary on-call*\nMon 6 May 10:00');
    expect(out.text).toContain('*Primary on-call*: <@U0CCC>');
    expect(out.text).not.toContain('You have no upcoming shifts');
    expect(out.blocks[0]).toMatchObject({ type: 'header' });
  });

  it('says so when the person has no shifts, in Japanese too', async () => {
    const en = await home.build({ userId: 'U0NOBODY', locale: 'en' }, ctx());
    expect(en.text).toContain('You have no upcoming shifts.');
    const ja = await home.build({ userId: 'U0NOBODY', locale: 'ja' }, ctx());
    expect(ja.text).toContain('この先のシフトはありません。');
    expect(ja.text).toContain('今の当番');
  });
});

describe('app_mention', () => {
  it('answers in the channel with who is on duty in each rotation', async () => {
    const inv: EventInvocation<'app_mention'> = {
      event: { type: 'app_mention', userId: 'U0BBB', channelId: 'C1', text: '<@UBOT> who?', ts: '1.1' },
      eventId: 'Ev1',
      locale: 'en',
    };
    const reply = await mentionOncall.run(inv, ctx());
    expect(reply?.visibility).toBe('in_channel');
    expect(reply?.message.text).toContain('On duty now:');
    expect(reply?.message.text).toContain('*Primary on-call*: <@U0CCC>');
    expect(reply?.message.text).toContain('*調査当番*');
  });
});

describe('member_joined_channel', () => {
  const joined = (userId: string, channelId: string): EventInvocation<'member_joined_channel'> => ({
    event: { type: 'member_joined_channel', userId, channelId },
    eventId: 'Ev2',
    locale: 'ja',
  });

  it('tells a person who joins one of toban’s channels, only them, what toban does there', async () => {
    const reply = await memberJoinedHelp.run(joined('U0NEW', 'C0FINANCE'), ctx());
    expect(reply?.visibility).toBe('ephemeral');
    expect(reply?.message.text).toContain('/ledger help');
    expect(reply?.message.text).toContain('<@U0NEW>');
    const alerts = await memberJoinedHelp.run(joined('U0NEW', 'C0ALERTS'), ctx());
    expect(alerts?.message.text).toContain('監視アラート');
  });

  it('says nothing for other channels, nor when the bot itself joins', async () => {
    expect(await memberJoinedHelp.run(joined('U0NEW', 'C0RANDOM'), ctx())).toBeUndefined();
    const c = ctx();
    c.botUserId = 'UBOT';
    expect(await memberJoinedHelp.run(joined('UBOT', 'C0ALERTS'), c)).toBeUndefined();
  });
});

describe('the Details button', () => {
  it('names the rotations there are when its rotation is gone from toban.yml', async () => {
    const ctx = testContext(db.pool);
    await expect(
      oncallDetails.run({ actionId: 'oncall.details', value: 'retired', userId: 'U0AAA', locale: 'en' }, ctx),
    ).rejects.toMatchObject({ key: 'oncall.unknown_rotation', params: { known: '`primary`, `cs-duty`' } });
  });
});

// The investigation filing form in the console, through the real Dispatcher and the filing handler's
// own check (submit() is a stand-in: storing is tested against PostgreSQL elsewhere).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../commands/investigate.ts';
import { investigateNew } from '../../handlers/investigate-new.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { Pool } from '../../src/db/pool.ts';
import type { ViewSubmission } from '../../src/core/handlers.ts';
import { ConsoleShell } from '../../src/transport/console.ts';
import { testContext } from '../helpers/context.ts';

async function session(lines: string[], at: string): Promise<{ out: string; submitted: ViewSubmission[] }> {
  const ctx = testContext(undefined as unknown as Pool);
  ctx.clock.set(at);
  const submitted: ViewSubmission[] = [];
  const dispatcher = new Dispatcher(ctx, {
    commands: [investigate],
    shortcuts: [investigateNew],
    views: [
      {
        ...investigationFile,
        submit: async (s) => {
          submitted.push(s);
          return undefined;
        },
      },
    ],
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  const shell = new ConsoleShell({
    dispatcher,
    input,
    output,
    userId: 'U0FIN1',
    locale: 'en',
    names: () => undefined,
    saveFile: (name) => `/tmp/${name}`,
  });
  const done = shell.run();
  input.end(lines.map((l) => l + '\n').join(''));
  await done;
  return { out, submitted };
}

describe('console mode: the investigation filing form', () => {
  it('asks both the date and the time again when the end of business of the day has passed', async () => {
    // 18:30 in Tokyo: today without a time (18:00) has passed, today at 20:00 has not.
    const { out, submitted } = await session(
      [
        'shortcut investigate_new',
        'cus_1', // customer
        '', // reference
        '1', // category
        'Where is my payout?', // question
        '2024-04-10', // deadline date
        '', // deadline time: none, 18:00
        '', // urgency: normal
        '', // date asked again: keep it
        '20:00', // time asked again
      ],
      '2024-04-10T09:30:00Z',
    );
    expect(out).toContain('! Reply deadline (date): The end of business (18:00) of that day has passed');
    expect(out).toContain('! Reply deadline (time): The end of business (18:00) of that day has passed');
    expect(out).toContain('Enter a later time, or pick a later date.');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.values).toMatchObject({ deadline_date: '2024-04-10', deadline_time: '20:00' });
  });

  it('asks the filing form when /investigate is typed alone, as the shortcut does', async () => {
    const { out, submitted } = await session(
      ['/investigate', 'cus_9', 'ORD-1', '3', 'Refund missing', '2024-04-12', '', ''],
      '2024-04-10T01:00:00Z',
    );
    expect(out).toContain('Investigation request');
    expect(out).not.toContain('opens the form');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.values).toMatchObject({
      customer: 'cus_9',
      category: 'refund',
      question: 'Refund missing',
    });
  });
});

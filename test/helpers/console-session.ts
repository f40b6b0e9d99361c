// Drives a ConsoleShell as a person at the terminal would, through a piped standard input: the
// lines are written at once (like `toban < flow.txt`), the shell reads them to EOF.
import { PassThrough } from 'node:stream';
import { ConsoleShell } from '../../src/transport/console.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { FakeDispatch } from './fake-dispatch.ts';

const PEOPLE: Record<string, string> = { U0AAA: 'Aiko', U0BBB: 'Ben', U0FIN1: 'Hanako' };

export interface Session {
  out: string;
  dispatch: FakeDispatch;
  shell: ConsoleShell;
}

export async function consoleSession(
  lines: string[],
  opts: { locale?: Locale; dispatch?: FakeDispatch; before?: (shell: ConsoleShell) => Promise<void> } = {},
): Promise<Session> {
  const dispatch = opts.dispatch ?? new FakeDispatch();
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  const shell = new ConsoleShell({
    dispatcher: dispatch,
    input,
    output,
    userId: 'U0FIN1',
    locale: opts.locale ?? 'en',
    names: (id) => PEOPLE[id],
    findUser: (name) => Object.entries(PEOPLE).find(([, n]) => n === name)?.[0],
    saveFile: (name) => `/tmp/${name}`,
    channelId: 'C0ALERTS',
  });
  await opts.before?.(shell);
  const done = shell.run();
  input.end(lines.map((l) => l + '\n').join(''));
  await done;
  return { out, dispatch, shell };
}

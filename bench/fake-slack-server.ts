// The fake Slack Web API in its own process, so the load generator's measurements are not
// disturbed by the work of answering the bot. Prints its URL; exits when stdin closes.
// Each line `stats <prefix>` on stdin is answered on stdout with one JSON line about the answers
// posted to response_urls named `<prefix>…`: { answers, distinct, lastAt } (lastAt: Date.now() of
// the last one's arrival, ms since the epoch; 0 if none).
import readline from 'node:readline';
import { startFakeSlack } from '../test/helpers/fake-slack.ts';

const slack = await startFakeSlack();
process.stdout.write(slack.url + '\n');

function stats(prefix: string): { answers: number; distinct: number; lastAt: number } {
  const names = new Set<string>();
  let answers = 0;
  let lastAt = 0;
  for (const c of slack.calls) {
    if (!c.method.startsWith(`respond/${prefix}`)) continue;
    answers++;
    names.add(c.method);
    lastAt = Math.max(lastAt, c.at);
  }
  return { answers, distinct: names.size, lastAt };
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [word, prefix = ''] = line.trim().split(/\s+/);
  if (word === 'stats') process.stdout.write(JSON.stringify(stats(prefix)) + '\n');
});
lines.on('close', () => void slack.close().then(() => process.exit(0)));

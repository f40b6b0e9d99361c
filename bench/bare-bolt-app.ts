// The yardstick of the ack bench: a bare Bolt 5.1 app in its own process that only acknowledges
// /oncall (Bolt's own HTTPReceiver: signature check, body parsing, its middleware chain, ack). No
// database, no answer. Reads PORT, SIGNING_SECRET and SLACK_API_URL; prints its port once listening;
// exits when stdin closes.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const signingSecret = process.env.SIGNING_SECRET ?? '';
const app = new App({
  receiver: new HTTPReceiver({ signingSecret }),
  token: 'xoxb-bare',
  // Given, so Bolt never calls auth.test (toban learns them once at start too).
  botId: 'BBARE',
  botUserId: 'UBARE',
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/oncall', async ({ ack }) => ack());

await app.start(Number(process.env.PORT ?? 0));
process.stdout.write(`${process.env.PORT}\n`);
process.stdin.resume();
process.stdin.on('end', () => void app.stop().then(() => process.exit(0)));

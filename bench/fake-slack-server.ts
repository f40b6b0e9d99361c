// The fake Slack Web API in its own process, so the load generator's measurements are not
// disturbed by the work of answering the bot. Prints its URL; exits when stdin closes.
import { startFakeSlack } from '../test/helpers/fake-slack.ts';

const slack = await startFakeSlack();
process.stdout.write(slack.url + '\n');
process.stdin.resume();
process.stdin.on('end', () => void slack.close().then(() => process.exit(0)));

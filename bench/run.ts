// `npm run bench`: every benchmark, printing figures (never pass/fail). Pick some with
// `npm run bench -- ack ledger`.
import os from 'node:os';
import { benchAck } from './ack.ts';

const log = (line: string) => process.stdout.write(line + '\n');
const suites: Record<string, () => Promise<void>> = {
  ack: () => benchAck({ log }),
  ledger: async () => (await import('./ledger.ts')).benchLedger({ log }),
  outbox: async () => (await import('./outbox.ts')).benchOutbox({ log }),
  search: async () => (await import('./search.ts')).benchSearch({ log }),
  intake: async () => (await import('./intake.ts')).benchIntake({ log }),
  storm: async () => (await import('./storm.ts')).benchStorm({ log }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
log(
  `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  log(`\n## ${name}`);
  await run();
}

// `toban` command line (CONTRACT.md): start, run, migrate, demo-data, ledger export, audit verify.
// Exit codes: 0 success, 1 a user error or a start-up failure an operator can fix (one sentence on
// stderr naming the setting), 2 a system error.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.ts';
import { actions, events, home, shortcuts, views } from '../handlers/index.ts';
import { boot } from './app/boot.ts';
import { StartupError, slackStartupError } from './core/startup-errors.ts';
import { Dispatcher } from './app/dispatch.ts';
import { UserError } from './core/errors.ts';
import { cleanText } from './core/input.ts';
import { privateFileSaver } from './core/private-files.ts';
import { t } from './i18n/index.ts';
import { ConfigError } from './config/env.ts';
import { demoUserName, loadDemoData } from './demo/index.ts';
import { readSlashLine } from './transport/console.ts';
import { modelJson } from './views/json.ts';
import { renderMessage } from './views/render-text.ts';
import { modalText } from './views/modal.ts';
import type { HandlerOutcome } from './core/handlers.ts';

const USAGE = `usage:
  toban [--as USER]                                   start (Slack HTTP, Socket Mode, or console)
  toban run '<slash command>' [--as USER] [--json]    run one command and print its reply
  toban run shortcut <callback_id> [--as USER] [--json]  run a global shortcut; print its reply or modal
                                                      (a message shortcut: in the console, \`shortcut <id> on <n>\`)
  toban migrate                                       apply migrations and exit
  toban demo-data [--entries N] [--seed S]            load deterministic demo data
  toban ledger export [--from DATE] [--to DATE]       print the ledger as an hledger/ledger-cli journal
  toban outbox list [--dead] | retry <id>|--dead      see queued and dead Slack writes; put dead ones back
  toban audit verify                                  check the audit log's hash chain`;

class UsageError extends Error {}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (sig: string) => {
      if (seen) process.exit(130); // a second Ctrl-C: stop waiting for in-flight work
      seen = true;
      resolve(sig);
    };
    process.once('SIGINT', () => on('SIGINT'));
    process.once('SIGTERM', () => on('SIGTERM'));
  });
}

/**
 * A handler's outcome on stdout (stderr for an error): the modal it opens (the Modal view model with
 * --json, else as text; there is no Slack to open it in) and its reply.
 */
function printHandlerOutcome(outcome: HandlerOutcome, json: boolean): void {
  const out = outcome.error ? process.stderr : process.stdout;
  if (outcome.view) out.write((json ? modelJson(outcome.view.modal) : modalText(outcome.view.modal)) + '\n');
  if (outcome.reply)
    out.write(
      (json
        ? modelJson(outcome.reply.model ?? outcome.reply.message)
        : renderMessage(outcome.reply.message, demoUserName).text) + '\n',
    );
}

async function runOne(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { as: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const shortcutId = positionals[0] === 'shortcut' ? positionals[1] : undefined;
  if (positionals[0] === 'shortcut' && !shortcutId)
    throw new UsageError(`toban run shortcut: expected a callback_id\n${USAGE}`);
  const slash = shortcutId ? undefined : readSlashLine(positionals.join(' '));
  if (!slash && !shortcutId)
    throw new UsageError(`toban run: expected a slash command such as '/oncall'\n${USAGE}`);
  const booted = await boot({ env, cwd: process.cwd(), logTo: 'file' });
  try {
    const { ctx } = booted;
    const userId =
      (values.as === undefined ? undefined : cleanText(values.as).trim()) ||
      (ctx.config.permissions.finance.find((p) => p.startsWith('U')) ?? 'U0FIN1');
    const locale = (await ctx.directory.userLocale(userId)) ?? ctx.config.locale;
    const dispatcher = new Dispatcher(ctx, { commands, actions, shortcuts, views, events, home });
    if (shortcutId) {
      // A message shortcut needs the message it is used on, which `toban run` has none of: say how
      // to run it (the console) rather than that it is unknown.
      const declared = dispatcher.registered().shortcuts.find((s) => s.callbackId === shortcutId);
      if (declared?.type === 'message') {
        process.stderr.write(t(locale, 'console.run.shortcut_is_message', { id: shortcutId }) + '\n');
        return 1;
      }
      const outcome = await dispatcher.shortcut({ callbackId: shortcutId, type: 'global', userId, locale });
      printHandlerOutcome(outcome, values.json ?? false);
      return outcome.error === 'user' ? 1 : outcome.error === 'system' ? 2 : 0;
    }
    const outcome = await dispatcher.run({ ...slash!, userId, locale });
    if (outcome.view && !outcome.error) {
      // A command that opens a form (`/investigate` alone): its modal, as a shortcut's is printed.
      printHandlerOutcome({ view: outcome.view }, values.json ?? false);
      return 0;
    }
    const rendered = values.json
      ? modelJson(outcome.reply.model ?? outcome.reply.message)
      : renderMessage(outcome.reply.message, demoUserName).text;
    (outcome.error ? process.stderr : process.stdout).write(rendered + '\n');
    // Files (a CSV of the lines a reply could not hold, a chart) are saved as the console saves
    // them, 0600 under the data directory; where, on stderr with --json so stdout stays one JSON value.
    const saveFile = privateFileSaver(path.join(ctx.config.env.dataDir, 'files'));
    for (const f of outcome.reply.files ?? []) {
      const where = saveFile(f.filename, f.content, f.encoding ?? 'utf8');
      (values.json ? process.stderr : process.stdout).write(
        t(locale, 'console.file', { name: f.filename, path: where }) + '\n',
      );
    }
    return outcome.error === 'user' ? 1 : outcome.error === 'system' ? 2 : 0;
  } finally {
    await booted.close();
  }
}

async function demoData(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { entries: { type: 'string' }, seed: { type: 'string' } },
  });
  const entries = values.entries === undefined ? undefined : Number(values.entries);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (entries !== undefined && !(Number.isInteger(entries) && entries > 0))
    throw new UsageError(`--entries: expected a positive integer, got "${values.entries}"`);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new UsageError(`--seed: expected an integer, got "${values.seed}"`);
  const booted = await boot({ env, cwd: process.cwd(), logTo: 'file' });
  try {
    // The ledger and sales schemas are the owner's: the bot's role may only read them.
    const summary = await booted.withOwner((pool) =>
      loadDemoData({ ...booted.ctx, pool, ledgerPool: pool }, { entries, seed }),
    );
    process.stdout.write(summary + '\n');
    return 0;
  } finally {
    await booted.close();
  }
}

async function ledgerExport(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'export') throw new UsageError(USAGE);
  const booted = await boot({ env, cwd: process.cwd(), logTo: 'file' });
  try {
    const { exportLedger } = await import('./services/ledger/export.ts');
    await exportLedger(booted.ctx, { from: values.from, to: values.to }, process.stdout);
    return 0;
  } finally {
    await booted.close();
  }
}

/**
 * `toban audit verify`: recomputes the audit log's hash chain. Exit 0 when intact (stdout: rows and
 * the head hash, worth keeping elsewhere), 1 naming the first broken row (stderr).
 */
async function auditCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] !== 'verify')
    throw new UsageError(`toban audit: expected 'verify', got ${JSON.stringify(argv[0] ?? '')}\n${USAGE}`);
  if (argv.length > 1)
    throw new UsageError(
      `toban audit verify takes no arguments, got ${JSON.stringify(argv.slice(1).join(' '))}\n${USAGE}`,
    );
  const booted = await boot({ env, cwd: process.cwd(), logTo: 'file' });
  try {
    const { verifyAuditChain } = await import('./db/audit-chain.ts');
    const result = await verifyAuditChain(booted.ctx.pool);
    if (result.ok) {
      process.stdout.write(
        `audit log: ${result.rows} rows, chain intact; head seq ${result.headSeq}, hash ${result.headHash}\n`,
      );
      return 0;
    }
    const row = result.brokenId
      ? `row id ${result.brokenId} (seq ${result.brokenSeq})`
      : `seq ${result.brokenSeq}`;
    process.stderr.write(`audit log: chain broken at ${row}: ${result.reason}\n`);
    return 1;
  } finally {
    await booted.close();
  }
}

export async function cli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'run':
        return await runOne(rest, env);
      case 'migrate': {
        // The owner migrates; the bot's role is not checked (it may be created after this).
        const booted = await boot({ env, cwd: process.cwd(), logTo: 'file', migrateOnly: true });
        await booted.close();
        process.stdout.write('migrations applied\n');
        return 0;
      }
      case 'demo-data':
        return await demoData(rest, env);
      case 'ledger':
        return await ledgerExport(rest, env);
      case 'outbox': {
        const booted = await boot({ env, cwd: process.cwd(), logTo: 'file' });
        try {
          const { outboxCli } = await import('./outbox/cli.ts');
          return await outboxCli(rest, {
            db: booted.ctx.pool,
            out: (line) => process.stdout.write(line + '\n'),
            err: (line) => process.stderr.write(line + '\n'),
            now: new Date(),
          });
        } finally {
          await booted.close();
        }
      }
      case 'audit':
        return await auditCommand(rest, env);
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return 0;
      default: {
        if (sub !== undefined && !sub.startsWith('--'))
          throw new UsageError(`unknown command "${sub}"\n${USAGE}`);
        const { values } = parseArgs({ args: argv, options: { as: { type: 'string' } } });
        const { start } = await import('./main.ts');
        return await start({
          env,
          cwd: process.cwd(),
          stdin: process.stdin,
          stdout: process.stdout,
          as: values.as,
          stopSignal: stopSignal(),
        });
      }
    }
  } catch (err) {
    // The reader went away (`toban ledger export | head`): not an error of ours.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    if (err instanceof UserError) {
      process.stderr.write(`toban: ${t('en', err.key, err.params)}\n`);
      return 1;
    }
    // Start-up failures an operator can fix: one sentence naming the setting, no stack trace.
    const startup = err instanceof StartupError ? err : slackStartupError(err);
    if (startup) {
      process.stderr.write(`toban: ${startup.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`toban: ${err.message}\n`);
      return 1;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`toban: ${err.message}\n${USAGE}\n`);
      return 1;
    }
    process.stderr.write(`toban: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

// Composition root of the running bot: config -> database -> clients -> app -> transport.
// Shutdown (SIGINT, SIGTERM, EOF in console mode) runs the same steps backwards: stop taking work,
// finish what is in flight, stop the workers, close the pools, stop the embedded database.
import crypto from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import { commands } from '../commands/index.ts';
import { actions, events, home, shortcuts, views } from '../handlers/index.ts';
import { boot, type Booted } from './app/boot.ts';
import { listenStartupError } from './core/startup-errors.ts';
import { Dispatcher } from './app/dispatch.ts';
import { createHealth } from './core/health.ts';
import { OUTBOX_LEASE_MARGIN_MS } from './config/env.ts';
import { InFlight } from './app/in-flight.ts';
import { privateFileSaver } from './core/private-files.ts';
import { t } from './i18n/index.ts';
import { createRoutes } from './http/routes.ts';
import { createRouter } from './http/router.ts';
import { createHttpServer } from './http/server.ts';
import { releaseRequests } from './db/slack-requests.ts';
import { createPool } from './db/pool.ts';
import { RunningQueries } from './db/running-queries.ts';
import { createSlackClient } from './integrations/slack/client.ts';
import { slackDirectory } from './integrations/slack/directory.ts';
import { ConsoleDeliverer } from './outbox/console-deliverer.ts';
import { createSlackDeliverer } from './outbox/slack-deliverer.ts';
import { startOutboxWorker } from './outbox/worker.ts';
import { withAlertmanager } from './outbox/alertmanager-deliverer.ts';
import { createAlertmanagerClient } from './integrations/alertmanager/client.ts';
import { createSnsClient } from './integrations/sns/client.ts';
import { withSns } from './outbox/sns-deliverer.ts';
import { createScheduler } from './jobs/scheduler.ts';
import { registerJobs } from './jobs/index.ts';
import { ConsoleShell } from './transport/console.ts';
import { consoleSnsCertificates, fireFixture } from './transport/console/fire.ts';
import { createSlackTransport } from './transport/slack.ts';
import { authTestWithRetry } from './transport/slack-auth.ts';
import { StartupError } from './core/startup-errors.ts';
import { DEMO_USERS, demoDirectory, demoUserName, ensureDemoData } from './demo/index.ts';

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Console mode: the user commands are typed as. */
  as?: string;
  /** Resolves when the process should shut down (signals); EOF also ends console mode. */
  stopSignal: Promise<string>;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** How long after the drain grace the pools may take to close once their queries were cancelled, ms. */
const SHUTDOWN_AFTER_GRACE_MS = 3_000;

/** How long a console line waits for the outbox to print what it wrote (ms); then the next line is read. */
const CONSOLE_SETTLE_MS = 5_000;

/** Runs the bot until a signal (or EOF in console mode). Returns the exit code. */
export async function start(opts: StartOptions): Promise<number> {
  // The Slack client is made from the validated config, once, and shared by the directory,
  // the outbox and the transport.
  let slackClient: ReturnType<typeof createSlackClient> | undefined;
  const booted: Booted = await boot({
    env: opts.env,
    cwd: opts.cwd,
    directory: (config, log) => {
      if (config.env.mode === 'console') return demoDirectory(config);
      slackClient = createSlackClient({
        logger: log,
        token: config.env.slack.botToken ?? '',
        apiUrl: config.env.slack.apiUrl,
        timeoutMs: config.env.slackTimeoutMs,
      });
      return slackDirectory(slackClient);
    },
  });
  const { ctx } = booted;
  const { config, log } = ctx;
  const mode = config.env.mode;
  const consoleMode = mode === 'console';
  const inFlight = new InFlight();
  // Named conditions /readyz reports (the outbox's pause, ...).
  const health = createHealth();
  const dispatcher = new Dispatcher(ctx, { commands, actions, shortcuts, views, events, home });
  const names = demoUserName;
  const locale = config.locale;
  let server: http.Server | undefined;
  let transport: Awaited<ReturnType<typeof createSlackTransport>> | undefined;
  let scheduler: ReturnType<typeof createScheduler> | undefined;
  let worker: Awaited<ReturnType<typeof startOutboxWorker>> | undefined;
  let abandoned = false;
  let intakePool: ReturnType<typeof createPool> | undefined;
  let shell: ConsoleShell | undefined;
  // The drain grace (TOBAN_DRAIN_SECONDS) bounds the whole shutdown, counted from its start: when it
  // ends, what is still running in the database is cancelled (a statement waiting on a lock would
  // otherwise hold the pools, the process and the embedded server until statement_timeout).
  const graceMs = config.env.drainMs;
  let graceEnd = 0;
  const graceLeft = () => Math.max(0, graceEnd - Date.now());
  let graceTimer: NodeJS.Timeout | undefined;
  let intakeRunning: RunningQueries | undefined;
  const cancelRunning = async () => {
    const count = booted.running.size + (intakeRunning?.size ?? 0);
    if (!count) return;
    log.warn(
      { graceMs, queries: count },
      'shutdown: the drain grace is over; cancelling the database queries still running',
    );
    await Promise.all([booted.running.cancelAll(), intakeRunning?.cancelAll()]);
  };
  const shutdown = async () => {
    graceEnd = Date.now() + graceMs;
    graceTimer = setTimeout(() => void cancelRunning(), graceMs);
    // 1. Take no more requests: the listener closes, idle keep-alive connections go, requests under
    //    way (an acknowledgement is a few milliseconds) finish; a client still sending is cut off.
    if (server?.listening) {
      const closed = new Promise<void>((r) => server?.close(() => r()));
      server.closeIdleConnections();
      const cutOff = setTimeout(() => server?.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(cutOff);
    }
    // 2. Socket Mode disconnects; no more sweeping for other replicas' requests; the console reads
    //    no more lines.
    shell?.stop();
    await transport?.stop();
    // 3. Requests acknowledged but not yet answered (Slack), and the line being answered (console),
    //    get what is left of the grace. Slack requests still running then are released, so another
    //    replica (or the next start) answers them at once; a console command cannot be handed on.
    if (inFlight.size) log.info({ running: inFlight.size, graceMs }, 'shutdown: draining');
    if (!(await inFlight.drain(graceLeft()))) {
      abandoned = true;
      const requests = inFlight.labels();
      log.warn(
        { graceMs, running: inFlight.size, requests },
        consoleMode
          ? 'shutdown: drain timed out; the console commands still running are stopped, their replies lost'
          : 'shutdown: drain timed out; the Slack requests still running are left to another replica or the next start',
      );
      shell?.print(t(locale, 'console.drain_timeout', { count: inFlight.size, seconds: graceMs / 1000 }));
      if (requests.length)
        await releaseRequests(ctx.pool, requests).catch((err: unknown) =>
          log.error(
            { err },
            'shutdown: releasing unanswered requests failed; they are answered when their lease ends',
          ),
        );
    }
    await scheduler?.stop(graceLeft());
    // In the console, what the last lines wrote (a post, a DM) is printed before the shell ends: a
    // console has no other replica, and its rows would otherwise wait for the next start. Slack
    // modes leave due rows to the next worker, which delivers them from the table.
    if (consoleMode && worker && !abandoned)
      await worker
        .drain(graceLeft())
        .catch((err: unknown) =>
          log.warn(
            { err },
            'shutdown: the console outbox did not drain within the grace; the rest is printed at the next start',
          ),
        );
    await worker?.stop(); // finishes the deliveries under way (each bounded by its own deadline)
  };

  try {
    // Demo data writes the ledger and sales schemas, which the bot's role may only read.
    if (consoleMode)
      await booted
        .withOwner((pool) => ensureDemoData({ ...ctx, pool, ledgerPool: pool }))
        .catch((err: unknown) => {
          // 42501: the owner connection is the bot's own role (DATABASE_URL without DATABASE_OWNER_URL).
          if ((err as { code?: unknown }).code !== '42501') throw err;
          throw new StartupError(
            'console mode loads demo data, which the bot role may not write: set DATABASE_OWNER_URL to the owner of the database, or unset DATABASE_URL to use the embedded one',
            { cause: err },
          );
        });

    const webhookToken = config.env.alertWebhookToken ?? crypto.randomBytes(16).toString('hex');
    /** Where this process's HTTP routes answer, once listening (console `fire` posts there). */
    let httpBaseUrl: string | undefined;
    if (consoleMode) {
      shell = new ConsoleShell({
        dispatcher,
        input: opts.stdin,
        output: opts.stdout,
        userId: opts.as ?? config.permissions.finance.find((p) => p.startsWith('U')) ?? 'U0FIN1',
        locale,
        names,
        findUser: (name) => Object.entries(DEMO_USERS).find(([, u]) => u.name === name)?.[0],
        saveFile: privateFileSaver(path.join(config.env.dataDir, 'files')),
        channelId: config.channels.alerts,
        track: (work) => inFlight.track(work),
        // The worker starts below, before the shell reads its first line.
        // Past the wait the next line is read anyway; the rest is printed when it is delivered.
        settle: async () => {
          await worker?.drain(CONSOLE_SETTLE_MS).catch(() => undefined);
        },
        fire: (source, fixture) =>
          fireFixture({ baseUrl: httpBaseUrl, token: webhookToken, source, ...(fixture ? { fixture } : {}) }),
      });
    }

    // The messages the outbox prints in the console are numbered with the ts it records for them.
    const consoleDeliverer = (d: ConsoleDeliverer) => (shell ? shell.recordDeliveries(d) : d);
    // Outbox: Slack in Slack modes, the terminal in console mode, as ctx.outboxTransport says (the
    // transport of the rows this process writes, from the running mode, boot.ts).
    const deliverer =
      slackClient && ctx.outboxTransport === 'slack'
        ? createSlackDeliverer({
            client: slackClient,
            pool: ctx.pool,
            log,
            callTimeoutMs: config.env.slackTimeoutMs,
          })
        : consoleDeliverer(
            new ConsoleDeliverer(
              (reply, prefix) => shell?.show(reply, prefix),
              locale,
              privateFileSaver(path.join(config.env.dataDir, 'files')),
            ),
          );
    // With ALERTMANAGER_URL, silences' rows (alertmanager.* kinds) go to Alertmanager. SNS
    // subscription confirmations (sns.* kinds) go to Amazon SNS, through the client whose
    // certificate cache the alert route uses too.
    const alertmanagerUrl = config.env.alertmanagerUrl;
    // Console mode also trusts its demo certificate, which signs what `fire cloudwatch` sends.
    ctx.sns ??= createSnsClient({
      now: () => ctx.clock.now(),
      ...(consoleMode ? { pinned: consoleSnsCertificates() } : {}),
    });
    const withAm = alertmanagerUrl
      ? withAlertmanager(deliverer, { client: createAlertmanagerClient(alertmanagerUrl) })
      : deliverer;
    worker = await startOutboxWorker({
      pool: ctx.pool,
      listenUrl: booted.databaseUrl,
      deliverer: withSns(withAm, { client: ctx.sns }),
      log,
      metrics: ctx.metrics,
      leaseMs: config.env.outboxLeaseMs,
      leaseMarginMs: OUTBOX_LEASE_MARGIN_MS,
      health,
    });

    scheduler = createScheduler({
      pool: ctx.pool,
      clock: ctx.clock,
      log,
      metrics: ctx.metrics,
      instanceId: `${process.pid}-${crypto.randomBytes(3).toString('hex')}`,
      timezone: config.timezone,
    });
    registerJobs(scheduler, ctx);
    await scheduler.start();

    // HTTP first: /healthz answers while Slack is still being reached, and /readyz says why not yet.
    // Our routes, and Slack's events endpoint in HTTP mode, all through one router.
    const router = createRouter(log);
    createRoutes(ctx, router, health, webhookToken);
    if (mode === 'http')
      router.on('POST', '/slack/events', (req, res, params) => {
        if (transport?.route) return transport.route(req, res, params);
        // Not connected to Slack yet: Slack retries a request answered 503.
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
        res.end('toban is starting: waiting for Slack\n');
      });
    server = createHttpServer(router, log);
    try {
      const port = await listen(server, config.env.port, config.env.host);
      httpBaseUrl = `http://${config.env.host.includes(':') ? `[${config.env.host}]` : config.env.host}:${port}`;
      log.info({ port, host: config.env.host, mode }, 'listening');
      if (shell) shell.print(t(locale, 'console.listening', { host: config.env.host, port }));
    } catch (err) {
      // In console mode the shell still works without the HTTP port (another toban may hold it).
      if (!consoleMode) throw listenStartupError(err, config.env.port, config.env.host) ?? err;
      shell?.print(`! HTTP port ${config.env.port}: ${(err as Error).message}`);
    }

    // Slack, if configured: bot id and bot user id are learned once here (auth.test, waited out
    // while Slack fails in a way that passes), then Socket Mode connects. A stop signal ends both.
    if (slackClient) {
      const client = slackClient;
      const stopping = new AbortController();
      const stopReason = opts.stopSignal.then((reason) => {
        stopping.abort(new Error(`stopped (${reason})`));
        return reason;
      });
      const connected = (async () => {
        health.set('slack', 'down', 'waiting for Slack (auth.test)');
        const auth = await authTestWithRetry({
          call: () => client.auth.test(),
          log,
          signal: stopping.signal,
          waiting: (cause) =>
            cause
              ? health.set('slack', 'down', `waiting for Slack (auth.test: ${cause})`)
              : health.clear('slack'),
        });
        // Read by handlers through the Dispatcher's context (which holds this same object).
        ctx.botUserId = String(auth.user_id ?? '') || undefined;
        intakeRunning = new RunningQueries();
        intakePool = intakeRunning.watch(
          createPool(booted.databaseUrl, { max: 4, applicationName: 'toban-intake' }),
        );
        transport = await createSlackTransport({
          ctx,
          dispatcher,
          client,
          botToken: config.env.slack.botToken ?? '',
          botId: String(auth.bot_id ?? ''),
          botUserId: String(auth.user_id ?? ''),
          signingSecret: mode === 'http' ? config.env.slack.signingSecret : undefined,
          appToken: mode === 'socket' ? config.env.slack.appToken : undefined,
          intakePool,
          track: (work, requestId) => inFlight.track(work, requestId),
          outbox: worker,
        });
        if (mode === 'socket') health.set('slack', 'down', 'connecting to Slack (Socket Mode)');
        await transport.start();
        health.clear('slack');
      })();
      const first = await Promise.race([connected.then(() => undefined), stopReason]);
      if (first !== undefined) {
        // Stopped before Slack answered: the attempt under way is abandoned, not awaited.
        connected.catch(() => {});
        abandoned = true; // a connection attempt may still hold timers: the exit must not wait on them
        log.info({ reason: first }, 'shutting down (before Slack was reached)');
        return 0;
      }
    }

    if (shell) {
      if (!config.env.alertWebhookToken)
        shell.print(t(locale, 'console.webhook_token', { token: webhookToken }));
      shell.print(t(locale, 'console.ready', { user: names(opts.as ?? 'U0FIN1') ?? opts.as ?? 'U0FIN1' }));
      const reason = await Promise.race([shell.run().then(() => 'EOF'), opts.stopSignal]);
      shell.stop();
      log.info({ reason }, 'shutting down');
    } else {
      const reason = await opts.stopSignal;
      log.info({ reason }, 'shutting down');
    }
    return 0;
  } catch (err) {
    log.error({ err }, 'start failed');
    throw err;
  } finally {
    await shutdown().catch((err) => log.error({ err }, 'shutdown step failed'));
    if (intakePool) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((r) => (timer = setTimeout(r, graceLeft() + SHUTDOWN_AFTER_GRACE_MS)));
      await Promise.race([intakePool.end().catch(() => {}), late]);
      clearTimeout(timer);
    }
    // Queries cancelled at the grace's end fail at once; a pool still held some seconds later (code
    // that ignores the cancellation) is left behind rather than keeping the process.
    const complete = await booted.close({ poolsWithinMs: graceLeft() + SHUTDOWN_AFTER_GRACE_MS });
    clearTimeout(graceTimer);
    if (!complete) {
      abandoned = true;
      log.error(
        { graceMs },
        'shutdown: database connections still busy after the grace; exiting without them',
      );
    }
    // Work given up at the drain (a Slack call still waiting on its timeout) must not keep the
    // process past the grace the operator chose; it has been released to another replica.
    if (abandoned) setTimeout(() => process.exit(), 500).unref();
  }
}

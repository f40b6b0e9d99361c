// Amazon SNS through POST /hooks/alerts/cloudwatch against real PostgreSQL, with SNS's hosts faked
// by nock serving the test-only certificate (test/fixtures/alerts/sns-test-*.pem): a signed
// notification is stored; a changed Message, a certificate off SNS, a certificate server failing
// store nothing (401, 400, 503); a SubscriptionConfirmation becomes one outbox row, delivered as one
// GET of its SubscribeURL however many times SNS sends it; an UnsubscribeConfirmation none.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertIntake } from '../../handlers/alerts/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import { createSnsClient } from '../../src/integrations/sns/client.ts';
import { PermanentError, type Deliverer } from '../../src/outbox/deliverer.ts';
import { withSns } from '../../src/outbox/sns-deliverer.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { fixture, startIntakeServer, type IntakeServer } from '../helpers/alert-intake.ts';
import { demoConfig, LogCapture, testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { until } from '../helpers/outbox.ts';
import { SNS_OTHER_CERT, SNS_TEST_CERT, signSns } from '../helpers/sns.ts';

const TOKEN = 'sns-test-token';
let db: TestDatabase;
let server: IntakeServer;
const workers: OutboxWorker[] = [];

beforeAll(async () => {
  db = await freshDatabase();
  // No ctx.sns: the route builds its own client (and certificate cache) from the factory.
  server = await startIntakeServer(testContext(db.pool), TOKEN);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query(
    'DELETE FROM outbox; DELETE FROM alerts; DELETE FROM alert_groups; DELETE FROM alert_payloads',
  );
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  nock.cleanAll();
});

async function counts() {
  const { rows } = await db.pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM alert_payloads) AS payloads, (SELECT count(*) FROM alerts) AS alerts,
            (SELECT count(*) FROM outbox) AS outbox`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

type Envelope = Record<string, string>;
/** A fixture with its certificate moved to `host` (each test its own URL: the route caches by URL). */
function message(name: string, certPath: string, changes: Envelope = {}): Envelope {
  const body = fixture(name) as Envelope;
  const host = new URL(body.SigningCertURL!).origin;
  return { ...body, SigningCertURL: `${host}${certPath}`, ...changes };
}
function serve(body: Envelope, cert = SNS_TEST_CERT): nock.Scope {
  const url = new URL(body.SigningCertURL!);
  return nock(url.origin).get(url.pathname).reply(200, cert);
}

describe('POST /hooks/alerts/cloudwatch (Amazon SNS signatures)', () => {
  it('stores a notification signed with the certificate at its SigningCertURL (SignatureVersion 1 and 2)', async () => {
    const v1 = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t1.pem'));
    const scope = serve(v1);
    expect(await server.post('cloudwatch', v1)).toEqual({ status: 202, body: { accepted: 1 } });
    expect(scope.isDone()).toBe(true);
    const v2 = signSns(
      message('cloudwatch-sns-ok.json', '/SimpleNotificationService-t1b.pem', { SignatureVersion: '2' }),
    );
    serve(v2);
    expect(await server.post('cloudwatch', v2)).toEqual({ status: 202, body: { accepted: 1 } });
    expect(await counts()).toMatchObject({ payloads: 2, alerts: 2 });
  });

  it('refuses a changed Message (401 naming Signature), a signature by another key, and stores nothing', async () => {
    const signed = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t2.pem'));
    serve(signed);
    const tampered = { ...signed, Message: signed.Message!.replace('"ALARM"', '"OK"') };
    const res = await server.post('cloudwatch', tampered);
    expect(res).toEqual({
      status: 401,
      body: { error: 'Signature: does not verify with the certificate at SigningCertURL' },
    });
    const other = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t2b.pem'));
    serve(other, SNS_OTHER_CERT);
    expect((await server.post('cloudwatch', other)).status).toBe(401);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
  });

  it('refuses a SigningCertURL off SNS (400 naming it) without fetching it', async () => {
    const evil = nock('https://evil.example').get(/.*/).reply(200, SNS_TEST_CERT);
    const body = signSns({
      ...(fixture('cloudwatch-sns-alarm.json') as Envelope),
      SigningCertURL: 'https://evil.example/SimpleNotificationService-x.pem',
    });
    const res = await server.post('cloudwatch', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^SigningCertURL: /);
    expect(evil.isDone()).toBe(false);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
  });

  it('answers 503 and stores nothing while the certificate cannot be fetched; the retry is stored', async () => {
    const body = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t3.pem'));
    const url = new URL(body.SigningCertURL!);
    nock(url.origin).get(url.pathname).reply(500, 'InternalFailure');
    const res = await server.post('cloudwatch', body);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/^SigningCertURL: /);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
    // SNS retries on a 5xx: the failure was not cached.
    serve(body);
    expect((await server.post('cloudwatch', body)).status).toBe(202);
  });

  it('with toban.yml alerts.sns_topics, refuses another topic (401 naming TopicArn) before fetching', async () => {
    const body = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t5.pem'));
    const scope = serve(body);
    const config = demoConfig();
    const only = await startIntakeServer(
      testContext(db.pool, { config: { ...config, alerts: { sns_topics: [`${body.TopicArn}-other`] } } }),
      TOKEN,
    );
    try {
      expect(await only.post('cloudwatch', body)).toEqual({
        status: 401,
        body: { error: 'TopicArn: not in toban.yml alerts.sns_topics' },
      });
      expect(scope.isDone()).toBe(false);
      expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
    } finally {
      await only.close();
    }
    // The topic listed: taken.
    const listed = await startIntakeServer(
      testContext(db.pool, { config: { ...config, alerts: { sns_topics: [body.TopicArn!] } } }),
      TOKEN,
    );
    try {
      expect((await listed.post('cloudwatch', body)).status).toBe(202);
    } finally {
      await listed.close();
    }
  });

  it('refuses a body that is no SNS message (raw message delivery) 400 naming the field, as the intake does', async () => {
    const alarm = JSON.parse((fixture('cloudwatch-sns-alarm.json') as Envelope).Message!) as unknown;
    const res = await server.post('cloudwatch', alarm);
    const intake = alertIntake('cloudwatch')!.parse(alarm, new Date());
    expect(intake.ok).toBe(false);
    expect(res).toEqual({ status: 400, body: { error: (intake as { error: string }).error } });
    expect(res.body.error).toMatch(/^Type: /);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
  });

  it('keeps the token check: a signed message without the token is 401 and fetches nothing', async () => {
    const body = signSns(message('cloudwatch-sns-alarm.json', '/SimpleNotificationService-t4.pem'));
    const scope = serve(body);
    expect((await server.post('cloudwatch', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(scope.isDone()).toBe(false);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
  });
});

/** Nothing but SNS kinds is written here; anything else reaching Slack is a mistake. */
const notSlack: Deliverer = {
  transport: 'slack',
  deadlineMs: 1_000,
  async deliver(r) {
    throw new PermanentError(`not an SNS kind: ${r.kind}`);
  },
};

async function startWorker(): Promise<OutboxWorker> {
  const worker = await startOutboxWorker({
    pool: db.pool,
    listenUrl: db.url,
    deliverer: withSns(notSlack, {
      client: createSnsClient({ now: () => new Date(), timeoutMs: 1_000 }),
      callTimeoutMs: 1_000,
    }),
    log: createLogger('debug', new LogCapture()),
    metrics: createMetrics(),
    pollMs: 50,
    retryBaseMs: 20,
    retryMaxMs: 100,
    settleMs: 50,
    leaseMs: 3_000,
    leaseMarginMs: 100,
  });
  workers.push(worker);
  return worker;
}

async function outboxRows() {
  const { rows } = await db.pool.query<{ id: string; kind: string; payload: Envelope; state: string }>(
    'SELECT id::text, kind, payload, state FROM outbox ORDER BY id',
  );
  return rows;
}

describe('SubscriptionConfirmation', () => {
  it('stores the payload and one outbox row however often it comes; the row GETs SubscribeURL once', async () => {
    const body = signSns(message('sns-subscription-confirmation.json', '/SimpleNotificationService-c1.pem'));
    serve(body);
    expect(await server.post('cloudwatch', body)).toEqual({ status: 202, body: { accepted: 0 } });
    expect(await server.post('cloudwatch', body)).toEqual({ status: 202, body: { accepted: 0 } });
    expect(await counts()).toEqual({ payloads: 2, alerts: 0, outbox: 1 });
    const [row] = await outboxRows();
    expect(row).toMatchObject({
      kind: 'sns.subscription-confirm',
      payload: { topicArn: body.TopicArn, subscribeUrl: body.SubscribeURL },
    });

    const subscribe = new URL(body.SubscribeURL!);
    let gets = 0;
    nock(subscribe.origin)
      .persist()
      .get((uri) => uri.startsWith('/?Action=ConfirmSubscription'))
      .reply(200, () => {
        gets++;
        return '<ConfirmSubscriptionResponse/>';
      });
    await startWorker();
    await until(db, row!.id, 'delivered');
    expect(gets).toBe(1);
  });

  it('is not confirmed when its signature does not verify', async () => {
    const body = signSns(message('sns-subscription-confirmation.json', '/SimpleNotificationService-c2.pem'));
    serve(body);
    const forged = { ...body, SubscribeURL: body.SubscribeURL!.replace('Token=', 'Token=0') };
    expect((await server.post('cloudwatch', forged)).status).toBe(401);
    expect(await counts()).toEqual({ payloads: 0, alerts: 0, outbox: 0 });
  });

  it('gives up on a 4xx (the token expired) and retries a 5xx', async () => {
    const body = signSns(message('sns-subscription-confirmation.json', '/SimpleNotificationService-c3.pem'));
    serve(body);
    expect((await server.post('cloudwatch', body)).status).toBe(202);
    const [row] = await outboxRows();
    const subscribe = new URL(body.SubscribeURL!);
    const scope = nock(subscribe.origin)
      .get((uri) => uri.startsWith('/?Action=ConfirmSubscription'))
      .reply(503, 'busy')
      .get((uri) => uri.startsWith('/?Action=ConfirmSubscription'))
      .reply(403, 'expired');
    await startWorker();
    await until(db, row!.id, 'dead');
    expect(scope.isDone()).toBe(true); // the 503 was retried, the 403 was not (no third interceptor)
  });

  it('an UnsubscribeConfirmation is stored and writes nothing to the outbox', async () => {
    const body = signSns(
      message('sns-subscription-confirmation.json', '/SimpleNotificationService-c4.pem', {
        Type: 'UnsubscribeConfirmation',
      }),
    );
    serve(body);
    expect(await server.post('cloudwatch', body)).toEqual({ status: 202, body: { accepted: 0 } });
    expect(await counts()).toEqual({ payloads: 1, alerts: 0, outbox: 0 });
  });
});

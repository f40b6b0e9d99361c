// The sales API source against nock answering with the examples of openapi/sales.yaml.
import fs from 'node:fs';
import nock from 'nock';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sales } from '../../commands/sales.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { Pool } from '../../src/db/pool.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { createSalesClient, SalesApiError } from '../../src/integrations/sales/client.ts';
import { createSalesSource } from '../../src/services/sales/source.ts';
import { demoConfig, testContext } from '../helpers/context.ts';

const BASE = 'https://sales.test';
const TOKEN = 'sales-secret-token-123';

interface Spec {
  paths: Record<
    string,
    {
      get: {
        responses: Record<
          string,
          { content: Record<string, { examples?: Record<string, { value: unknown }>; example?: unknown }> }
        >;
      };
    }
  >;
}
const spec = parse(fs.readFileSync(new URL('../../openapi/sales.yaml', import.meta.url), 'utf8')) as Spec;
const responses = spec.paths['/v1/monthly']!.get.responses;
const example = (name: string) => responses['200']!.content['application/json']!.examples![name]!.value;
const errorExample = (status: string) => responses[status]!.content['application/json']!.example;

/** Audit rows the service writes, captured instead of a database: this suite runs without PostgreSQL. */
function recordingPool(): Pool & { audits: unknown[][] } {
  const audits: unknown[][] = [];
  return {
    audits,
    query: async (_sql: string, params: unknown[]) => (audits.push(params), { rows: [], rowCount: 1 }),
  } as unknown as Pool & {
    audits: unknown[][];
  };
}

function apiDispatcher(timeoutMs?: number) {
  const pool = recordingPool();
  const config = demoConfig({ SALES_API_URL: BASE, SALES_API_TOKEN: TOKEN });
  const ctx = testContext(pool, { config, sales: createSalesSource(config, pool, undefined, { timeoutMs }) });
  const dispatcher = new Dispatcher(ctx, { commands: [sales] });
  return {
    pool,
    ctx,
    run: (text: string, locale: Locale = 'en') =>
      dispatcher.run({ command: '/sales', text, userId: 'U0FIN1', locale }),
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('sales API source', () => {
  it('is chosen when SALES_API_URL is set, the database otherwise', () => {
    const pool = recordingPool();
    expect(createSalesSource(demoConfig({ SALES_API_URL: BASE }), pool).kind).toBe('api');
    expect(createSalesSource(demoConfig(), pool).kind).toBe('database');
  });

  it('answers /sales month by project from the byProject example, sending the bearer token', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/v1/monthly')
      .query({ from: '2024-02', to: '2024-02', group_by: 'project' })
      .reply(200, example('byProject') as nock.Body);
    const { run, pool } = apiDispatcher();
    const out = await run('month 2024-02 by project');
    expect(out.error).toBeUndefined();
    scope.done();
    const text = out.reply.message.text;
    expect(text).toContain(
      '*基幹システム保守*  forecast ¥9,000,000  actual ¥9,450,000  variance +¥450,000 (+5.0%)',
    );
    expect(text).toContain(
      '*請求書電子化*  forecast ¥6,000,000  actual ¥4,200,000  variance -¥1,800,000 (-30.0%)',
    );
    expect(text).toContain(
      '*New onboarding flow*  forecast ¥0  actual ¥120,000  variance +¥120,000 (no forecast)',
    );
    expect(JSON.stringify(out.reply.message.blocks)).toContain('Source: sales service API');
    // Audit: actor, action, args, outcome, row count, detail, request key (audit()'s parameters).
    expect(pool.audits.at(-1)).toEqual([
      'U0FIN1',
      'sales.month',
      JSON.stringify({ kind: 'month', month: '2024-02', groupBy: 'project', source: 'api' }),
      'allowed',
      3,
      null,
      null,
    ]);
  });

  it('answers /sales forecast from the monthlyTotals example, with a chart', async () => {
    nock(BASE)
      .get('/v1/monthly')
      .query({ from: '2024-01', to: '2024-03' })
      .reply(200, example('monthlyTotals') as nock.Body);
    const { run } = apiDispatcher();
    const out = await run('forecast 2024-01 2024-03', 'ja');
    expect(out.error).toBeUndefined();
    expect(out.reply.message.text).toContain(
      '*2024-02*　予測 ¥15,000,000　実績 ¥13,650,000　差異 -¥1,350,000（-9.0%）',
    );
    expect(out.reply.message.text).toContain('*2024-03*　予測 ¥18,000,000　実績 未計上');
    // March has no actual yet: the total compares January and February only (27,000,000).
    expect(out.reply.message.text).toContain(
      '*合計*　予測 ¥45,000,000　実績 ¥26,130,000　差異 -¥870,000（-3.2%、実績のある分の予測 ¥27,000,000 との比較）',
    );
    expect(out.reply.model).toMatchObject({
      total: {
        forecast: '45000000',
        actual: '26130000',
        comparedForecast: '27000000',
        variance: '-870000',
        variancePct: '-3.2',
      },
    });
    expect(out.reply.files?.[0]?.filetype).toBe('png');
  });

  it('turns a 500 into a clear message, audited as an error', async () => {
    nock(BASE)
      .get('/v1/monthly')
      .query(true)
      .reply(500, errorExample('500') as nock.Body);
    const { run, pool } = apiDispatcher();
    const out = await run('month 2024-02', 'en');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toBe(
      'The sales service did not answer (HTTP 500). Please try again in a moment.',
    );
    expect(pool.audits.at(-1)?.slice(0, 4)).toEqual([
      'U0FIN1',
      'sales.month',
      JSON.stringify({ kind: 'month', month: '2024-02', groupBy: 'department', source: 'api' }),
      'error',
    ]);
  });

  it('gives up on a slow service with a timeout message in Japanese', async () => {
    nock(BASE)
      .get('/v1/monthly')
      .query(true)
      .delay(2_000)
      .reply(200, example('monthlyTotals') as nock.Body);
    const { run } = apiDispatcher(50);
    const out = await run('forecast 2024-01 2024-03', 'ja');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('売上データが時間内に返りませんでした（0.05 秒で打ち切り）');
  });

  it('never writes the token into the logs', async () => {
    nock(BASE)
      .get('/v1/monthly')
      .query(true)
      .reply(401, errorExample('401') as nock.Body);
    const { run, ctx } = apiDispatcher();
    const out = await run('month 2024-02', 'en');
    expect(out.reply.message.text).toContain('HTTP 401');
    expect(ctx.logs.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(ctx.logs.lines)).not.toContain(TOKEN);
  });
});

describe('sales API client', () => {
  it('refuses an amount that is not an exact integer instead of rounding it', async () => {
    nock(BASE)
      .get('/v1/monthly')
      .query(true)
      .reply(200, {
        from: '2024-01',
        to: '2024-01',
        currency: 'JPY',
        rows: [{ month: '2024-01', forecast: 1.5, actual: null }],
      });
    const pool = recordingPool();
    const source = createSalesSource(demoConfig({ SALES_API_URL: BASE }), pool);
    await expect(source.monthly('2024-01', '2024-01')).rejects.toMatchObject({
      name: 'SalesSourceError',
      reason: 'unavailable',
    });
  });

  it.each([
    ['an id sent as a number', '{"type":"project","id":42,"name":"P"}', 'rows.0.group.id'],
    [
      'an id too long for a number',
      '{"type":"project","id":12345678901234567,"name":"P"}',
      'rows.0.group.id',
    ],
    ['a null name', '{"type":"project","id":"P1","name":null}', 'rows.0.group.name'],
  ])('refuses a report with %s, naming the field, instead of showing it', async (_what, group, field) => {
    // Raw JSON text: the service's bytes as sent, digits JavaScript could not hold included.
    nock(BASE)
      .get('/v1/monthly')
      .query(true)
      .reply(
        200,
        `{"from":"2024-01","to":"2024-01","group_by":"project","currency":"JPY",` +
          `"rows":[{"month":"2024-01","group":${group},"forecast":100,"actual":90}]}`,
        { 'content-type': 'application/json' },
      );
    const client = createSalesClient({ baseUrl: BASE });
    const err = await client.monthly({ from: '2024-01', to: '2024-01', group_by: 'project' }).catch((e) => e);
    expect(err).toBeInstanceOf(SalesApiError);
    expect((err as SalesApiError).reason).toBe('invalid');
    expect((err as Error).message).toContain(field);
  });

  it('uses the fetch it is given, and reports a network failure as such', async () => {
    const seen: string[] = [];
    const client = createSalesClient({
      baseUrl: `${BASE}/`,
      fetch: async (req) => {
        seen.push(req.url);
        throw new TypeError('fetch failed');
      },
    });
    const err = await client.monthly({ from: '2024-01', to: '2024-02' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesApiError);
    expect((err as SalesApiError).reason).toBe('network');
    expect(seen).toEqual([`${BASE}/v1/monthly?from=2024-01&to=2024-02`]);
  });
});

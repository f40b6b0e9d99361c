// /sales against the database source, through the Dispatcher as every transport runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sales } from '../../commands/sales.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { isStatementTimeout, readSales } from '../../src/db/sales/queries.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;

interface AuditRow {
  actor: string;
  action: string;
  args: Record<string, unknown>;
  outcome: string;
  row_count: number | null;
}

async function auditRows(actor: string): Promise<AuditRow[]> {
  const { rows } = await db.pool.query<AuditRow>(
    `SELECT actor, action, args, outcome, row_count FROM audit_log WHERE actor = $1 ORDER BY id`,
    [actor],
  );
  return rows;
}

function run(text: string, userId = 'U0FIN1', locale: Locale = 'ja') {
  return dispatcher.run({ command: '/sales', text, userId, locale });
}

beforeAll(async () => {
  db = await freshDatabase();
  // Sales data is the owner's to write; the commands below run as the bot.
  await db.ownerPool.query(`
    INSERT INTO sales.departments (id, name) VALUES ('D1', '営業一部'), ('D2', '営業二部');
    INSERT INTO sales.customers (id, name) VALUES ('C1', 'さくら商事'), ('C2', 'みなと銀行');
    INSERT INTO sales.projects (id, name, customer_id, department_id) VALUES
      ('P1', '保守', 'C1', 'D1'), ('P2', '改修', 'C2', 'D1'), ('P3', '運用', 'C2', 'D2');
    INSERT INTO sales.monthly (project_id, month, forecast, actual) VALUES
      ('P1', '2024-02-01', 1000000, 1100000),
      ('P2', '2024-02-01', 2000000, 1500000),
      ('P3', '2024-02-01',  500000,  500000),
      ('P1', '2024-03-01', 1000000, NULL),
      ('P2', '2024-03-01', 3000000, NULL);
  `);
  // Fourteen more projects in December 2023: a month too long for one message.
  for (let i = 1; i <= 14; i++) {
    const id = `L${String(i).padStart(2, '0')}`;
    await db.ownerPool.query(`INSERT INTO sales.projects VALUES ($1, $2, 'C1', 'D2')`, [id, `Project ${id}`]);
    await db.ownerPool.query(
      `INSERT INTO sales.monthly (project_id, month, forecast, actual) VALUES ($1, '2023-12-01', $2, $3)`,
      [id, String(i * 100_000), String(i * 90_000)],
    );
  }
  dispatcher = new Dispatcher(testContext(db.pool), { commands: [sales] });
});
afterAll(async () => db?.drop());

describe('/sales month', () => {
  it('shows a month by department with variance in yen and percent, and audits the row count', async () => {
    const out = await run('month 2024-02');
    expect(out.error).toBeUndefined();
    const text = out.reply.message.text;
    expect(text).toContain('2024-02 の売上予実（部門別）');
    // 営業一部: 3,000,000 forecast, 2,600,000 actual -> -400,000 (-13.3 %); 営業二部 on target.
    expect(text).toContain('*営業一部*　予測 ¥3,000,000　実績 ¥2,600,000　差異 -¥400,000（-13.3%）');
    expect(text).toContain('*営業二部*　予測 ¥500,000　実績 ¥500,000　差異 ¥0（0.0%）');
    expect(text).toContain('*合計*　予測 ¥3,500,000　実績 ¥3,100,000　差異 -¥400,000（-11.4%）');
    expect(out.reply.visibility).toBe('ephemeral');
    expect(out.reply.files).toBeUndefined();
    expect(out.reply.model).toMatchObject({
      source: 'database',
      rows: [
        { id: 'D1', forecast: '3000000', actual: '2600000', variance: '-400000', variancePct: '-13.3' },
        { id: 'D2', forecast: '500000', actual: '500000', variance: '0', variancePct: '0.0' },
      ],
      total: { forecast: '3500000', actual: '3100000' },
    });

    const audit = (await auditRows('U0FIN1')).at(-1);
    expect(audit).toEqual({
      actor: 'U0FIN1',
      action: 'sales.month',
      args: { kind: 'month', month: '2024-02', groupBy: 'department', source: 'database' },
      outcome: 'allowed',
      row_count: 2,
    });
  });

  it('breaks a month down by customer and by project, in English', async () => {
    const byCustomer = await run('month 2024/2 by customer', 'U0FIN1', 'en');
    expect(byCustomer.reply.message.text).toContain('Sales 2024-02, forecast vs actual (by customer)');
    expect(byCustomer.reply.message.text).toContain(
      '*みなと銀行*  forecast ¥2,500,000  actual ¥2,000,000  variance -¥500,000 (-20.0%)',
    );
    const byProject = await run('month 2024-03 by project', 'U0FIN1', 'en');
    expect(byProject.reply.message.text).toContain('*改修*  forecast ¥3,000,000  actual not recorded yet');
  });

  it('says so when a month has no figures', async () => {
    const out = await run('month 2020-01', 'U0FIN1', 'en');
    expect(out.error).toBeUndefined();
    expect(out.reply.message.text).toContain('There are no sales figures for 2020-01.');
    expect((await auditRows('U0FIN1')).at(-1)).toMatchObject({ action: 'sales.month', row_count: 0 });
  });

  it('sends a long month as a CSV file holding every row', async () => {
    const out = await run('month 2023-12 by project', 'U0FIN1', 'en');
    const csv = out.reply.files?.find((f) => f.filetype === 'csv');
    expect(csv?.encoding).toBe('utf8');
    const lines = csv!.content
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,name,forecast_yen,actual_yen,variance_yen,variance_pct');
    expect(lines).toHaveLength(1 + 14 + 1);
    expect(lines[1]).toBe('L14,Project L14,1400000,1260000,-140000,-10.0');
    expect(lines.at(-1)).toBe(',Total,10500000,9450000,-1050000,-10.0');
    expect(out.reply.message.text).toContain('2 more rows are in the attached CSV file.');
  });
});

describe('/sales forecast', () => {
  it('lists each month of the range with a PNG chart, months without figures included', async () => {
    const out = await run('forecast 2024-01 2024-03');
    expect(out.error).toBeUndefined();
    const text = out.reply.message.text;
    expect(text).toContain('売上予実 2024-01 〜 2024-03');
    expect(text).toContain('*2024-01*　予測 ¥0　実績 未計上');
    expect(text).toContain('*2024-02*　予測 ¥3,500,000　実績 ¥3,100,000　差異 -¥400,000（-11.4%）');
    expect(text).toContain('*2024-03*　予測 ¥4,000,000　実績 未計上');
    const png = out.reply.files?.find((f) => f.filetype === 'png');
    expect(png?.encoding).toBe('base64');
    expect(Buffer.from(png!.content, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await auditRows('U0FIN1')).at(-1)).toMatchObject({
      action: 'sales.forecast',
      args: { kind: 'forecast', from: '2024-01', to: '2024-03', source: 'database' },
      outcome: 'allowed',
      row_count: 3,
    });
  });

  it('reads this-month and last-month in the business time zone', async () => {
    const ctx = testContext(db.pool);
    // 2024-03-31T16:00Z is still March in UTC but already 1 April in Tokyo.
    ctx.clock.set('2024-03-31T16:00:00Z');
    const out = await new Dispatcher(ctx, { commands: [sales] }).run({
      command: '/sales',
      text: 'forecast last-month this-month',
      userId: 'U0FIN1',
      locale: 'en',
    });
    expect(out.reply.model).toMatchObject({ from: '2024-03', to: '2024-04' });
  });

  it('adds a CSV when the range is longer than one message shows', async () => {
    const out = await run('forecast 2023-01 2024-03', 'U0FIN1', 'en');
    expect(out.reply.files?.map((f) => f.filetype)).toEqual(['png', 'csv']);
    const csv = out.reply
      .files![1]!.content.replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(1 + 15 + 1);
    expect(csv[0]).toBe('month,forecast_yen,actual_yen,variance_yen,variance_pct');
  });
});

describe('/sales usage errors', () => {
  it('explains a reversed range in Japanese, with the help', async () => {
    const before = (await auditRows('U0FIN1')).length;
    const out = await run('forecast 2024-03 2024-01', 'U0FIN1', 'ja');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('終了月 2024-01 が開始月 2024-03 より前です。');
    expect(out.reply.message.text).toContain('`/sales` の使い方');
    // A request that was not served is audited too, as an error with its reason.
    const rows = await auditRows('U0FIN1');
    expect(rows.slice(before)).toMatchObject([
      { action: 'sales', outcome: 'error', args: { text: 'forecast 2024-03 2024-01' } },
    ]);
  });

  it('explains a too long range and a bad month in English', async () => {
    const long = await run('forecast 2022-01 2024-03', 'U0FIN1', 'en');
    expect(long.error).toBe('user');
    expect(long.reply.message.text).toContain(
      '2022-01 to 2024-03 is 27 months; at most 24 months can be asked at once.',
    );
    const bad = await run('month 2024-13', 'U0FIN1', 'en');
    expect(bad.reply.message.text).toContain('Cannot read the month `2024-13`.');
    expect(bad.reply.message.text).toContain('How to use `/sales`');
  });

  it('answers help with the grammar', async () => {
    const out = await run('help', 'U0FIN1', 'en');
    expect(out.reply.message.text).toContain('/sales forecast <YYYY-MM> <YYYY-MM>');
  });
});

describe('/sales permissions', () => {
  it('lets a member of the finance user group ask', async () => {
    const out = await run('month 2024-02', 'U0FIN2', 'en');
    expect(out.error).toBeUndefined();
    expect(await auditRows('U0FIN2')).toEqual([
      expect.objectContaining({ action: 'sales.month', outcome: 'allowed', row_count: 2 }),
    ]);
  });

  it('refuses anyone else politely and audits the refusal, without running the query', async () => {
    const out = await run('month 2024-02', 'U0BBB', 'en');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('Sorry, `/sales` is only for members of the finance team');
    expect(out.reply.message.text).not.toContain('¥');
    expect(await auditRows('U0BBB')).toEqual([
      {
        actor: 'U0BBB',
        action: 'sales',
        args: { text: 'month 2024-02' },
        outcome: 'refused',
        row_count: null,
      },
    ]);
  });
});

describe('sales reads', () => {
  it('run read-only and are cancelled by their statement timeout', async () => {
    const err = await readSales(db.pool, 50, (q) => q.query('SELECT pg_sleep(2)')).catch((e: unknown) => e);
    expect(isStatementTimeout(err)).toBe(true);
    const write = await readSales(db.pool, 1000, (q) => q.query(`DELETE FROM sales.monthly`)).catch(
      (e: unknown) => e,
    );
    expect(String(write)).toMatch(/read-only/);
  });
});

// Deterministic demo sales: three departments, four customers, six projects and 24 months of
// forecast around `today` (12 before, the current one, 11 after), with actuals for closed months.
// Loading twice, or with another seed, keeps the rows already there.
import { withTransaction, type Pool } from '../db/pool.ts';
import { insertSalesRows, type SalesDemoRows } from '../db/demo/sales.ts';
import { addMonths, monthsBetween } from '../domain/sales/month.ts';

const DEPARTMENTS = [
  { id: 'D-ENT', name: '法人営業部' },
  { id: 'D-PUB', name: '公共営業部' },
  { id: 'D-SOL', name: 'ソリューション事業部' },
];

const CUSTOMERS = [
  { id: 'C-001', name: '株式会社さくら商事' },
  { id: 'C-002', name: 'みなと銀行' },
  { id: 'C-003', name: '北海物流株式会社' },
  { id: 'C-004', name: '東都市役所' },
];

/** Monthly base forecast in units of 10,000 yen (万円). */
const PROJECTS = [
  { id: 'P-101', name: '基幹システム保守', customerId: 'C-001', departmentId: 'D-ENT', base: 900 },
  { id: 'P-102', name: '請求書電子化', customerId: 'C-001', departmentId: 'D-SOL', base: 450 },
  {
    id: 'P-201',
    name: 'インターネットバンキング改修',
    customerId: 'C-002',
    departmentId: 'D-ENT',
    base: 1200,
  },
  { id: 'P-301', name: '配送管理クラウド', customerId: 'C-003', departmentId: 'D-SOL', base: 600 },
  { id: 'P-401', name: '住民窓口システム', customerId: 'C-004', departmentId: 'D-PUB', base: 800 },
  { id: 'P-402', name: 'ヘルプデスク運用', customerId: 'C-004', departmentId: 'D-PUB', base: 150 },
];

/** Fiscal-year rhythm (April start): March peaks, August and January are quiet. Percent of base. */
const SEASON = [85, 95, 150, 90, 95, 100, 105, 80, 110, 100, 100, 110]; // Jan..Dec

/** mulberry32: a small seeded generator, so the same seed gives the same figures everywhere. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi], from the generator. */
function between(rand: () => number, lo: number, hi: number): bigint {
  return BigInt(lo + Math.floor(rand() * (hi - lo + 1)));
}

export function salesDemoRows(opts: { seed?: number; today: string }): SalesDemoRows {
  const rand = generator(opts.seed ?? 1);
  const current = opts.today.slice(0, 7);
  const months = monthsBetween(addMonths(current, -12), addMonths(current, 11));
  const monthly: SalesDemoRows['monthly'] = [];
  for (const p of PROJECTS) {
    for (const month of months) {
      const season = BigInt(SEASON[Number(month.slice(5, 7)) - 1] ?? 100);
      // 万円 × percent, rounded down to 10,000 yen.
      const forecast = ((BigInt(p.base) * season) / 100n) * 10_000n;
      // Closed months have an actual between 80 % and 120 % of the forecast, to the 1,000 yen.
      const ratio = between(rand, 800, 1200);
      const actual = month < current ? ((forecast * ratio) / 1_000_000n) * 1_000n : null;
      monthly.push({ projectId: p.id, month, forecast, actual });
    }
  }
  return {
    departments: DEPARTMENTS,
    customers: CUSTOMERS,
    projects: PROJECTS.map(({ id, name, customerId, departmentId }) => ({
      id,
      name,
      customerId,
      departmentId,
    })),
    monthly,
  };
}

export async function loadSalesDemo(pool: Pool, opts: { seed?: number; today: string }): Promise<void> {
  const rows = salesDemoRows(opts);
  await withTransaction(pool, (tx) => insertSalesRows(tx, rows));
}

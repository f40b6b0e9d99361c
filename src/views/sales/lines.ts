// Pieces shared by the /sales views: one line of figures, the CSV, and the JSON model.
import type { KnownBlock } from '@slack/types';
import { formatPermille, type Figures, type Totals } from '../../domain/sales/figures.ts';
import type { SalesSourceKind, WithVariance } from '../../domain/sales/report.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { Reply, ReplyFile } from '../../core/command.ts';
import { context, header, section, sections, yen } from '../common.ts';
import { csvText } from '../csv.ts';

/** More rows than this go out as a CSV file; the message shows the first ones. */
export const MAX_LINES = 12;

function signedYen(v: bigint): string {
  return v > 0n ? `+${yen(v)}` : yen(v);
}

function isTotals(f: Figures): f is Totals {
  return 'comparedForecast' in f;
}

/** One row of figures; a total whose actuals cover only part of its forecast says what it compares. */
export function figureLine(locale: Locale, name: string, f: WithVariance<Figures>): string {
  if (!f.variance) return t(locale, 'sales.line.no_actual', { name, forecast: yen(f.forecast) });
  const { diff, permille } = f.variance;
  const partial = isTotals(f) && f.comparedForecast !== f.forecast;
  return t(locale, partial ? 'sales.line.partial' : 'sales.line', {
    name,
    forecast: yen(f.forecast),
    actual: yen(f.actual ?? 0n),
    diff: signedYen(diff),
    pct: permille === null ? t(locale, 'sales.pct.none') : formatPermille(permille),
    base: partial ? yen(f.comparedForecast) : '',
  });
}

export function footer(locale: Locale, source: SalesSourceKind): KnownBlock {
  return context(t(locale, 'sales.footer', { source: t(locale, `sales.source.${source}`) }));
}

/** Figures as JSON: integer yen as exact decimal strings (JSON numbers cannot hold every bigint). */
export function figuresJson(f: WithVariance<Figures>): Record<string, string | null> {
  return {
    forecast: f.forecast.toString(),
    actual: f.actual === null ? null : f.actual.toString(),
    variance: f.variance ? f.variance.diff.toString() : null,
    variancePct: f.variance?.permille == null ? null : formatPermille(f.variance.permille).replace('%', ''),
    ...(isTotals(f) ? { comparedForecast: f.comparedForecast.toString() } : {}),
  };
}

export interface CsvRow {
  label: string[];
  figures: WithVariance<Figures>;
}

/** A CSV for spreadsheets (see ../csv.ts: BOM, CRLF), yen as plain integers. */
export function figuresCsv(locale: Locale, labelColumns: string[], rows: CsvRow[]): string {
  const head = [
    ...labelColumns.map((c) => t(locale, `sales.csv.${c}`)),
    ...['forecast', 'actual', 'diff', 'pct'].map((c) => t(locale, `sales.csv.${c}`)),
  ];
  const body = rows.map(({ label, figures }) => {
    const j = figuresJson(figures);
    return [...label, j.forecast, j.actual ?? '', j.variance ?? '', j.variancePct ?? ''];
  });
  return csvText([head, ...body]);
}

/** The common shape of a /sales reply: title, figure lines, the total, where the figures came from. */
export function figuresReply(
  locale: Locale,
  parts: {
    title: string;
    lines: string[];
    totalLine: string;
    source: SalesSourceKind;
    model: unknown;
    files: ReplyFile[];
  },
): Reply {
  const blocks: KnownBlock[] = [
    header(parts.title),
    ...sections(parts.lines),
    section(parts.totalLine),
    footer(locale, parts.source),
  ];
  const text = [parts.title, ...parts.lines, parts.totalLine].join('\n');
  return {
    visibility: 'ephemeral',
    message: { text, blocks },
    model: parts.model,
    ...(parts.files.length ? { files: parts.files } : {}),
  };
}

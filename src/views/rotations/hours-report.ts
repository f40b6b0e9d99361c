// /oncall report: hours on duty per person in a month, per rotation, with night and weekend/holiday
// hours apart; a CSV of every line and a PNG chart per rotation with anyone on duty. The model
// (`toban run --json`) gives minutes as integers (shifts and overrides begin on the minute).
import type { KnownBlock } from '@slack/types';
import type { Reply, ReplyFile } from '../../core/command.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { HoursReport, RotationHours } from '../../services/rotations/report.ts';
import { context, header, sections } from '../common.ts';
import { csvFile } from '../csv.ts';
import { svgToPng } from '../sales/png.ts';
import { asciiLabel, hoursChartSvg } from './hours-chart.ts';

const MINUTE_MS = 60_000;
const minutes = (ms: number): number => Math.round(ms / MINUTE_MS);

/** Hours to two decimals at most, as people read them: 168, 7.5, 0.25. */
export function hoursText(ms: number): string {
  return String(Math.round(ms / 36_000) / 100);
}

function totals(r: RotationHours) {
  return r.people.reduce(
    (s, p) => ({
      totalMs: s.totalMs + p.totalMs,
      nightMs: s.nightMs + p.nightMs,
      offDayMs: s.offDayMs + p.offDayMs,
    }),
    { totalMs: 0, nightMs: 0, offDayMs: 0 },
  );
}

/** The reply's data: minutes per person and per rotation. */
export function hoursReportModel(report: HoursReport) {
  return {
    month: report.month,
    rotations: report.rotations.map((r) => {
      const sum = totals(r);
      return {
        id: r.id,
        name: r.name,
        timeZone: r.timeZone,
        start: r.start,
        end: r.end,
        coveredMinutes: minutes(r.coveredMs),
        people: r.people.map((p) => ({
          userId: p.userId,
          ...(p.name ? { name: p.name } : {}),
          minutes: minutes(p.totalMs),
          nightMinutes: minutes(p.nightMs),
          offDayMinutes: minutes(p.offDayMs),
        })),
        total: {
          minutes: minutes(sum.totalMs),
          nightMinutes: minutes(sum.nightMs),
          offDayMinutes: minutes(sum.offDayMs),
        },
      };
    }),
  };
}

function rotationLines(r: RotationHours, locale: Locale): string[] {
  const head = t(locale, 'rotations.report_rotation', {
    rotation: r.name,
    zone: r.timeZone,
    covered: hoursText(r.coveredMs),
  });
  if (r.people.length === 0) return [head, t(locale, 'rotations.report_nobody')];
  const line = (who: string, h: { totalMs: number; nightMs: number; offDayMs: number }) =>
    t(locale, 'rotations.report_line', {
      who,
      hours: hoursText(h.totalMs),
      night: hoursText(h.nightMs),
      offDay: hoursText(h.offDayMs),
    });
  return [
    head,
    ...r.people.map((p) => line(`<@${p.userId}>`, p)),
    line(t(locale, 'rotations.report_total'), totals(r)),
  ];
}

function csvOf(report: HoursReport, locale: Locale): ReplyFile {
  const head = ['rotation', 'user', 'name', 'hours', 'night', 'off_day'].map((c) =>
    t(locale, `rotations.report_csv.${c}`),
  );
  const rows = report.rotations.flatMap((r) => [
    ...r.people.map((p) => [
      r.id,
      p.userId,
      p.name ?? '',
      hoursText(p.totalMs),
      hoursText(p.nightMs),
      hoursText(p.offDayMs),
    ]),
    (({ totalMs, nightMs, offDayMs }) => [
      r.id,
      '',
      t(locale, 'rotations.report_total'),
      hoursText(totalMs),
      hoursText(nightMs),
      hoursText(offDayMs),
    ])(totals(r)),
  ]);
  return csvFile(
    `oncall-hours-${report.month}.csv`,
    t(locale, 'rotations.report_csv_title', { month: report.month }),
    head,
    rows,
  );
}

function chartOf(r: RotationHours, month: string, locale: Locale): ReplyFile {
  const bars = r.people.map((p) => ({
    label: asciiLabel(p.name, p.userId),
    total: p.totalMs / 3_600_000,
    night: p.nightMs / 3_600_000,
    offDay: p.offDayMs / 3_600_000,
  }));
  return {
    filename: `oncall-hours-${month}-${r.id}.png`,
    title: t(locale, 'rotations.report_chart_title', { rotation: r.name, month }),
    content: svgToPng(hoursChartSvg(bars, `On-call hours ${month}  ${asciiLabel(r.name, r.id)}`)).toString(
      'base64',
    ),
    encoding: 'base64',
    filetype: 'png',
  };
}

export function hoursReportView(report: HoursReport, locale: Locale): Reply {
  const title = t(locale, 'rotations.report_title', { month: report.month });
  const parts = report.rotations.map((r) => rotationLines(r, locale));
  const note = t(locale, 'rotations.report_note');
  const blocks: KnownBlock[] = [header(title), ...parts.flatMap((lines) => sections(lines)), context(note)];
  const text = [title, ...parts.flat(), note].join('\n');
  const charts = report.rotations
    .filter((r) => r.people.length > 0)
    .map((r) => chartOf(r, report.month, locale));
  return {
    visibility: 'ephemeral',
    message: { text, blocks },
    model: hoursReportModel(report),
    files: [csvOf(report, locale), ...charts],
  };
}

// The one CSV writer of every view (ledger and sales files): RFC 4180 (fields quoted when they hold
// a comma, a quote or a line break; records ended by CRLF) with a UTF-8 byte-order mark, so Excel
// opens Japanese text correctly without an import dialog. Written with csv-stringify.
import { stringify } from 'csv-stringify/sync';
import type { ReplyFile } from '../core/command.ts';

/** One CSV field: text as is, a number in its decimal form, null or undefined as an empty field. */
export type CsvField = string | number | null | undefined;

/** The byte-order mark that makes Excel read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';

/**
 * A text field a spreadsheet would run as a formula (it starts with = + - @, a tab or a CR), with a
 * leading apostrophe so it is shown as text: display names, memos and customer text are typed by
 * people (OWASP, "CSV Injection"). Numbers, negative ones included, are left as numbers.
 */
function inert(v: CsvField): string {
  if (v == null) return '';
  if (typeof v === 'number') return String(v);
  if (/^[-+]?\d+(\.\d+)?$/.test(v)) return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Records (the first is usually the header) as CSV text: BOM first, every record ended by CRLF. */
export function csvText(records: readonly (readonly CsvField[])[]): string {
  const cells = records.map((r) => r.map(inert));
  // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR; a memo
  // with a line break would then split its record in Excel, so any line break is quoted too.
  return CSV_BOM + stringify(cells, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** A CSV reply file (UTF-8 text) of a header row and data rows. */
export function csvFile(
  filename: string,
  title: string,
  header: readonly string[],
  rows: readonly (readonly CsvField[])[],
): ReplyFile {
  return { filename, title, content: csvText([header, ...rows]), encoding: 'utf8', filetype: 'csv' };
}

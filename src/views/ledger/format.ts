// Pieces shared by the /ledger views: monospace tables that line up with Japanese text, labels for
// kinds and sides. CSV files are written by ../csv.ts, the one CSV writer.
import { t, hasKey, type Locale } from '../../i18n/index.ts';
import type { AccountModel } from '../../services/ledger/models.ts';

/** Columns a character takes in a monospace font: CJK and full-width forms take two. */
function charWidth(cp: number): number {
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6)
  )
    return 2;
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + fill : fill + s;
}

/** Rows (the first is the header) as aligned text lines. */
export function table(rows: string[][], align: ('left' | 'right')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) =>
    align
      .map((a, i) => pad(r[i] ?? '', widths[i]!, a))
      .join('  ')
      .trimEnd(),
  );
}

export function accountName(a: AccountModel, locale: Locale): string {
  return `${a.code} ${locale === 'ja' ? a.nameJa : a.nameEn}`;
}

export function kindLabel(kind: string, locale: Locale): string {
  const key = `ledger.kind.${kind}`;
  return hasKey(key) ? t(locale, key) : kind;
}

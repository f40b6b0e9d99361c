// Text from outside (Slack payloads, the console, `toban run`) is cleaned once, where it enters, so
// nothing behind the boundary meets a character that breaks storage or display:
// - NUL and the other C0/C1 control characters (PostgreSQL's text and jsonb refuse U+0000; the others
//   garble logs, terminals and CSV) are removed; tab and line feed stay, CR LF becomes LF;
// - a lone UTF-16 surrogate (not valid Unicode, refused by jsonb) becomes U+FFFD;
// - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed, so the audit log
//   and a reply show the characters in the order they were typed ("Trojan Source", CVE-2021-42574).
// It does not fold width or case: that is each command grammar's business (NFKC for keywords), and
// free text such as a question or a title is kept as the person wrote it.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with control characters removed and lone surrogates replaced (see the module comment). */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '');
}

/**
 * Cleans every string inside a parsed JSON value (object keys too), returning a new value; other
 * values are returned as they are. For whole Slack payloads before they are stored or dispatched.
 */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v) => cleanStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanStrings(v);
    return out as T;
  }
  return value;
}

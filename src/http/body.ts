// Reading a request body: at most 1 MiB (413 beyond), JSON or form-encoded with or without a
// charset (only UTF-8 is taken), aborted and short bodies answered 400. raw-body does the reading
// (limits, Content-Length checks, aborts); content-type parses the header.
import type { IncomingMessage } from 'node:http';
import * as contentType from 'content-type';
import getRawBody from 'raw-body';
import { HttpError } from './errors.ts';

/** The largest body any route takes: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The deepest nesting of arrays and objects a JSON body may have. Real webhooks nest about a dozen
 * levels (a Sentry event's stack frame variables are the deepest); the code after parsing
 * (JSON.stringify, zod, the jsonb column) recurses per level and overflows the stack near 5,000,
 * which a 1 MiB body reaches easily (the alert fuzz found it: 10,000 levels answered 500).
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether JSON text `text` nests arrays and objects more than `limit` levels deep (brackets inside
 * strings do not count). A scan of the characters, without recursion, so it answers for any depth;
 * it checks nesting only, not that the text is JSON.
 */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote among them
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export type BodyType = 'json' | 'form';

export interface RawBody {
  /** The bytes as sent (a signature covers these, not a re-encoding). */
  raw: Buffer;
  type: BodyType;
}

const TYPES: Record<string, BodyType> = {
  'application/json': 'json',
  'application/x-www-form-urlencoded': 'form',
};

/** The body's type from its Content-Type header; throws HttpError 415 for anything else. */
export function bodyType(header: string | undefined): BodyType {
  let parsed: contentType.ContentType;
  try {
    parsed = contentType.parse(header ?? '');
  } catch {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'expected application/json or application/x-www-form-urlencoded',
    );
  }
  const type = TYPES[parsed.type];
  const charset = parsed.parameters.charset?.toLowerCase();
  if (!type || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8'))
    throw new HttpError(
      415,
      'unsupported_media_type',
      'expected application/json or application/x-www-form-urlencoded in UTF-8',
    );
  return type;
}

/**
 * Reads the whole body (up to `limit` bytes, default 1 MiB). Throws HttpError: 415 for a content type
 * other than JSON or form, 413 over the limit, 400 when the body is shorter than its Content-Length
 * or the client gave up.
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<RawBody> {
  const type = bodyType(req.headers['content-type']);
  try {
    const raw = await getRawBody(req, { length: req.headers['content-length'], limit });
    return { raw, type };
  } catch (err) {
    const e = err as { status?: number; type?: string };
    if (e.status === 413) throw new HttpError(413, 'body_too_large', `the body is over ${limit} bytes`);
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
      throw new HttpError(400, e.type ?? 'bad_body', 'the body could not be read');
    throw err;
  }
}

// The JSON of a reply's data model, as `toban run --json` prints it. One rule for every command:
// a yen amount or an identifier is a decimal string (a bigint is written as one), because every
// JSON reader reads a number into a 64-bit float, exact only up to 2^53 (16 digits are not safe).
// Numbers are left for counts and positions (a line's number within its entry); one that a reader
// could not hold exactly is refused, not rounded.

/** Thrown when a model holds a number a JSON reader would round: a bug in the model, not input. */
export class UnsafeJsonNumberError extends Error {
  constructor(path: string, value: number) {
    super(`model value at ${path || '(root)'} is ${value}, which JSON readers cannot hold exactly`);
    this.name = 'UnsafeJsonNumberError';
  }
}

function plain(value: unknown, path: string): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new UnsafeJsonNumberError(path, value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => plain(v, path ? `${path}.${i}` : String(i)));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object')
    // fromEntries defines own properties: a key "__proto__" stays a key.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, plain(v, path ? `${path}.${k}` : k)]),
    );
  return value;
}

/**
 * A reply model as indented JSON text: bigint as decimal strings, strings exactly as they are.
 * @throws UnsafeJsonNumberError for a number that is not a safe integer (2^53 and beyond, fractions).
 */
export function modelJson(model: unknown): string {
  return JSON.stringify(plain(model, ''), null, 2);
}

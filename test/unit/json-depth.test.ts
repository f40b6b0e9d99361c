// How deep a JSON body nests (src/http/body.ts jsonDeeperThan): arrays and objects count, brackets
// inside strings (escaped quotes among them) do not, and any depth is measured without recursion
// (the alert fuzz's 100,000 levels are what overflowed the code after JSON.parse).
import { describe, expect, it } from 'vitest';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../../src/http/body.ts';

const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('jsonDeeperThan', () => {
  it('counts arrays and objects, and answers at the limit and one over', () => {
    for (const nest of [arrays, objects]) {
      expect(jsonDeeperThan(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
      expect(jsonDeeperThan(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    }
    expect(jsonDeeperThan('{"a":[{"b":[1]}],"c":{}}', 4)).toBe(false);
    expect(jsonDeeperThan('{"a":[{"b":[1]}],"c":{}}', 3)).toBe(true);
    expect(jsonDeeperThan('7', 0)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(JSON.stringify({ a: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: 'say "[[[[" \\ [' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: '\\', b: [[1]] }), 2)).toBe(true);
  });

  it('measures a million levels without overflowing the stack', () => {
    expect(jsonDeeperThan(arrays(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

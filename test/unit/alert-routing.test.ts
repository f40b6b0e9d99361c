// toban.yml routes (issue 9 item 4): equality, negation, anchored regular expressions, first match
// wins, channels.alerts when nothing matches; and a regular expression that does not compile is
// refused when the config is read, on its field.
import { describe, expect, it } from 'vitest';
import { parseMatcher, routeAlert, type RouteRule } from '../../src/domain/alert-routing.ts';
import { parseFileConfig } from '../../src/config/load.ts';
import { DEMO_CONFIG_YAML } from '../../src/demo/config.ts';

const routes: RouteRule[] = [
  { match: { service: 'billing', env: '!=staging' }, channel: 'C0BILLING', policy: 'default' },
  { match: { alertname: '=~Ledger.*' }, channel: 'C0LEDGER' },
  { match: { team: '!~^(qa|test)-.*', service: 'web' }, channel: 'C0WEB' },
  { match: {}, channel: 'C0CATCHALL' },
];

describe('routeAlert', () => {
  it('sends billing outside staging to its channel with its policy', () => {
    expect(routeAlert(routes, { service: 'billing', env: 'prod' }, 'C0DEFAULT')).toEqual({
      channel: 'C0BILLING',
      policy: 'default',
      route: 0,
    });
  });

  it('reads an absent label as empty: != matches it', () => {
    expect(routeAlert(routes, { service: 'billing' }, 'C0DEFAULT').channel).toBe('C0BILLING');
  });

  it('passes billing on staging to the next route that matches', () => {
    expect(
      routeAlert(routes, { service: 'billing', env: 'staging', alertname: 'LedgerLag' }, 'C0DEFAULT').channel,
    ).toBe('C0LEDGER');
  });

  it('anchors a regular expression at both ends', () => {
    expect(routeAlert(routes, { alertname: 'NotLedgerLag' }, 'C0DEFAULT').channel).toBe('C0CATCHALL');
    expect(routeAlert(routes, { alertname: 'Ledger' }, 'C0DEFAULT').channel).toBe('C0LEDGER');
  });

  it('negates a regular expression with !~', () => {
    expect(routeAlert(routes, { service: 'web', team: 'qa-1' }, 'C0DEFAULT').channel).toBe('C0CATCHALL');
    expect(routeAlert(routes, { service: 'web', team: 'payments' }, 'C0DEFAULT').channel).toBe('C0WEB');
  });

  it('falls back to channels.alerts, with no policy, when no route matches', () => {
    expect(routeAlert(routes.slice(0, 2), { service: 'web' }, 'C0DEFAULT')).toEqual({ channel: 'C0DEFAULT' });
  });

  it('takes == as plain equality, for values that begin with = or !', () => {
    expect(parseMatcher('x', '==!=a')).toEqual({ op: 'eq', name: 'x', value: '!=a' });
    expect(routeAlert([{ match: { x: '==!=a' }, channel: 'C1' }], { x: '!=a' }, 'C0').channel).toBe('C1');
  });
});

describe('toban.yml routes', () => {
  it('refuses a regular expression that does not compile, naming the route', () => {
    const yaml = DEMO_CONFIG_YAML.replace('match: { service: billing }', 'match: { service: "=~(billing" }');
    expect(() => parseFileConfig(yaml, 'toban.yml')).toThrow(
      /routes\[0\]\.match\.service: expected a valid regular expression/,
    );
  });
});

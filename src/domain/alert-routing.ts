// Where an alert goes: toban.yml's `routes`, read top to bottom, first match wins (README "Routing
// alerts"). A route's `match` maps a label name to a matcher written as a YAML string:
//
//   billing        the label equals "billing"
//   "!=staging"    the label is not "staging" (an absent label reads as "", as in Prometheus)
//   "=~^Ledger.*"  the label matches the regular expression, anchored at both ends (Prometheus'
//                  rule: "=~Ledger.*" and "=~^Ledger.*$" mean the same)
//   "!~^test-"     the label does not match the regular expression
//   "==!=x"        equality with a value that itself begins with = or !  ("==" then the value)
//
// A route with an empty `match` matches everything. No route matching: channels.alerts, no policy.
// Pure.

export type LabelMatcher =
  | { op: 'eq' | 'ne'; name: string; value: string }
  | { op: 're' | 'nre'; name: string; value: string; re: RegExp };

export interface RouteRule {
  match: Readonly<Record<string, string>>;
  channel: string;
  policy?: string | undefined;
}

export interface AlertRoute {
  channel: string;
  policy?: string;
  /** Index in `routes` of the route that matched; undefined for the default. */
  route?: number;
}

/**
 * One matcher from its YAML text.
 * @throws SyntaxError for a regular expression JavaScript cannot compile (config load reports it on
 *   the route's field).
 */
export function parseMatcher(name: string, text: string): LabelMatcher {
  if (text.startsWith('==')) return { op: 'eq', name, value: text.slice(2) };
  if (text.startsWith('!=')) return { op: 'ne', name, value: text.slice(2) };
  if (text.startsWith('=~') || text.startsWith('!~')) {
    const value = text.slice(2);
    const re = new RegExp(`^(?:${value})$`, 'u');
    return { op: text.startsWith('=~') ? 're' : 'nre', name, value, re };
  }
  return { op: 'eq', name, value: text };
}

export function matches(m: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const v = Object.hasOwn(labels, m.name) ? (labels[m.name] ?? '') : '';
  switch (m.op) {
    case 'eq':
      return v === m.value;
    case 'ne':
      return v !== m.value;
    case 're':
      return m.re.test(v);
    case 'nre':
      return !m.re.test(v);
  }
}

const compiled = new WeakMap<readonly RouteRule[], LabelMatcher[][]>();

function compile(routes: readonly RouteRule[]): LabelMatcher[][] {
  let out = compiled.get(routes);
  if (!out) {
    out = routes.map((r) => Object.entries(r.match).map(([name, text]) => parseMatcher(name, text)));
    compiled.set(routes, out);
  }
  return out;
}

/** The route of an alert with these labels: the first route all of whose matchers hold. */
export function routeAlert(
  routes: readonly RouteRule[],
  labels: Readonly<Record<string, string>>,
  defaultChannel: string,
): AlertRoute {
  const matchers = compile(routes);
  for (const [i, route] of routes.entries()) {
    if ((matchers[i] ?? []).every((m) => matches(m, labels)))
      return { channel: route.channel, ...(route.policy ? { policy: route.policy } : {}), route: i };
  }
  return { channel: defaultChannel };
}

// The matchers the Silence button on an alert group's message silences with (GLOSSARY.md "Silence").
//
// The rule: a silence from the button should hold the group's alerts, present and to come, and
// nothing else. So it is built from labels every alert of the group shares, with `=`:
// - Alertmanager: `alertname` plus the group's grouping labels (its route's `group_by`), which are
//   the label set at the end of Alertmanager's groupKey (`{}/{}:{alertname="X", service="y"}`; see
//   prometheus/alertmanager dispatch/dispatch.go aggrGroup.GroupKey). Those are exactly what puts
//   a new alert into this group, so the silence catches the group's future alerts too, and not a
//   per-instance label that only today's alerts happen to share. The label names are read from the
//   key; the values from the alerts themselves (no need to undo Go's %q quoting).
// - Every other source: its group key is its own (a Grafana groupKey, a Datadog aggregation key, a
//   digest), so the labels every alert of the group shares are used, all of them.
// Labels not shared by every alert are left out (a silence on them would miss part of the group).
// Pure.
import type { AlertSource } from './alert.ts';
import type { Matcher } from './silence.ts';

const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="/g;

/** The label names of an Alertmanager groupKey's last label set, `{}:{a="1", b="2"}` -> [a, b]. */
export function groupingLabelNames(groupKey: string): string[] {
  const at = groupKey.lastIndexOf(':{');
  if (at < 0 || !groupKey.endsWith('}')) return [];
  const names: string[] = [];
  // A value could hold `x="`: only names right after `{` or `, ` are names.
  for (const m of groupKey.slice(at + 1).matchAll(LABEL)) {
    const before = groupKey.slice(at + 1).slice(0, m.index);
    if (before === '{' || before.endsWith(', ')) names.push(m[1]!);
  }
  return names;
}

/** The labels (name -> value) every one of `labelSets` has with the same value. */
export function sharedLabels(labelSets: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = labelSets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(first))
    if (value !== '' && rest.every((l) => l[name] === value)) out[name] = value;
  return out;
}

/**
 * The matchers of a silence that holds the group (see the rule above), sorted by label name; empty
 * when its alerts share no label to silence on (then /alerts silence with typed matchers is the way).
 */
export function groupSilenceMatchers(
  source: AlertSource,
  groupKey: string,
  alertLabels: readonly Readonly<Record<string, string>>[],
): Matcher[] {
  const shared = sharedLabels(alertLabels);
  const names =
    source === 'alertmanager' ? ['alertname', ...groupingLabelNames(groupKey)] : Object.keys(shared);
  return [...new Set(names)]
    .filter((n) => shared[n] !== undefined)
    .sort()
    .map((name) => ({ name, op: '=' as const, value: shared[name]! }));
}

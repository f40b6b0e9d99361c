// The Silence button's matchers (src/domain/alert-silence-matchers.ts): for Alertmanager, alertname
// and the grouping labels read from the groupKey, never a label only today's alerts share; for the
// other sources, every label all the group's alerts share; nothing when they share none.
import { describe, expect, it } from 'vitest';
import {
  groupingLabelNames,
  groupSilenceMatchers,
  sharedLabels,
} from '../../src/domain/alert-silence-matchers.ts';

describe('groupingLabelNames', () => {
  it('reads the names of the groupKey’s last label set', () => {
    expect(groupingLabelNames('{}:{alertname="DiskFull"}')).toEqual(['alertname']);
    expect(groupingLabelNames('{}/{test="true"}:{service="billing", env="prod"}')).toEqual([
      'service',
      'env',
    ]);
    expect(groupingLabelNames('{}/{test="true"}:{}')).toEqual([]);
  });

  it('takes names only, not a value holding = or a quoted name (Go %q escapes its quotes)', () => {
    expect(groupingLabelNames('{}:{job="a, b=\\"x\\"", service="s=t"}')).toEqual(['job', 'service']);
    expect(groupingLabelNames('not a group key')).toEqual([]);
  });
});

describe('groupSilenceMatchers', () => {
  const alerts = [
    { alertname: 'DiskFull', service: 'billing', instance: 'db-1', severity: 'critical' },
    { alertname: 'DiskFull', service: 'billing', instance: 'db-2', severity: 'critical' },
  ];

  it('Alertmanager: alertname and the grouping labels, not the other shared ones', () => {
    expect(groupSilenceMatchers('alertmanager', '{}:{service="billing"}', [alerts[0]!])).toEqual([
      { name: 'alertname', op: '=', value: 'DiskFull' },
      { name: 'service', op: '=', value: 'billing' },
    ]);
  });

  it('other sources: every label all the alerts share', () => {
    expect(groupSilenceMatchers('generic', 'abc', alerts)).toEqual([
      { name: 'alertname', op: '=', value: 'DiskFull' },
      { name: 'service', op: '=', value: 'billing' },
      { name: 'severity', op: '=', value: 'critical' },
    ]);
  });

  it('is empty when the alerts share nothing', () => {
    expect(groupSilenceMatchers('generic', 'k', [{ a: '1' }, { a: '2' }])).toEqual([]);
    expect(sharedLabels([])).toEqual({});
    expect(sharedLabels([{ a: '' }])).toEqual({});
  });
});

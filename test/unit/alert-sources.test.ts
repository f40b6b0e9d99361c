// Each alert source's real payloads (test/fixtures/alerts) normalised: fingerprint, grouping key,
// status, severity, title, links; resolved payloads resolve, and an alert's firing and resolved
// deliveries share their grouping key. Also what a malformed payload is answered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_INTAKES, alertIntake, type PayloadResult } from '../../handlers/alerts/index.ts';
import { describeIssue, formatPath } from '../../handlers/alerts/describe-issue.ts';
import { parseTitle } from '../../handlers/alerts/datadog.ts';
import { ALERT_LIMITS, type AlertSource, type NormalizedAlert } from '../../src/domain/alert.ts';

const receivedAt = new Date('2026-11-30T01:02:03Z');

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8'));
}

function parse(source: AlertSource, body: unknown): PayloadResult {
  return ALERT_INTAKES[source].parse(body, receivedAt);
}

/** The alerts of a fixture that must be accepted. */
function alertsOf(source: AlertSource, name: string): NormalizedAlert[] {
  const result = parse(source, fixture(name));
  if (!result.ok) throw new Error(`${name} refused: ${result.error}`);
  return result.alerts;
}

function only(source: AlertSource, name: string): NormalizedAlert {
  const alerts = alertsOf(source, name);
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
}

function refusal(source: AlertSource, body: unknown): string {
  const result = parse(source, body);
  if (result.ok) throw new Error('accepted');
  return result.error;
}

describe('alertmanager (webhook v4)', () => {
  it('takes the group key, the fingerprint, the severity label and the links of a firing alert', () => {
    const a = only('alertmanager', 'alertmanager-firing.json');
    expect(a).toMatchObject({
      source: 'alertmanager',
      groupKey: '{}:{alertname="DiskFull"}',
      fingerprint: 'f1db51c970ce39f7',
      status: 'firing',
      severity: 'critical',
      title: 'DiskFull',
      summary: 'Disk 95% full on db-1',
      service: 'billing',
      startsAt: new Date('2026-11-20T22:54:07Z'),
      links: { runbook: 'https://example.invalid/runbook', source: 'http://127.0.0.1:9090/graph?g0.expr=up' },
    });
    expect(a.labels).toEqual({
      alertname: 'DiskFull',
      instance: 'db-1:9100',
      service: 'billing',
      severity: 'critical',
    });
    expect(a.endsAt).toBeUndefined();
  });

  it('resolves with its end time, in the same group and with the same fingerprint', () => {
    const firing = only('alertmanager', 'alertmanager-firing.json');
    const resolved = only('alertmanager', 'alertmanager-resolved.json');
    expect(resolved.status).toBe('resolved');
    expect(resolved.endsAt).toEqual(new Date('2026-11-20T22:54:23Z'));
    expect([resolved.groupKey, resolved.fingerprint]).toEqual([firing.groupKey, firing.fingerprint]);
    // An empty generatorURL is no link.
    expect(resolved.links.source).toBeUndefined();
  });

  it('reads the severity "info" of a rule relayed by Prometheus', () => {
    expect(only('alertmanager', 'alertmanager-from-prometheus.json')).toMatchObject({
      severity: 'info',
      title: 'AlwaysFiring',
      fingerprint: '32a2ddd10fadf757',
      startsAt: new Date('2026-11-20T22:55:21.384Z'),
    });
  });

  it('reports truncatedAlerts, takes each alert’s own status, and defaults the severity to warning', () => {
    const body = fixture('alertmanager-firing.json') as Record<string, unknown> & { alerts: object[] };
    const [first] = body.alerts as Record<string, unknown>[];
    const second: Record<string, unknown> = {
      ...first,
      status: 'resolved',
      labels: { alertname: 'DiskFull', instance: 'db-2:9100' },
    };
    delete second.fingerprint;
    const result = parse('alertmanager', { ...body, alerts: [first, second], truncatedAlerts: 3 });
    expect(result.ok && result.truncated).toBe(3);
    if (!result.ok) return;
    expect(result.alerts.map((a) => [a.status, a.severity, a.groupKey])).toEqual([
      ['firing', 'critical', '{}:{alertname="DiskFull"}'],
      ['resolved', 'warning', '{}:{alertname="DiskFull"}'],
    ]);
    // Without Alertmanager's fingerprint: ours, stable for the label set whatever its order.
    expect(result.alerts[1]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const reordered = { ...second, labels: { instance: 'db-2:9100', alertname: 'DiskFull' } };
    const again = parse('alertmanager', { ...body, alerts: [reordered] });
    expect(again.ok && again.alerts[0]!.fingerprint).toBe(result.alerts[1]!.fingerprint);
  });

  it('refuses a payload of another version, and one whose labels are not an object, naming the field', () => {
    const body = fixture('alertmanager-firing.json') as Record<string, unknown>;
    expect(refusal('alertmanager', { ...body, version: '3' })).toBe('version: expected "4"');
    const alerts = [{ ...(body.alerts as object[])[0], labels: ['x'] }];
    expect(refusal('alertmanager', { ...body, alerts })).toBe('alerts[0].labels: expected an object');
    expect(refusal('alertmanager', { ...body, groupKey: undefined })).toBe('groupKey: required (a string)');
    expect(refusal('alertmanager', [])).toBe('body: expected an object');
  });
});

describe('grafana (unified alerting)', () => {
  it('takes the group key, fingerprint, severity label, and the panel as the dashboard link', () => {
    expect(only('grafana', 'grafana-firing.json')).toMatchObject({
      source: 'grafana',
      groupKey: '{}/{}:{alertname="PaymentSyncLag"}',
      fingerprint: '7c1f0a4bb1e2d3c4',
      status: 'firing',
      severity: 'warning',
      title: 'PaymentSyncLag',
      summary: '決済代行会社との同期が 15 分遅延しています',
      service: 'payment-sync',
      links: {
        runbook: 'https://wiki.example.invalid/runbooks/payment-sync',
        dashboard: 'https://grafana.example.invalid/d/payments?viewPanel=4',
        source: 'https://grafana.example.invalid/alerting/grafana/abc123/view',
      },
    });
  });

  it('resolves a Grafana 9 payload (no `values`, empty dashboard URLs, nanosecond times)', () => {
    const a = only('grafana', 'grafana-resolved.json');
    expect(a).toMatchObject({
      status: 'resolved',
      groupKey: '{}/{test="true"}:{}',
      fingerprint: 'd8a21484c9c25a60',
      title: 'Test alert',
      startsAt: new Date('2022-06-17T00:41:00.782Z'),
      endsAt: new Date('2022-06-17T00:51:24.067Z'),
      links: {
        runbook: 'https://example.com/',
        source: 'https://grafana.example.com/alerting/grafana/zTjxv_C7k/view',
      },
    });
    expect(a.links.dashboard).toBeUndefined();
  });

  it('keeps the group key of the firing payload when the same alert resolves', () => {
    const body = fixture('grafana-firing.json') as { alerts: Record<string, unknown>[] } & Record<
      string,
      unknown
    >;
    const resolvedBody = {
      ...body,
      status: 'resolved',
      alerts: [{ ...body.alerts[0], status: 'resolved', endsAt: '2026-11-20T13:20:00Z', values: null }],
    };
    const firing = only('grafana', 'grafana-firing.json');
    const result = parse('grafana', resolvedBody);
    expect(result.ok && result.alerts[0]).toMatchObject({
      status: 'resolved',
      groupKey: firing.groupKey,
      fingerprint: firing.fingerprint,
      endsAt: new Date('2026-11-20T13:20:00Z'),
    });
  });
});

describe('datadog (the payload template of docs/alerts/datadog.md)', () => {
  it('groups a default-payload Triggered alert by monitor and group, with P1 as critical', () => {
    expect(only('datadog', 'datadog-triggered.json')).toMatchObject({
      source: 'datadog',
      groupKey: 'monitor:8248529:host:k3s-example-node-pool-a6e3h',
      fingerprint: 'monitor:8248529:host:k3s-example-node-pool-a6e3h',
      status: 'firing',
      severity: 'critical',
      title: 'CPU usage is high for host k3s-example-node-pool-a6e3h',
      summary: 'High CPU usage detected on host k3s-example-node-pool-a6e3h.',
      startsAt: new Date(1751007029000),
      labels: { host: 'k3s-example-node-pool-a6e3h', monitor_id: '8248529', priority: 'P1' },
      links: {
        source: expect.stringMatching(/^https:\/\/us5\.datadoghq\.com\/monitors\/8248529\?group=host%3Ak3s/),
      },
    });
  });

  it('resolves a Recovered alert, its scope read from the title and the link alike', () => {
    expect(only('datadog', 'datadog-recovered.json')).toMatchObject({
      status: 'resolved',
      groupKey: 'monitor:8249055:issue.id:655bd304-5322-11f0-80d4-da7ad0900000',
      severity: 'error',
      endsAt: new Date(1751174655000),
    });
  });

  it('groups a test notification by its monitor alone', () => {
    expect(only('datadog', 'datadog-default.json')).toMatchObject({
      status: 'firing',
      groupKey: 'monitor:18692904',
      title: '[TEST] Host Cluster Alert',
      summary: 'Test notification triggered by user@example.com.',
      links: { source: 'https://app.datadoghq.com/monitors#18692904?' },
    });
  });

  it('reads the template’s alert object: tags as labels, $LINK, and the same group as the default payload', () => {
    const triggered = only('datadog', 'datadog-template-triggered.json');
    expect(triggered).toMatchObject({
      groupKey: 'monitor:8248529:host:k3s-example-node-pool-a6e3h',
      status: 'firing',
      severity: 'critical',
      service: 'billing',
      labels: { env: 'prod', service: 'billing', metric: 'system.cpu.idle' },
      links: { source: 'https://us5.datadoghq.com/event/event?id=8166212983446713351' },
      annotations: { query: 'avg(last_15m):100 - avg:system.cpu.idle{*} by {host} > 90' },
    });
    expect(triggered.groupKey).toBe(only('datadog', 'datadog-triggered.json').groupKey);
    const recovered = only('datadog', 'datadog-template-recovered.json');
    expect([recovered.status, recovered.groupKey]).toEqual(['resolved', triggered.groupKey]);
  });

  it('takes Warn as a warning whatever the priority, and a scope’s tags in any order as one group', () => {
    const body = fixture('datadog-template-triggered.json') as { alert: Record<string, string> };
    const warn = parse('datadog', {
      ...body,
      alert: { ...body.alert, transition: 'Warn', scope: 'b:2, a:1' },
    });
    const other = parse('datadog', { ...body, alert: { ...body.alert, scope: 'a:1,b:2' } });
    expect(warn.ok && warn.alerts[0]!.severity).toBe('warning');
    expect(warn.ok && warn.alerts[0]!.groupKey).toBe('monitor:8248529:a:1,b:2');
    expect(other.ok && other.alerts[0]!.groupKey).toBe('monitor:8248529:a:1,b:2');
  });

  it('splits the title’s prefixes', () => {
    expect(parseTitle('[P1] [Re-Triggered on {host:a,env:b}] Disk full')).toEqual({
      priority: 'P1',
      transition: 'Re-Triggered',
      scope: 'host:a,env:b',
      name: 'Disk full',
    });
    expect(parseTitle('Plain title')).toEqual({ name: 'Plain title' });
  });

  it('reads a 1 MiB body of near-links in one pass (no backtracking over the body)', () => {
    // Found by review: a lazy regex over the body took 7 s for 180 kB of "(https://".
    const body = fixture('datadog-triggered.json') as object;
    for (const junk of ['(https://'.repeat(110_000), '(https://a/monitors/1'.repeat(50_000) + ' ']) {
      const result = parse('datadog', { ...body, body: junk });
      expect(result.ok && result.alerts[0]!.groupKey).toMatch(/^(monitor|title):/);
    }
  });

  it('refuses a date that is not epoch milliseconds', () => {
    const body = fixture('datadog-triggered.json') as object;
    expect(refusal('datadog', { ...body, date: '2025-06-27' })).toBe(
      'date: expected epoch milliseconds as a string of digits',
    );
  });
});

describe('cloudwatch (Amazon SNS)', () => {
  it('takes an ALARM notification: the alarm ARN as group, dimensions as labels, a console link', () => {
    expect(only('cloudwatch', 'cloudwatch-sns-alarm.json')).toMatchObject({
      source: 'cloudwatch',
      groupKey: 'arn:aws:cloudwatch:ap-southeast-1:123456789012:alarm:node_disk_used(i-0123456789abcdef0)',
      fingerprint: 'arn:aws:cloudwatch:ap-southeast-1:123456789012:alarm:node_disk_used(i-0123456789abcdef0)',
      status: 'firing',
      severity: 'error',
      title: 'node_disk_used(i-0123456789abcdef0)',
      startsAt: new Date('2024-09-09T01:59:07.423Z'),
      labels: {
        alertname: 'node_disk_used(i-0123456789abcdef0)',
        region: 'ap-southeast-1',
        namespace: 'CWAgent',
        metric: 'disk_used_percent',
        InstanceId: 'i-0123456789abcdef0',
      },
      links: {
        source:
          'https://console.aws.amazon.com/cloudwatch/home?region=ap-southeast-1#alarmsV2:alarm/node_disk_used(i-0123456789abcdef0)',
      },
    });
  });

  it('resolves an OK notification at its state change time', () => {
    expect(only('cloudwatch', 'cloudwatch-sns-ok.json')).toMatchObject({
      status: 'resolved',
      groupKey: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:ec2CPUUtilization',
      summary: 'EC2 CPUUtilization sample',
      endsAt: new Date('2021-06-18T07:28:21.921Z'),
    });
  });

  it('keeps the group of an alarm across ALARM and OK', () => {
    const body = fixture('cloudwatch-sns-alarm.json') as { Message: string };
    const ok = { ...body, Message: body.Message.replace('"NewStateValue":"ALARM"', '"NewStateValue":"OK"') };
    const firing = only('cloudwatch', 'cloudwatch-sns-alarm.json');
    const result = parse('cloudwatch', ok);
    expect(result.ok && [result.alerts[0]!.status, result.alerts[0]!.groupKey]).toEqual([
      'resolved',
      firing.groupKey,
    ]);
  });

  it('leaves out the console link of an alarm whose name cannot be put in a URL (found by fuzzing)', () => {
    const body = fixture('cloudwatch-sns-alarm.json') as { Message: string };
    const alarm = JSON.parse(body.Message) as Record<string, unknown>;
    const result = parse('cloudwatch', {
      ...body,
      Message: JSON.stringify({ ...alarm, AlarmName: 'disk\ud800' }),
    });
    expect(result.ok && result.alerts[0]!.links).toEqual({});
  });

  it('turns a SubscriptionConfirmation into a control message and no alert', () => {
    const result = parse('cloudwatch', fixture('sns-subscription-confirmation.json'));
    expect(result).toMatchObject({
      ok: true,
      alerts: [],
      control: {
        kind: 'sns-subscription-confirmation',
        topicArn: 'arn:aws:sns:ap-southeast-2:123456789012:awesome-pipeline-monitoring',
        subscribeUrl: expect.stringMatching(
          /^https:\/\/sns\.ap-southeast-2\.amazonaws\.com\/\?Action=ConfirmSubscription/,
        ),
        token: expect.stringMatching(/^2336412f37/),
      },
    });
  });

  it('refuses a confirmation whose SubscribeURL is not on SNS (toban would GET it)', () => {
    const body = fixture('sns-subscription-confirmation.json') as object;
    expect(refusal('cloudwatch', { ...body, SubscribeURL: 'http://169.254.169.254/latest/meta-data/' })).toBe(
      'SubscribeURL: expected an https URL on sns.<region>.amazonaws.com',
    );
  });

  it('refuses a raw-delivery body (the bare alarm, no envelope and no signature), naming Type', () => {
    const body = fixture('cloudwatch-sns-alarm.json') as { Message: string };
    expect(refusal('cloudwatch', JSON.parse(body.Message))).toMatch(/^Type: expected one of "Notification"/);
  });

  it('names the field inside Message, and an unknown Type', () => {
    const body = fixture('cloudwatch-sns-alarm.json') as { Message: string };
    expect(refusal('cloudwatch', { ...body, Message: body.Message.replace('"ALARM"', '"BROKEN"') })).toBe(
      'Message.NewStateValue: expected one of "ALARM", "OK", "INSUFFICIENT_DATA"',
    );
    expect(refusal('cloudwatch', { ...body, Message: 'hello' })).toBe(
      'Message: expected a CloudWatch alarm as JSON text',
    );
    expect(refusal('cloudwatch', { ...body, Type: 'Other' })).toBe(
      'Type: expected one of "Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"',
    );
  });
});

describe('sentry', () => {
  it('groups an issue alert by its issue, with the event’s level and link, and no user tag', () => {
    const a = only('sentry', 'sentry-event-alert.json');
    expect(a).toMatchObject({
      source: 'sentry',
      groupKey: 'issue:1117540176',
      fingerprint: 'issue:1117540176',
      status: 'firing',
      severity: 'error',
      title: 'ReferenceError: heck is not defined',
      startsAt: new Date('2019-08-19T21:06:17.677Z'),
      labels: { browser: 'Chrome 75.0.3770', rule: 'Very Important Alert Rule!' },
      links: {
        source:
          'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/',
      },
    });
    expect(a.labels.user).toBeUndefined();
  });

  it('resolves an issue on its resolved webhook, at the time it was received', () => {
    expect(only('sentry', 'sentry-issue-resolved.json')).toMatchObject({
      groupKey: 'issue:1638821441',
      status: 'resolved',
      title: 'Exception: program has entered an invalid state.',
      service: 'example-project',
      endsAt: receivedAt,
    });
  });

  it('takes the legacy plugin’s payload into the same issue group', () => {
    expect(only('sentry', 'sentry-webhook-plugin.json')).toMatchObject({
      groupKey: 'issue:1972208801',
      status: 'firing',
      title: 'ValueError: new sentry error.',
      service: 'foo-live',
      links: {
        source: 'https://sentry.io/organizations/bar-foundation/issues/1972208801/?referrer=webhooks_plugin',
      },
    });
  });

  it('groups a metric alert by its rule and resolves it', () => {
    expect(only('sentry', 'sentry-metric-alert-resolved.json')).toMatchObject({
      groupKey: 'metric_alert:7',
      status: 'resolved',
      title: 'Too many errors',
      service: 'bar',
      links: { source: 'https://sentry.io/organizations/baz/alerts/1/' },
    });
  });

  it('carries no alert for an assignment, and the same group for a created then resolved issue', () => {
    const body = fixture('sentry-issue-resolved.json') as Record<string, unknown>;
    expect(parse('sentry', { ...body, action: 'assigned' })).toMatchObject({ ok: true, alerts: [] });
    const created = parse('sentry', { ...body, action: 'created' });
    expect(created.ok && [created.alerts[0]!.status, created.alerts[0]!.groupKey]).toEqual([
      'firing',
      'issue:1638821441',
    ]);
  });

  it('names a field of the shape the body came nearest to', () => {
    const body = fixture('sentry-issue-resolved.json') as { data: { issue: object } };
    expect(refusal('sentry', { ...body, data: { issue: { ...body.data.issue, title: 5 } } })).toBe(
      'data.issue.title: expected a string',
    );
  });
});

describe('generic (CONTRACT.md)', () => {
  it('takes an array, each alert by its dedup_key or else its title and labels', () => {
    const [first, second] = alertsOf('generic', 'generic-batch.json');
    expect(first).toMatchObject({
      source: 'generic',
      groupKey: 'ledger-export-2026-11-20',
      fingerprint: 'ledger-export-2026-11-20',
      status: 'firing',
      severity: 'critical',
      title: 'Nightly ledger export failed',
      summary: 'export exited 1 after 12 minutes',
      service: 'ledger',
      startsAt: new Date('2026-11-20T09:05:00Z'),
      links: { runbook: 'https://wiki.example.invalid/runbooks/ledger-export' },
    });
    expect(second).toMatchObject({ severity: 'error', startsAt: receivedAt, service: 'payments' });
    expect(second!.groupKey).toMatch(/^[0-9a-f]{16}$/);
  });

  it('resolves into the group it fired in', () => {
    const resolved = only('generic', 'generic-resolved.json');
    expect(resolved).toMatchObject({
      status: 'resolved',
      groupKey: 'ledger-export-2026-11-20',
      endsAt: new Date('2026-11-20T09:40:00Z'),
    });
  });

  it('gives one group to the same title and labels, firing then resolved', () => {
    const alert = { title: 'Disk full', labels: { host: 'a', service: 'b' } };
    const firing = parse('generic', { ...alert, status: 'firing' });
    const resolved = parse('generic', { ...alert, status: 'resolved', labels: { service: 'b', host: 'a' } });
    expect(firing.ok && resolved.ok && firing.alerts[0]!.groupKey === resolved.alerts[0]!.groupKey).toBe(
      true,
    );
    const other = parse('generic', { ...alert, status: 'firing', labels: { host: 'c', service: 'b' } });
    expect(other.ok && firing.ok && other.alerts[0]!.groupKey !== firing.alerts[0]!.groupKey).toBe(true);
  });

  it('refuses what the contract does not allow, naming the field', () => {
    expect(refusal('generic', { title: 'x', status: 'open' })).toBe(
      'status: expected one of "firing", "resolved"',
    );
    expect(refusal('generic', [{ title: 'x', status: 'firing' }, { status: 'firing' }])).toBe(
      '[1].title: required (a string)',
    );
    expect(refusal('generic', { title: 'x', status: 'firing', labels: { a: 1 } })).toBe(
      'labels.a: expected a string',
    );
    expect(
      refusal('generic', { title: 'x', status: 'firing', links: { runbook: 'javascript:alert(1)' } }),
    ).toBe('links.runbook: expected an http(s) URL');
    expect(refusal('generic', { title: 'x', status: 'firing', severity: 'high' })).toBe(
      'severity: expected one of "critical", "error", "warning", "info"',
    );
  });
});

describe('the bounds on one alert', () => {
  it('replaces an over-long key by a stable digest, distinct for distinct keys, and cuts a long title', () => {
    const long = (c: string) => ({ title: 't'.repeat(900), status: 'firing', dedup_key: c.repeat(255) });
    const a = parse('generic', long('a'));
    const again = parse('generic', long('a'));
    const b = parse('generic', { ...long('a'), dedup_key: `${'a'.repeat(254)}b` });
    if (!a.ok || !again.ok || !b.ok) throw new Error('refused');
    // 255 characters fit; 2,000-character Alertmanager group keys do not.
    expect(a.alerts[0]!.groupKey).toBe('a'.repeat(255));
    expect(a.alerts[0]!.title).toHaveLength(ALERT_LIMITS.title);
    expect(a.alerts[0]!.title.endsWith('…')).toBe(true);
    const body = fixture('alertmanager-firing.json') as object;
    const key = (k: string) => {
      const r = parse('alertmanager', { ...body, groupKey: k });
      return r.ok ? r.alerts[0]!.groupKey : '';
    };
    const k1 = key('x'.repeat(2_000));
    expect(k1.length).toBeLessThanOrEqual(ALERT_LIMITS.key);
    expect(k1).toMatch(/…sha256:[0-9a-f]{16}$/);
    expect(key('x'.repeat(2_000))).toBe(k1);
    expect(key(`${'x'.repeat(1_999)}y`)).not.toBe(k1);
    expect(b.alerts[0]!.groupKey).not.toBe(a.alerts[0]!.groupKey);
  });

  it('refuses a generic batch of more than 1,000 alerts', () => {
    const alerts = Array.from({ length: 1_001 }, (_, i) => ({ title: `a${i}`, status: 'firing' }));
    expect(refusal('generic', alerts)).toBe('body: at most 1000 items');
  });
});

describe('the source registry', () => {
  it('knows the six sources and nothing else', () => {
    expect(Object.keys(ALERT_INTAKES).sort()).toEqual(
      ['alertmanager', 'cloudwatch', 'datadog', 'generic', 'grafana', 'sentry'].sort(),
    );
    expect(alertIntake('grafana')?.name).toBe('grafana');
    expect(alertIntake('pagerduty')).toBeUndefined();
    expect(alertIntake('__proto__')).toBeUndefined();
  });
});

describe('describing a schema problem', () => {
  it('writes paths as a JavaScript reader would', () => {
    expect(formatPath([])).toBe('body');
    expect(formatPath(['alerts', 0, 'labels'])).toBe('alerts[0].labels');
    expect(formatPath(['labels', 'a b'])).toBe('labels["a b"]');
    expect(formatPath(['labels', 'x'.repeat(100)])).toBe(`labels["${'x'.repeat(60)}…"]`);
  });

  it('says something for an error without issues', () => {
    expect(describeIssue({ issues: [] })).toBe('body: not accepted');
  });
});

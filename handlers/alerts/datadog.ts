// Datadog's Webhooks integration (docs.datadoghq.com/integrations/webhooks/). Datadog has no fixed
// payload: the webhook posts whatever template is in its Payload field, filled with $VARIABLES. We
// parse exactly the template of docs/alerts/datadog.md: Datadog's default payload (id, last_updated,
// event_type, title, date, org, body: what a webhook with an empty Payload field sends; fixtures
// test/fixtures/alerts/datadog-*.json are real deliveries of it) plus an `alert` object of the
// monitor variables the default leaves out. Every value arrives as a string; a variable Datadog did
// not fill is an empty string (or left as "$NAME"), and reads as absent. A webhook still on the
// default payload is understood from its title and body, with less precision.
//
// Grouping: the monitor and the group (scope) that triggered it: `monitor:<id>` or
// `monitor:<id>:<scope>`, the scope's tags sorted. The monitor id is `alert.id` ($ALERT_ID), else
// the id in the body's "Monitor Status" link; the scope is `alert.scope` ($ALERT_SCOPE), else the
// title's "[Triggered on {scope}]", else the link's `group=` parameter. Triggered and Recovered of
// one monitor group share the key. Without any monitor id: `title:<the title without its prefixes>`.
// Fingerprint: the grouping key (Datadog sends one alert per monitor group).
// Resolve: the transition ($ALERT_TRANSITION, else the title's "[Recovered]") is Recovered.
// Severity: Warn / Re-Warn and No Data / Re-No Data → warning; otherwise the monitor's priority
// ($ALERT_PRIORITY, else the title's "[P1]"): P1 critical, P2 error, P3 warning, P4–P5 info;
// otherwise $ALERT_TYPE (error / warning / info); otherwise error.
import { z } from 'zod';
import {
  alertLinks,
  firstText,
  payloadTime,
  severityFromWord,
  type AlertDraft,
  type Severity,
  type SourceModule,
} from '../../src/domain/alert.ts';

const epochMs = z.string().regex(/^\d{1,15}$/, 'expected epoch milliseconds as a string of digits');
const text = z.string().nullish();

export const datadogSchema = z.object({
  id: z.string().min(1),
  last_updated: epochMs.nullish(),
  event_type: text,
  title: z.string().min(1),
  date: epochMs,
  org: z.object({ id: text, name: text }).nullish(),
  body: text,
  alert: z
    .object({
      id: text,
      transition: text,
      type: text,
      priority: text,
      scope: text,
      status: text,
      metric: text,
      query: text,
      hostname: text,
      tags: text,
      link: text,
      aggreg_key: text,
      cycle_key: text,
    })
    .nullish(),
});
export type DatadogPayload = z.infer<typeof datadogSchema>;

/** What the title's prefixes say: `[P1] [Re-Triggered on {host:a,env:b}] Name`. */
interface TitleParts {
  priority?: string;
  transition?: string;
  scope?: string;
  name: string;
}

const TRANSITIONS = 'Triggered|Re-Triggered|Recovered|Warn|Re-Warn|No Data|Re-No Data|Renotify';
const TITLE = new RegExp(`^\\s*(?:\\[(P[1-5])\\]\\s*)?(?:\\[(${TRANSITIONS})(?: on \\{(.*?)\\})?\\]\\s*)?`);

export function parseTitle(title: string): TitleParts {
  const m = TITLE.exec(title);
  const name = firstText(title.slice(m?.[0].length ?? 0)) ?? title.trim();
  return {
    ...(m?.[1] ? { priority: m[1] } : {}),
    ...(m?.[2] ? { transition: m[2] } : {}),
    ...(m?.[3] ? { scope: m[3] } : {}),
    name,
  };
}

/** A value Datadog filled in: not empty, not a "$VARIABLE" left as it was. */
function given(value: string | null | undefined): string | undefined {
  const v = firstText(value);
  return v && !/^\$[A-Z_]+$/.test(v) ? v : undefined;
}

/** Tags `a:1, b:2` (or `{a:1,b:2}`) sorted, as `a:1,b:2`. */
function normalizeScope(scope: string): string {
  return scope
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .sort()
    .join(',');
}

/** `name:value` tags as labels (tags without a value are left out; the first of a name wins). */
function tagLabels(tags: string | undefined): Record<string, string> {
  const out = new Map<string, string>();
  for (const tag of (tags ?? '').split(',')) {
    const i = tag.indexOf(':');
    const key = tag.slice(0, Math.max(i, 0)).trim();
    if (key && !out.has(key)) out.set(key, tag.slice(i + 1).trim());
  }
  return Object.fromEntries(out);
}

/** The longest link, and the most "/monitors/" mentions, monitorLink looks at (the body is up to 1 MiB). */
const MAX_LINK = 2_048;
const MAX_CANDIDATES = 32;

/**
 * The first markdown link to a monitor in the body (the "Monitor Status" link, or the graph's):
 * its URL, the monitor id and the `group=` scope. Found without a backtracking regex over the whole
 * body: each "/monitors/<id>" mention is checked against the link around it, within MAX_LINK.
 */
function monitorLink(body: string | undefined): { url?: string; id?: string; group?: string } {
  const text = body ?? '';
  const mentions = /\/monitors[/#](\d{1,20})/g;
  for (let n = 0; n < MAX_CANDIDATES; n++) {
    const m = mentions.exec(text);
    if (!m) break;
    const before = text.slice(Math.max(0, m.index - MAX_LINK), m.index);
    const open = before.lastIndexOf('(');
    const head = before.slice(open + 1);
    if (open < 0 || !/^https?:\/\/[^\s()]*$/.test(head)) continue;
    const after = text.slice(m.index, m.index + MAX_LINK);
    const close = after.search(/[)\s]/);
    if (close < 0 || after[close] !== ')') continue;
    const url = head + after.slice(0, close);
    const group = /[?&]group=([^&#]+)/.exec(url)?.[1];
    let decoded: string | undefined;
    try {
      decoded = group ? decodeURIComponent(group.replace(/\+/g, ' ')) : undefined;
    } catch {
      decoded = undefined;
    }
    return { url, ...(m[1] ? { id: m[1] } : {}), ...(decoded ? { group: decoded } : {}) };
  }
  return {};
}

/** The first line of the body that says something (not a heading, rule, mention or image). */
function firstProse(body: string | undefined): string | undefined {
  for (const raw of (body ?? '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line === '%%%' || /^(#|-{3,}|- - -|@|!\[|\[!\[|`|\|)/.test(line)) continue;
    return line.length > 300 ? `${line.slice(0, 299)}…` : line;
  }
  return undefined;
}

/** The facts the rules and the normalisation read, worked out once per payload. */
export interface DatadogAlert {
  payload: DatadogPayload;
  title: TitleParts;
  transition?: string;
  monitorId?: string;
  scope?: string;
  link: { url?: string };
}

function readPayload(payload: DatadogPayload): DatadogAlert {
  const alert = payload.alert ?? {};
  const title = parseTitle(payload.title);
  const link = monitorLink(payload.body ?? undefined);
  const scope = given(alert.scope) ?? title.scope ?? link.group;
  const transition = given(alert.transition) ?? title.transition;
  const monitorId = given(alert.id) ?? link.id;
  return {
    payload,
    title,
    ...(transition ? { transition } : {}),
    ...(monitorId ? { monitorId } : {}),
    ...(scope && normalizeScope(scope) ? { scope: normalizeScope(scope) } : {}),
    link: { ...(link.url ? { url: link.url } : {}) },
  };
}

function severityOf(a: DatadogAlert): Severity {
  const t = a.transition?.toLowerCase();
  if (t === 'warn' || t === 're-warn' || t === 'no data' || t === 're-no data') return 'warning';
  const alert = a.payload.alert ?? {};
  const type = given(alert.type)?.toLowerCase();
  return (
    severityFromWord(given(alert.priority) ?? a.title.priority) ??
    (type === 'error' || type === 'warning' || type === 'info' ? type : undefined) ??
    'error'
  );
}

function groupKeyOf(a: DatadogAlert): string {
  if (!a.monitorId) return `title:${a.title.name}`;
  return a.scope ? `monitor:${a.monitorId}:${a.scope}` : `monitor:${a.monitorId}`;
}

function draftOf(a: DatadogAlert, receivedAt: Date): AlertDraft {
  const { payload } = a;
  const alert = payload.alert ?? {};
  const labels: Record<string, string> = {
    ...tagLabels(given(alert.tags)),
    ...tagLabels(a.scope),
  };
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) labels[key] = value;
  };
  put('monitor_id', a.monitorId);
  put('event_type', given(payload.event_type));
  put('priority', given(alert.priority) ?? a.title.priority);
  put('metric', given(alert.metric));
  if (!Object.hasOwn(labels, 'host')) put('host', given(alert.hostname));
  const annotations: Record<string, string> = { event_id: payload.id };
  const body = given(payload.body);
  if (body) annotations.message = body.length > 3000 ? `${body.slice(0, 2999)}…` : body;
  const query = given(alert.query);
  if (query) annotations.query = query;
  const summary = given(alert.status) ?? firstProse(body);
  const at = payloadTime(Number(payload.date)) ?? receivedAt;
  const service = firstText(labels.service);
  return {
    fingerprint: groupKeyOf(a),
    severity: severityOf(a),
    title: a.title.name,
    ...(summary ? { summary } : {}),
    labels,
    annotations,
    startsAt: at,
    endsAt: at,
    links: alertLinks({ runbook: undefined, dashboard: undefined, source: given(alert.link) ?? a.link.url }),
    ...(service ? { service } : {}),
  };
}

export const datadog: SourceModule<DatadogPayload, DatadogAlert> = {
  name: 'datadog',
  schema: datadogSchema,
  split: (payload) => ({ items: [readPayload(payload)] }),
  groupKey: groupKeyOf,
  isResolved: (a) => a.transition?.toLowerCase() === 'recovered',
  normalize: draftOf,
};

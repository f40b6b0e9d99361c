// The buttons on an alert group's message against PostgreSQL (issue 9 items 5 and 7): Acknowledge
// sets who and when once (a double or concurrent press: one change, one message update, one thread
// line); Resolve resolves the group by hand and a repeat of its firing delivery does not reopen it;
// Silence opens the modal whose submission makes a local mute (no ALERTMANAGER_URL) from the group's
// alertname and grouping labels, and the message then shows it with Unsilence, which expires it;
// Declare incident and File ticket say they are coming, in the presser's language; Silence is for
// rotation members and admins only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actions, views } from '../../handlers/index.ts';
import type { ActionInvocation, ViewSubmission } from '../../src/core/handlers.ts';
import type { Modal } from '../../src/core/modal.ts';
import { PermissionError } from '../../src/core/errors.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { silenceByCommand } from '../../src/services/alerts/actions.ts';
import { intakeAlerts } from '../../src/services/alerts/intake.ts';
import { ALERT_ACTIONS } from '../../src/views/alert-group.ts';
import { SILENCE_CALLBACK_ID } from '../../src/views/alert-actions.ts';
import { demoConfig, testContext } from '../helpers/context.ts';
import { fixture } from '../helpers/alert-intake.ts';
import { ManualClock } from '../../src/app/clock.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let ctx: ReturnType<typeof testContext>;
let auditFrom = '0';

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE outbox, alert_silences, alerts, alert_groups, alert_payloads RESTART IDENTITY CASCADE',
  );
  // The team's language is English here, so the channel's message and thread read in English.
  // The clock after every time the fixtures carry: a start after receipt counts as the receipt time.
  ctx = testContext(db.pool, {
    config: { ...demoConfig(), locale: 'en' },
    clock: new ManualClock('2026-12-01T00:00:00Z'),
  });
  // The audit log is append-only: each test reads the rows after this.
  auditFrom = (await db.pool.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_log`)).rows[0].id;
});

/** An Alertmanager delivery grouped by alertname and service, two instances firing. */
function payload(): Record<string, unknown> {
  const base = fixture('alertmanager-firing.json') as Record<string, unknown> & {
    alerts: Record<string, unknown>[];
  };
  const first = base.alerts[0]!;
  const alert = (instance: string, fp: string) => ({
    ...first,
    fingerprint: fp,
    labels: { alertname: 'DiskFull', service: 'billing', severity: 'critical', instance },
  });
  return {
    ...base,
    groupKey: '{}:{alertname="DiskFull", service="billing"}',
    groupLabels: { alertname: 'DiskFull', service: 'billing' },
    alerts: [alert('db-1:9100', 'aaaa000000000001'), alert('db-2:9100', 'aaaa000000000002')],
  };
}

/** Opens one group through the intake and returns its id. */
async function openGroup(): Promise<string> {
  const r = await intakeAlerts(ctx, { source: 'alertmanager', body: payload() });
  if (r.status !== 202) throw new Error(`intake: ${JSON.stringify(r)}`);
  return r.groups[0]!;
}

function action(
  actionId: string,
  id: string,
  userId = 'U0AAA',
  opts: { locale?: Locale; key?: string } = {},
) {
  const handler = actions.find((a) => a.actionId === actionId)!;
  const inv: ActionInvocation = {
    actionId,
    value: id,
    userId,
    locale: opts.locale ?? 'en',
    ...(opts.key ? { key: opts.key } : {}),
  };
  return handler.run(inv, ctx);
}

const silenceView = views.find((v) => v.callbackId === SILENCE_CALLBACK_ID)!;

function submission(modal: Modal, values: Record<string, string | undefined>, key: string): ViewSubmission {
  return {
    callbackId: modal.callbackId,
    userId: 'U0BBB',
    locale: 'en',
    key,
    ...(modal.privateMetadata ? { privateMetadata: modal.privateMetadata } : {}),
    values,
  };
}

async function group(id: string) {
  const { rows } = await db.pool.query(
    `SELECT state, acknowledged_by, acknowledged_at, resolved_by, resolved_at, silenced_until,
            silence_id::text, version, firing_count, resolved_count FROM alert_groups WHERE id = $1`,
    [id],
  );
  return rows[0];
}

interface OutRow {
  kind: string;
  idempotency_key: string;
  payload: { text: string; blocks?: unknown[]; threadRef?: string };
}
/** The outbox rows written after the group's post. */
async function afterPost(): Promise<OutRow[]> {
  const { rows } = await db.pool.query<OutRow>(
    `SELECT kind, idempotency_key, payload FROM outbox WHERE idempotency_key NOT LIKE '%:post' ORDER BY id`,
  );
  return rows;
}

async function audits() {
  const { rows } = await db.pool.query(
    `SELECT actor, action FROM audit_log WHERE id > $1 AND action LIKE 'alerts.%' ORDER BY id`,
    [auditFrom],
  );
  return rows;
}

/** The action ids of the buttons of a slack.update payload. */
function buttons(p: OutRow['payload']): string[] {
  const block = (p.blocks as { type: string; elements?: { action_id?: string }[] }[]).find(
    (b) => b.type === 'actions',
  );
  return (block?.elements ?? []).map((e) => e.action_id!);
}

describe('Acknowledge', () => {
  it('sets who and when once, updates the message without the button and writes one thread line', async () => {
    const id = await openGroup();
    expect(await action(ALERT_ACTIONS.acknowledge, id, 'U0BBB')).toBeUndefined();
    const g = await group(id);
    expect(g.acknowledged_by).toBe('U0BBB');
    expect(g.acknowledged_at).toEqual(ctx.clock.now());
    const rows = await afterPost();
    expect(rows.map((r) => [r.kind, r.idempotency_key])).toEqual([
      ['slack.update', `alert-group:${id}:v${g.version}`],
      ['slack.post', `alert-group:${id}:v${g.version}:acknowledged`],
    ]);
    expect(rows[0]!.payload.text).not.toBe('');
    expect(JSON.stringify(rows[0]!.payload.blocks)).toContain('Acknowledged by <@U0BBB>');
    expect(buttons(rows[0]!.payload)).not.toContain(ALERT_ACTIONS.acknowledge);
    expect(rows[1]!.payload.threadRef).toBe(`alert-group:${id}`);
    expect(rows[1]!.payload.text).toContain('<@U0BBB>');
    expect(await audits()).toEqual([{ actor: 'U0BBB', action: 'alerts.acknowledge' }]);
  });

  it('changes nothing on a second press, and tells the presser who acknowledged', async () => {
    const id = await openGroup();
    await action(ALERT_ACTIONS.acknowledge, id, 'U0BBB');
    const before = await group(id);
    const second = await action(ALERT_ACTIONS.acknowledge, id, 'U0CCC');
    expect(second?.reply?.message.text).toContain('already acknowledged by <@U0BBB>');
    expect(await group(id)).toEqual(before);
    expect((await afterPost()).length).toBe(2);
  });

  it('makes one change, one update and one thread line of concurrent presses', async () => {
    const id = await openGroup();
    const presses = ['U0AAA', 'U0BBB', 'U0CCC', 'U0DDD', 'U0EEE'];
    const results = await Promise.all(presses.map((u) => action(ALERT_ACTIONS.acknowledge, id, u)));
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    const g = await group(id);
    expect(presses).toContain(g.acknowledged_by);
    const rows = await afterPost();
    expect(rows.filter((r) => r.kind === 'slack.update')).toHaveLength(1);
    expect(rows.filter((r) => r.kind === 'slack.post')).toHaveLength(1);
    // The group moved one version from the intake's post.
    expect(g.version).toBe(2);
    expect(await audits()).toEqual([{ actor: g.acknowledged_by, action: 'alerts.acknowledge' }]);
  });

  it('does nothing to a resolved group', async () => {
    const id = await openGroup();
    await action(ALERT_ACTIONS.resolve, id, 'U0AAA');
    const n = (await afterPost()).length;
    const r = await action(ALERT_ACTIONS.acknowledge, id, 'U0BBB');
    expect(r?.reply?.message.text).toContain('already resolved by <@U0AAA>');
    expect((await group(id)).acknowledged_by).toBeNull();
    expect((await afterPost()).length).toBe(n);
  });
});

describe('Resolve', () => {
  it('resolves the group and its alerts by hand, once; the message loses its buttons', async () => {
    const id = await openGroup();
    expect(await action(ALERT_ACTIONS.resolve, id, 'U0CCC')).toBeUndefined();
    const g = await group(id);
    expect(g).toMatchObject({ state: 'resolved', resolved_by: 'U0CCC', firing_count: 0, resolved_count: 2 });
    expect(g.resolved_at).toEqual(ctx.clock.now());
    const firing = await db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE status = 'firing'`);
    expect(firing.rows[0].n).toBe(0);
    const rows = await afterPost();
    expect(rows.map((r) => r.kind)).toEqual(['slack.update', 'slack.post']);
    expect(buttons(rows[0]!.payload)).toEqual([]);
    expect(rows[1]!.payload.text).toContain('Resolved by hand by <@U0CCC>');
    const again = await action(ALERT_ACTIONS.resolve, id, 'U0DDD');
    expect(again?.reply?.message.text).toContain('already resolved by <@U0CCC>');
    expect((await afterPost()).length).toBe(2);
  });

  it('is not reopened by the same firing alerts delivered again', async () => {
    const id = await openGroup();
    await action(ALERT_ACTIONS.resolve, id);
    ctx.clock.advance(60_000);
    await intakeAlerts(ctx, { source: 'alertmanager', body: payload() });
    const { rows } = await db.pool.query(`SELECT id::text, state FROM alert_groups`);
    expect(rows).toEqual([{ id, state: 'resolved' }]);
  });
});

describe('Silence and Unsilence', () => {
  it('opens the modal with 1h / 4h / 24h / custom and a comment', async () => {
    const id = await openGroup();
    const r = await action(ALERT_ACTIONS.silence, id);
    expect(r?.view?.action).toBe('open');
    const modal = r!.view!.modal;
    expect(modal.callbackId).toBe(SILENCE_CALLBACK_ID);
    expect(modal.fields.find((f) => f.id === 'duration')?.options?.map((o) => o.value)).toEqual([
      '1h',
      '4h',
      '24h',
      'custom',
    ]);
    expect(modal.fields.find((f) => f.id === 'comment')?.optional).toBe(true);
  });

  it('refuses a custom choice without a valid duration, under its field', async () => {
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    expect(await silenceView.validate(submission(modal, { duration: 'custom' }, 'v:1'), ctx)).toHaveProperty(
      'custom',
    );
    expect(
      await silenceView.validate(submission(modal, { duration: 'custom', custom: '45d' }, 'v:1'), ctx),
    ).toEqual({ custom: expect.stringContaining('at most 30 days') });
    expect(
      await silenceView.validate(submission(modal, { duration: 'custom', custom: '90m' }, 'v:1'), ctx),
    ).toBeUndefined();
  });

  it('makes a local mute on alertname and the grouping labels, shows it with Unsilence, once per submission', async () => {
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    const sub = submission(modal, { duration: 'custom', custom: '90m', comment: 'disk swap' }, 'view:S1');
    await silenceView.submit(sub, ctx);
    await silenceView.submit(sub, ctx); // the same submission handled again
    const { rows: silences } = await db.pool.query(
      `SELECT id::text, backend, matchers, ends_at, created_by, comment FROM alert_silences`,
    );
    expect(silences).toHaveLength(1);
    expect(silences[0]).toMatchObject({
      backend: 'local',
      created_by: 'U0BBB',
      matchers: [
        { name: 'alertname', op: '=', value: 'DiskFull' },
        { name: 'service', op: '=', value: 'billing' },
      ],
    });
    expect(silences[0].comment).toContain('disk swap');
    const until = new Date(ctx.clock.now().getTime() + 90 * 60_000);
    expect(silences[0].ends_at).toEqual(until);
    const g = await group(id);
    expect(g.silenced_until).toEqual(until);
    expect(g.silence_id).toBe(silences[0].id);
    const rows = await afterPost();
    expect(rows.map((r) => r.kind)).toEqual(['slack.update', 'slack.post']);
    expect(JSON.stringify(rows[0]!.payload.blocks)).toContain('Silenced until');
    expect(buttons(rows[0]!.payload)).toContain(ALERT_ACTIONS.unsilence);
    expect(buttons(rows[0]!.payload)).not.toContain(ALERT_ACTIONS.silence);
    expect(rows[1]!.payload.text).toContain('alertname=DiskFull service=billing');
    // No Alertmanager: nothing for it in the outbox.
    const am = await db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE kind LIKE 'alertmanager.%'`);
    expect(am.rows[0].n).toBe(0);
  });

  it('Unsilence expires the silence and brings the Silence button back', async () => {
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    await silenceView.submit(submission(modal, { duration: '4h' }, 'view:S2'), ctx);
    ctx.clock.advance(10 * 60_000);
    expect(await action(ALERT_ACTIONS.unsilence, id, 'U0CCC', { key: 'act:U1' })).toBeUndefined();
    const { rows: s } = await db.pool.query(`SELECT expired_at, expired_by FROM alert_silences`);
    expect(s[0]).toEqual({ expired_at: ctx.clock.now(), expired_by: 'U0CCC' });
    const g = await group(id);
    expect(g.silenced_until).toBeNull();
    expect(g.silence_id).toBeNull();
    const last = (await afterPost()).filter((r) => r.kind === 'slack.update').at(-1)!;
    expect(buttons(last.payload)).toContain(ALERT_ACTIONS.silence);
    expect(buttons(last.payload)).not.toContain(ALERT_ACTIONS.unsilence);
    expect(JSON.stringify(last.payload.blocks)).not.toContain('Silenced until');
    await expect(action(ALERT_ACTIONS.unsilence, id, 'U0CCC')).rejects.toMatchObject({
      key: 'alerts.not_silenced',
    });
  });

  it('five concurrent submissions for one group make one silence and one thread line; one Unsilence clears it', async () => {
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    const users = ['U0AAA', 'U0BBB', 'U0CCC', 'U0DDD', 'U0EEE'];
    const results = await Promise.all(
      users.map((u, i) =>
        silenceView.submit({ ...submission(modal, { duration: '4h' }, `view:C${i}`), userId: u }, ctx),
      ),
    );
    const { rows: silences } = await db.pool.query(`SELECT id::text, created_by FROM alert_silences`);
    expect(silences).toHaveLength(1);
    const who = silences[0].created_by as string;
    // The four later submissions are told who silenced it (a DM), and made nothing.
    const told = results.filter((r) => r !== undefined);
    expect(told).toHaveLength(4);
    for (const r of told) expect(JSON.stringify(r)).toContain(`already silenced by <@${who}>`);
    const silencedLines = (await afterPost()).filter(
      (r) => r.kind === 'slack.post' && r.payload.text.includes('Silenced by'),
    );
    expect(silencedLines).toHaveLength(1);
    expect((await group(id)).silence_id).toBe(silences[0].id);

    ctx.clock.advance(5 * 60_000);
    await action(ALERT_ACTIONS.unsilence, id, 'U0AAA', { key: 'act:C-U' });
    const g = await group(id);
    expect(g.silence_id).toBeNull();
    expect(g.silenced_until).toBeNull();
    const lines = (await afterPost()).filter((r) => r.kind === 'slack.post' && r.payload.threadRef);
    expect(lines.at(-1)!.payload.text).toContain('Unsilenced by <@U0AAA>');
    expect(lines.at(-1)!.payload.text).not.toContain('still silenced');
  });

  it('Unsilence on a group a /alerts silence also holds: the message and thread show the remaining silence', async () => {
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    await silenceView.submit(submission(modal, { duration: '4h' }, 'view:R1'), ctx);
    const own = (await group(id)).silence_id as string;
    ctx.clock.advance(60_000);
    // A shorter silence from /alerts that holds the group too: the group keeps showing the longer one.
    const { silence: cmd } = await silenceByCommand(ctx, {
      matchers: [{ name: 'alertname', op: '=', value: 'DiskFull' }],
      durationMs: 3_600_000,
      by: 'U0DDD',
      key: 'cmd:R2',
    });
    expect((await group(id)).silence_id).toBe(own);
    ctx.clock.advance(60_000);
    await action(ALERT_ACTIONS.unsilence, id, 'U0AAA', { key: 'act:R3' });
    const { rows: ended } = await db.pool.query(`SELECT expired_by FROM alert_silences WHERE id = $1`, [own]);
    expect(ended[0].expired_by).toBe('U0AAA');
    const g = await group(id);
    expect(g.silence_id).toBe(cmd.id);
    expect(g.silenced_until).toEqual(cmd.endsAt);
    const rows = await afterPost();
    const update = rows.filter((r) => r.kind === 'slack.update').at(-1)!;
    expect(JSON.stringify(update.payload.blocks)).toContain('Silenced until');
    expect(JSON.stringify(update.payload.blocks)).toContain('U0DDD');
    expect(buttons(update.payload)).toContain(ALERT_ACTIONS.unsilence);
    const line = rows.filter((r) => r.kind === 'slack.post' && r.payload.threadRef).at(-1)!;
    expect(line.payload.text).toContain('Unsilenced by <@U0AAA>');
    expect(line.payload.text).toContain('still silenced by <@U0DDD>');
  });

  it('with ALERTMANAGER_URL writes one silence-create for Alertmanager with the same matchers', async () => {
    ctx = testContext(db.pool, {
      config: { ...demoConfig({ ALERTMANAGER_URL: 'http://127.0.0.1:9093' }), locale: 'en' },
    });
    const id = await openGroup();
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    await silenceView.submit(submission(modal, { duration: '24h' }, 'view:S4'), ctx);
    const { rows } = await db.pool.query(
      `SELECT payload FROM outbox WHERE kind = 'alertmanager.silence-create'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'DiskFull' },
      { name: 'service', op: '=', value: 'billing' },
    ]);
    expect((await group(id)).silenced_until).toEqual(new Date(ctx.clock.now().getTime() + 24 * 3_600_000));
  });

  it('is refused to someone in no rotation and not an admin', async () => {
    const id = await openGroup();
    await expect(action(ALERT_ACTIONS.silence, id, 'U0FIN1')).rejects.toBeInstanceOf(PermissionError);
    const modal = (await action(ALERT_ACTIONS.silence, id))!.view!.modal;
    await expect(
      silenceView.submit({ ...submission(modal, { duration: '1h' }, 'view:S3'), userId: 'U0FIN1' }, ctx),
    ).rejects.toBeInstanceOf(PermissionError);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM alert_silences`);
    expect(rows[0].n).toBe(0);
  });
});

describe('Declare incident and File ticket', () => {
  it('answer the presser that they are coming, in their language, changing nothing', async () => {
    const id = await openGroup();
    const en = await action(ALERT_ACTIONS.declareIncident, id, 'U0BBB', { locale: 'en' });
    const ja = await action(ALERT_ACTIONS.fileTicket, id, 'U0BBB', { locale: 'ja' });
    expect(en?.reply?.visibility).toBe('ephemeral');
    expect(en?.reply?.message.text).toContain('coming soon');
    expect(ja?.reply?.message.text).toContain('準備中');
    expect(await afterPost()).toEqual([]);
  });
});

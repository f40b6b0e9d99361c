// The shape of toban.yml. Validated once at start; a bad file stops the start with the key and the problem.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseClosure } from '../domain/closures.ts';
import { SEVERITIES } from '../domain/alert.ts';
import { parseMatcher } from '../domain/alert-routing.ts';
import { calendarDate, DATE_RANGE } from '../domain/dates.ts';
import { DURATION_BOUNDS, formatDuration, parseDuration } from '../domain/duration.ts';
import { MAX_REPEAT, parseTarget, type TargetProblem } from '../domain/escalation.ts';

const slackId = z.string().regex(/^[A-Z0-9]+$/, 'expected a Slack id such as U0AAA, C0ALERTS or S0ONCALL');

/** "Mon 10:00" for weekly rotations, "10:00" for daily or hourly ones. */
export const HANDOFF_PATTERN = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?([01]\d|2[0-3]):([0-5]\d)$/;

/** The longest hour-based shift: four weeks. */
const MAX_SHIFT_HOURS = 24 * 28;

/** One sentence for every wrong form of `shift`: zod's own would say only "Invalid input". */
const SHIFT_FORM = `expected daily, weekly or { hours: N } with N a whole number of hours from 1 to ${MAX_SHIFT_HOURS}`;

const shift = z.union(
  [
    z.literal('daily'),
    z.literal('weekly'),
    z.strictObject(
      {
        hours: z
          .number({ error: SHIFT_FORM })
          .int({ error: SHIFT_FORM })
          .min(1, { error: SHIFT_FORM })
          .max(MAX_SHIFT_HOURS, { error: SHIFT_FORM }),
      },
      { error: SHIFT_FORM },
    ),
  ],
  { error: SHIFT_FORM },
);

const DATE_FORM = 'expected YYYY-MM-DD such as 2024-01-01';

/** A calendar day in the form YYYY-MM-DD, inside the dates toban reads (not 2024-02-30). */
const isoDay = z.string({ error: DATE_FORM }).superRefine((text, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return void ctx.addIssue({ code: 'custom', message: `${DATE_FORM}, got "${text}"` });
  const day = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day === 'no_such_day')
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a date in the calendar; ${DATE_FORM}` });
  else if (day === 'out_of_range')
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is outside the dates toban reads (${DATE_RANGE.first} to ${DATE_RANGE.last})`,
    });
});

/** Ids that toban.yml refers to elsewhere (rotation:<id>, policy: <id>): one spelling each. */
const configId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes');

/** toban.yml `investigations.remind_before`: whole business minutes or hours ("90m", "2h"). */
export const REMIND_BEFORE_PATTERN = /^([1-9]\d{0,4})(m|h)$/;

/** "09:00-18:00": the hours of the day a rotation has someone on duty (local wall clock). */
export const BUSINESS_HOURS_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

const businessHours = z
  .string()
  .regex(BUSINESS_HOURS_PATTERN, 'expected "HH:MM-HH:MM" such as "09:00-18:00"')
  .refine((text) => {
    const m = BUSINESS_HOURS_PATTERN.exec(text)!;
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    return to > from && to <= 24 * 60;
  }, 'the hours must end after they begin, on the same day (at the latest 24:00)');

/** A company closure day or range (domain/closures.ts): "12-29..01-03", "2026-08-14". */
const closure = z.string().superRefine((text, ctx) => {
  const c = parseClosure(text);
  if ('error' in c) ctx.addIssue({ code: 'custom', message: c.error });
});

const rotation = z
  .object({
    // `me` names the per-person calendar feed (/oncall/me.ics), so no rotation may take it.
    id: configId.refine((id) => id !== 'me', '"me" is reserved (the /oncall/me.ics calendar feed)'),
    name: z.string().trim().min(1, 'expected a name people will read, not blank'),
    members: z
      .array(slackId)
      .min(1, 'expected at least one member')
      // Turns follow each person's place in the list, and the shift history keeps that place by
      // person: a person listed twice would lose a turn (and the one after them with it).
      .refine((m) => new Set(m).size === m.length, {
        message: 'lists a member twice: list each person once',
      }),
    shift,
    handoff: z.string().regex(HANDOFF_PATTERN, 'expected "Mon 10:00" or "10:00"'),
    start: isoDay.optional(),
    usergroup: slackId.optional(),
    business_days_only: z.boolean().default(false),
    /** Optional: someone is on duty only inside these hours (outside them nobody, not a gap). */
    business_hours: businessHours.optional(),
    /** Optional: the rotation's own time zone (IANA); default the business one. */
    timezone: z
      .string()
      .refine((tz) => IANAZone.isValidZone(tz), 'expected an IANA time zone such as Asia/Tokyo')
      .optional(),
    /** Optional: where cover requests are posted; default channels.alerts. */
    channel: slackId.optional(),
  })
  .strict();

const DURATION_FORM = 'expected a duration such as 5m, 2h or 1d';

/** A duration as domain/duration.ts reads it ("5m", "2h", "1h30m", "2時間"): 1 minute to 30 days. */
const duration = z.string({ error: DURATION_FORM }).superRefine((text, ctx) => {
  const ms = parseDuration(text);
  if (typeof ms === 'number') return;
  const message = {
    not_a_duration: `${DURATION_FORM}, got "${text}"`,
    too_short: `"${text}" is shorter than ${formatDuration(DURATION_BOUNDS.minMs)}`,
    too_long: `"${text}" is longer than ${formatDuration(DURATION_BOUNDS.maxMs)}`,
  }[ms];
  ctx.addIssue({ code: 'custom', message });
});

const TARGET_PROBLEMS: Record<TargetProblem, string> = {
  unknown_kind: 'expected rotation:<id>, user:<U…>, usergroup:<S…> or channel',
  bad_rotation: 'expected a rotation id after "rotation:" (lower-case letters, digits and dashes)',
  bad_user: 'expected a Slack user id after "user:", such as user:U0LEAD',
  bad_usergroup: 'expected a Slack user group id after "usergroup:", such as usergroup:S0ONCALL',
};

/** One escalation target (domain/escalation.ts parseTarget); whether a rotation exists is checked below. */
const target = z.string({ error: TARGET_PROBLEMS.unknown_kind }).superRefine((text, ctx) => {
  const t = parseTarget(text);
  if ('problem' in t)
    ctx.addIssue({ code: 'custom', message: `${TARGET_PROBLEMS[t.problem]}, got "${text}"` });
});

const escalationStep = z
  .object({
    /** One target, or a list notified together. */
    notify: z.union([target, z.array(target).min(1, 'expected at least one target')], {
      error: TARGET_PROBLEMS.unknown_kind,
    }),
    /** How long after this step the next one runs (after the last: before the steps start again). */
    wait: duration.optional(),
  })
  .strict();

const escalationPolicy = z
  .object({
    id: configId,
    steps: z.array(escalationStep).min(1, 'expected at least one step'),
    /** Walk the steps this many more times while nobody acknowledges. */
    repeat: z
      .number({ error: `expected a whole number from 0 to ${MAX_REPEAT}` })
      .int({ error: `expected a whole number from 0 to ${MAX_REPEAT}` })
      .min(0, { error: `expected a whole number from 0 to ${MAX_REPEAT}` })
      .max(MAX_REPEAT, { error: `expected a whole number from 0 to ${MAX_REPEAT}` })
      .default(0),
    /** Remind an acknowledged, unresolved group this often. */
    remind_acknowledged_every: duration.optional(),
  })
  .strict();

const HEARTBEAT_FORM = 'expected { name, every, grace, severity?, labels? }';

/** toban.yml `heartbeats`: a job that should POST /hooks/heartbeat/<name> every `every`. */
const heartbeat = z
  .object(
    {
      name: z
        .string({
          error: 'expected a name for /hooks/heartbeat/<name>: lower-case letters, digits and dashes',
        })
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
      every: duration,
      /** How much later than `every` a beat may come before the heartbeat is late. */
      grace: duration,
      severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }).default('error'),
      labels: z
        .record(z.string(), z.string({ error: 'expected a text value (quote numbers)' }))
        .refine((l) => !Object.hasOwn(l, 'heartbeat'), {
          message: 'the label "heartbeat" is toban\'s own (the heartbeat\'s name): leave it out',
        })
        .default({}),
    },
    // Only for an entry that is not a mapping at all; a misspelt key keeps zod's "Unrecognized key".
    { error: (issue) => (issue.code === 'invalid_type' ? HEARTBEAT_FORM : undefined) },
  )
  .strict();
/** A route matcher whose regular expression (after =~ or !~) compiles. */
function validMatcher(text: string): boolean {
  try {
    parseMatcher('label', text);
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    timezone: z
      .string()
      .refine((tz) => IANAZone.isValidZone(tz), 'expected an IANA time zone such as Asia/Tokyo')
      .optional(),
    locale: z.enum(['ja', 'en']).default('ja'),
    channels: z
      .object({
        alerts: slackId,
        investigations: slackId,
        incidents: slackId,
        finance: slackId,
      })
      .strict(),
    rotations: z.array(rotation).default([]),
    /** The company's own days off (年末年始…), skipped like holidays by business-day rotations. */
    closures: z.array(closure).default([]),
    escalation_policies: z.array(escalationPolicy).default([]),
    /** Dead man's switches (domain/heartbeat.ts). */
    heartbeats: z.array(heartbeat).default([]),
    routes: z
      .array(
        z
          .object({
            /** Label matchers: `value`, `"!=value"`, `"=~regex"`, `"!~regex"` (domain/alert-routing.ts). */
            match: z.record(
              z.string(),
              z.string().refine(validMatcher, 'expected a valid regular expression after =~ or !~'),
            ),
            channel: slackId,
            policy: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Investigation requests (調査依頼): who is on investigation duty. The channel is channels.investigations. */
    investigations: z
      .object({
        /** The rotation whose person on duty is assigned each new request (its id in `rotations`). */
        rotation: configId,
        /** Business hours deadlines and the time to answer are counted in (business days only). */
        business_hours: businessHours.default('09:00-18:00'),
        /** The monthly close (月次決算) runs on business days 1 to this of each month. */
        close_business_days: z.number().int().min(1).max(23).default(10),
        /** How long before a reply deadline its assignee is reminded, in business time ("2h", "90m"). */
        remind_before: z
          .string()
          .regex(REMIND_BEFORE_PATTERN, 'expected business hours or minutes such as 2h or 90m')
          .optional(),
      })
      .strict()
      .optional(),
    /** Alert intake settings (docs/alerts/intake.md). */
    alerts: z
      .object({
        /** Amazon SNS topics whose messages cloudwatch accepts; empty: any topic (signature still checked). */
        sns_topics: z
          .array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:\S+$/, 'expected an SNS topic ARN'))
          .default([]),
      })
      .strict()
      .default({ sns_topics: [] }),
    permissions: z
      .object({
        finance: z.array(slackId).default([]),
        admins: z.array(slackId).default([]),
      })
      .strict()
      .default({ finance: [], admins: [] }),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.rotations.forEach((r, i) => {
      if (ids.has(r.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rotations', i, 'id'],
          message: `duplicate rotation id "${r.id}"`,
        });
      ids.add(r.id);
      const weekday = HANDOFF_PATTERN.exec(r.handoff)?.[1];
      if (r.shift === 'weekly' && !weekday)
        ctx.addIssue({
          code: 'custom',
          path: ['rotations', i, 'handoff'],
          message: 'a weekly shift needs a weekday, e.g. "Mon 10:00"',
        });
    });
    const dutyRotation = cfg.investigations?.rotation;
    if (dutyRotation && !ids.has(dutyRotation))
      ctx.addIssue({
        code: 'custom',
        path: ['investigations', 'rotation'],
        message: `unknown rotation "${dutyRotation}"`,
      });
    const policies = new Set<string>();
    cfg.escalation_policies.forEach((p, i) => {
      if (policies.has(p.id))
        ctx.addIssue({
          code: 'custom',
          path: ['escalation_policies', i, 'id'],
          message: `duplicate escalation policy id "${p.id}"`,
        });
      policies.add(p.id);
    });
    cfg.routes.forEach((route, i) => {
      if (route.policy && !policies.has(route.policy))
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'policy'],
          message: `unknown escalation policy "${route.policy}"`,
        });
    });
    cfg.escalation_policies.forEach((p, i) => {
      p.steps.forEach((s, j) => {
        const list = Array.isArray(s.notify) ? s.notify : [s.notify];
        list.forEach((text, k) => {
          const rot = /^rotation:(.+)$/.exec(text)?.[1];
          if (rot && !ids.has(rot))
            ctx.addIssue({
              code: 'custom',
              path: ['escalation_policies', i, 'steps', j, 'notify', ...(Array.isArray(s.notify) ? [k] : [])],
              message: `unknown rotation "${rot}"`,
            });
        });
      });
      // Round r + 1 starts the last step's wait after round r's last step: with no wait, every
      // repeat would fall due at the same instant.
      if (p.repeat > 0 && !p.steps[p.steps.length - 1]!.wait)
        ctx.addIssue({
          code: 'custom',
          path: ['escalation_policies', i, 'repeat'],
          message: 'repeating needs a wait on the last step (how long before the steps start again)',
        });
    });
    const heartbeats = new Set<string>();
    cfg.heartbeats.forEach((h, i) => {
      if (heartbeats.has(h.name))
        ctx.addIssue({
          code: 'custom',
          path: ['heartbeats', i, 'name'],
          message: `duplicate heartbeat name "${h.name}"`,
        });
      heartbeats.add(h.name);
    });
  });

export type FileConfig = z.infer<typeof configSchema>;
export type RotationConfig = FileConfig['rotations'][number];
export type EscalationPolicyConfig = FileConfig['escalation_policies'][number];
export type HeartbeatConfig = FileConfig['heartbeats'][number];

/** `rotations[1].handoff: expected "Mon 10:00" or "10:00"` */
export function formatIssue(issue: { path: PropertyKey[]; message: string }): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return `${path || '(top level)'}: ${issue.message}`;
}

// The shape of toban.yml. Validated once at start; a bad file stops the start with the key and the problem.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseClosure } from '../domain/closures.ts';
import { parseMatcher } from '../domain/alert-routing.ts';
import { calendarDate, DATE_RANGE } from '../domain/dates.ts';

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

const duration = z.string().regex(/^\d+(s|m|h|d)$/, 'expected a duration such as 5m, 2h or 1d');

const escalationStep = z
  .object({
    notify: z
      .string()
      .regex(
        /^(rotation:[a-z0-9-]+|user:[A-Z0-9]+|channel)$/,
        'expected rotation:<id>, user:<id> or channel',
      ),
    wait: duration.optional(),
  })
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
    escalation_policies: z
      .array(z.object({ id: configId, steps: z.array(escalationStep).min(1) }).strict())
      .default([]),
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
    cfg.escalation_policies.forEach((p, i) =>
      p.steps.forEach((s, j) => {
        const rot = /^rotation:(.+)$/.exec(s.notify)?.[1];
        if (rot && !ids.has(rot))
          ctx.addIssue({
            code: 'custom',
            path: ['escalation_policies', i, 'steps', j, 'notify'],
            message: `unknown rotation "${rot}"`,
          });
      }),
    );
  });

export type FileConfig = z.infer<typeof configSchema>;
export type RotationConfig = FileConfig['rotations'][number];

/** `rotations[1].handoff: expected "Mon 10:00" or "10:00"` */
export function formatIssue(issue: { path: PropertyKey[]; message: string }): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return `${path || '(top level)'}: ${issue.message}`;
}

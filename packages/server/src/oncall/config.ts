/**
 * The `oncall:` section of Vigil's config: people, teams, schedules and
 * escalation policies. Times come out in UTC ms, durations in ms; ids are
 * cross-checked, and an unknown id is an error at the path that names it.
 */
import { z } from 'zod';
import { digestConfigSchema } from './digest-scheduler.ts';
import { parseDurationMs } from '../config/duration.ts';
import { isTimeZone, minuteOfDay, parseConfigTime, toWall } from '../local-time.ts';
import type { EscalationSettings } from './escalation.ts';
import type { IncidentSettings } from './incidents.ts';
import { OVERRIDE_LAYER, type EscalationPolicy, type Layer, type NotifyTarget, type OncallConfig, type Override, type Rotation, type Schedule } from './model.ts';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const DAY_SETS: Record<string, number[]> = { weekdays: [1, 2, 3, 4, 5], weekends: [0, 6], every_day: [0, 1, 2, 3, 4, 5, 6] };

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use up to 64 letters, digits, "_", "-" or ".", starting with a letter or digit');
const name = z.string().min(1).max(200);

const timeZone = z.string().refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not a known IANA time zone, e.g. Europe/Berlin` });

/** Minutes since midnight; `allowEndOfDay` accepts 24:00 (a window's end). */
function timeOfDay(allowEndOfDay: boolean) {
  const limit = allowEndOfDay ? 1440 : 1439;
  return z.string().transform((text, ctx) => {
    const m = /^(\d{2}):(\d{2})$/.exec(text);
    const minutes = m && Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : undefined;
    if (minutes === undefined || minutes > limit) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a time of day; use HH:MM from 00:00 to ${allowEndOfDay ? '24:00' : '23:59'}` });
    }
    return minutes ?? 0;
  });
}

const duration = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms === 0) ctx.addIssue({ code: 'custom', message: `"${text}" is not a positive duration; use e.g. 5m, 1h` });
  return ms ?? 0;
});

// ---- people and teams -------------------------------------------------------

const personSchema = z
  .object({
    id,
    name,
    email: z.email({ error: 'not an e-mail address' }).optional(),
    phone: z.string().regex(/^\+[1-9]\d{1,14}$/, 'use E.164, e.g. +14155550123').optional(),
    slack: z
      .object({ webhook_url: z.url({ protocol: /^https?$/, error: 'use an http(s) URL' }).optional(), user: z.string().min(1).optional() })
      .strict()
      .optional(),
    webhook_url: z.url({ protocol: /^https?$/, error: 'use an http(s) URL' }).optional(),
    time_zone: timeZone,
  })
  .strict();

const teamSchema = z.object({ id, name, members: z.array(id).min(1, 'a team needs at least one member') }).strict();

// ---- schedules ----------------------------------------------------------------

/** `1d`, `1w`, `12h`, `2w`… or a whole number of days. */
const rotationLength = z.union([z.number(), z.string()]).transform((value, ctx): Rotation => {
  const m = typeof value === 'string' ? /^(\d{1,4})([hdw])$/.exec(value) : undefined;
  const count = typeof value === 'number' ? value : Number(m?.[1]) * (m?.[2] === 'w' ? 7 : 1);
  if (!Number.isInteger(count) || count < 1 || count > 3650) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a rotation length; use e.g. 12h, 1d, 1w or a number of days` });
  }
  return { unit: m?.[2] === 'h' ? 'hour' : 'day', count: Math.max(1, count || 1) };
});

const rotationSchema = z
  .object({
    length: rotationLength,
    /** Local time of each handoff; default: the local time of the layer's start. */
    handoff: timeOfDay(false).optional(),
  })
  .strict();

const days = z
  .union([z.enum(['weekdays', 'weekends', 'every_day']), z.array(z.enum(WEEKDAYS)).min(1)], {
    error: `use weekdays, weekends, every_day or a list of day names (${WEEKDAYS.join(', ')})`,
  })
  .transform((value) => (typeof value === 'string' ? DAY_SETS[value] : [...new Set(value.map((day) => WEEKDAYS.indexOf(day)))].sort((a, b) => a - b)));

const restrictionSchema = z
  .object({ days: days.default(() => [...DAY_SETS.every_day]), from: timeOfDay(false), to: timeOfDay(true) })
  .strict()
  .refine((r) => r.from !== r.to, { error: 'from and to must differ (leave out restrictions to be on call all day)', path: ['to'] })
  .transform((r) => ({ days: r.days, fromMinute: r.from, toMinute: r.to }));

const layerSchema = z
  .object({
    name,
    participants: z.array(id).min(1, 'a layer needs at least one participant'),
    /** RFC 3339, or local YYYY-MM-DDTHH:MM in the schedule's time zone. */
    start: z.string(),
    rotation: rotationSchema,
    restrictions: z.array(restrictionSchema).default([]),
  })
  .strict();

const overrideSchema = z.object({ person: id, start: z.string(), end: z.string(), reason: z.string().max(500).optional() }).strict();

const badTime = (text: string) => `"${text}" is not a time; use RFC 3339 (2026-03-01T09:00:00Z) or local YYYY-MM-DDTHH:MM`;

const scheduleSchema = z
  .object({
    id,
    name,
    time_zone: timeZone,
    layers: z.array(layerSchema).min(1, 'a schedule needs at least one layer'),
    overrides: z.array(overrideSchema).default([]),
  })
  .strict()
  .transform((raw, ctx): Schedule => {
    const at = (text: string, path: (string | number)[]) => {
      const ms = parseConfigTime(text, raw.time_zone);
      if (ms === undefined) ctx.addIssue({ code: 'custom', path, message: badTime(text) });
      return ms;
    };
    const layers = raw.layers.map((l, i): Layer => {
      const startMs = at(l.start, ['layers', i, 'start']) ?? 0;
      const handoffMinute = l.rotation.handoff ?? minuteOfDay(toWall(startMs, raw.time_zone));
      return { name: l.name, participants: l.participants, startMs, rotation: l.rotation.length, handoffMinute, restrictions: l.restrictions };
    });
    const overrides = raw.overrides.map((o, i): Override => {
      const startMs = at(o.start, ['overrides', i, 'start']) ?? 0;
      const endMs = at(o.end, ['overrides', i, 'end']) ?? Infinity;
      if (endMs <= startMs) ctx.addIssue({ code: 'custom', path: ['overrides', i, 'end'], message: 'end must be after start' });
      return { person: o.person, startMs, endMs, ...(o.reason !== undefined && { reason: o.reason }) };
    });
    return { id: raw.id, name: raw.name, time_zone: raw.time_zone, layers, overrides };
  });

// ---- escalation policies ------------------------------------------------------

const notifyTargetSchema = z
  .object({ schedule: id.optional(), person: id.optional(), team: id.optional() })
  .strict()
  .transform((t, ctx): NotifyTarget => {
    const given = (['schedule', 'person', 'team'] as const).filter((key) => t[key] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of schedule, person or team' });
    const key = given[0] ?? 'person';
    return { [key]: t[key] ?? '' } as NotifyTarget;
  });

const notifyList = z.array(notifyTargetSchema).min(1, 'notify at least one schedule, person or team');

const stepSchema = z
  .object({ notify: notifyList, wait: duration.prefault('5m') })
  .strict()
  .transform((s) => ({ targets: s.notify, waitMs: s.wait }));

const policySchema = z
  .object({
    id,
    name,
    steps: z.array(stepSchema).min(1, 'a policy needs at least one step'),
    repeat: z.number().int().min(0).max(100).default(0),
    final: z.object({ notify: notifyList }).strict().optional(),
  })
  .strict()
  .transform((p): EscalationPolicy => ({ id: p.id, name: p.name, steps: p.steps, repeat: p.repeat, ...(p.final && { final: { targets: p.final.notify } }) }));

// ---- the section --------------------------------------------------------------

/** Twilio's Messages API, for pages to people's phones and their SMS replies (the auth token verifies those). */
const smsSchema = z
  .object({
    account_sid: z.string().min(1),
    auth_token: z.string().min(1),
    /** E.164 sender number. */
    from: z.string().regex(/^\+[1-9]\d{1,14}$/, 'use E.164, e.g. +14155550123'),
    /** Undefined: the Alertmanager global.twilio_api_url. */
    api_url: z.url({ protocol: /^https?$/, error: 'use an http(s) URL' }).optional(),
  })
  .strict();

// ---- auto-escalation and fatigue control (each on by default) ---------------

const enabled = z.boolean().default(true);

const triggersSchema = z
  .object({
    /** Not acknowledged this long after triggering → the next step at once. */
    unacknowledged: z.object({ enabled, critical: duration.prefault('5m'), high: duration.prefault('15m') }).strict().prefault({}),
    /** The same alert firing `fires` times within `within` → severity raised one level. */
    flapping: z.object({ enabled, fires: z.number().int().min(1).default(3), within: duration.prefault('30m') }).strict().prefault({}),
    /** More than `max_open_critical` critical incidents open at once → `notify` is paged once per storm. */
    incident_commander: z.object({ enabled, notify: notifyTargetSchema.optional(), max_open_critical: z.number().int().min(0).default(2) }).strict().prefault({}),
    /** An acknowledged incident whose alerts keep firing re-triggers after this. */
    acknowledgement_timeout: duration.prefault('4h'),
  })
  .strict();

const fatigueSchema = z
  .object({
    enabled,
    /** More critical pages than this per person per hour go to the next person in the chain (and the digest). */
    critical_pages_per_hour: z.number().int().min(1).default(3),
    /** A low-severity alert firing more often than this in a day is snoozed until the next local midnight. */
    low_alert_fires_per_day: z.number().int().min(0).default(10),
    /** Whose midnight that is. */
    time_zone: z.string().refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone, e.g. Europe/Berlin` }).default('UTC'),
  })
  .strict();

export const oncallConfigSchema = z
  .object({
    people: z.array(personSchema).default([]),
    teams: z.array(teamSchema).default([]),
    schedules: z.array(scheduleSchema).default([]),
    escalation_policies: z.array(policySchema).default([]),
    sms: smsSchema.optional(),
    /** Signs acknowledge/resolve links; undefined: a secret generated once and kept in alerting.db. */
    link_secret: z.string().min(16, 'use at least 16 characters').optional(),
    /** The daily digest: low alerts, pages per person, MTTA, MTTR, noisiest alerts. */
    digest: digestConfigSchema.optional(),
    triggers: triggersSchema.prefault({}),
    fatigue: fatigueSchema.prefault({}),
  })
  .strict()
  // Only a well-formed section has the shape the check reads, so unknown ids are reported once everything else is right.
  .superRefine((config, ctx) => checkReferences(config, ctx), { when: (payload) => payload.issues.length === 0 });

export type OncallConfigInput = z.input<typeof oncallConfigSchema>;

type Path = (string | number)[];

function checkReferences(config: OncallConfig, ctx: z.RefinementCtx): void {
  const problem = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const known = {
    person: uniqueIds(config.people, 'people', problem),
    team: uniqueIds(config.teams, 'teams', problem),
    schedule: uniqueIds(config.schedules, 'schedules', problem),
  };
  uniqueIds(config.escalation_policies, 'escalation_policies', problem);
  const mustExist = (kind: keyof typeof known, ref: string, path: Path) => {
    if (!known[kind].has(ref)) problem(path, `no ${kind} "${ref}"`);
  };
  config.teams.forEach((team, i) => team.members.forEach((m, j) => mustExist('person', m, ['teams', i, 'members', j])));
  config.schedules.forEach((s, i) => {
    const layerNames = new Set<string>();
    s.layers.forEach((layer, j) => {
      if (layer.name === OVERRIDE_LAYER) problem(['schedules', i, 'layers', j, 'name'], `"${OVERRIDE_LAYER}" is reserved for overrides`);
      else if (layerNames.has(layer.name)) problem(['schedules', i, 'layers', j, 'name'], `duplicate layer name "${layer.name}"`);
      layerNames.add(layer.name);
      layer.participants.forEach((p, k) => mustExist('person', p, ['schedules', i, 'layers', j, 'participants', k]));
    });
    s.overrides.forEach((o, j) => mustExist('person', o.person, ['schedules', i, 'overrides', j, 'person']));
  });
  const checkTargets = (targets: NotifyTarget[], path: Path) =>
    targets.forEach((t, k) => {
      const [kind, ref] = Object.entries(t)[0] as [keyof typeof known, string];
      mustExist(kind, ref, [...path, 'notify', k, kind]);
    });
  config.escalation_policies.forEach((p, i) => {
    p.steps.forEach((step, j) => checkTargets(step.targets, ['escalation_policies', i, 'steps', j]));
    if (p.final) checkTargets(p.final.targets, ['escalation_policies', i, 'final']);
  });
  const commander = (config as OncallConfig & { triggers?: { incident_commander: { notify?: NotifyTarget } } }).triggers?.incident_commander.notify;
  if (commander) {
    const [kind, ref] = Object.entries(commander)[0] as [keyof typeof known, string];
    mustExist(kind, ref, ['triggers', 'incident_commander', 'notify', kind]);
  }
}

type OncallSectionOutput = z.output<typeof oncallConfigSchema>;

/** The engine's settings from the `triggers` and `fatigue` sections. */
export function engineSettings(section: Pick<OncallSectionOutput, 'triggers' | 'fatigue'>): { escalation: EscalationSettings; incidents: IncidentSettings } {
  const { unacknowledged, flapping, incident_commander: commander, acknowledgement_timeout } = section.triggers;
  return {
    escalation: {
      autoEscalate: { enabled: unacknowledged.enabled, criticalMs: unacknowledged.critical, highMs: unacknowledged.high },
      commander: { enabled: commander.enabled && commander.notify !== undefined, target: commander.notify, maxOpenCritical: commander.max_open_critical },
      fatigue: { enabled: section.fatigue.enabled, criticalPagesPerWindow: section.fatigue.critical_pages_per_hour, windowMs: 3_600_000 },
    },
    incidents: {
      ackTimeoutMs: acknowledgement_timeout,
      flapping: { enabled: flapping.enabled, fires: flapping.fires, windowMs: flapping.within },
      lowNoise: { enabled: section.fatigue.enabled, firesPerDay: section.fatigue.low_alert_fires_per_day, timeZone: section.fatigue.time_zone },
    },
  };
}

function uniqueIds(items: { id: string }[], list: string, problem: (path: Path, message: string) => void): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) problem([list, i, 'id'], `duplicate id "${item.id}"`);
    seen.add(item.id);
  });
  return seen;
}

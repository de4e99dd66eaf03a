/**
 * The on-call model as the rest of Vigil sees it, after the config is
 * validated: ids are cross-checked, times are UTC milliseconds, durations
 * are milliseconds, local times of day are minutes since local midnight.
 */

export interface Person {
  id: string;
  name: string;
  email?: string;
  /** E.164, e.g. +14155550123. */
  phone?: string;
  slack?: { webhook_url?: string; user?: string };
  webhook_url?: string;
  /** IANA name, e.g. Europe/Berlin. */
  time_zone: string;
}

export interface Team {
  id: string;
  name: string;
  /** Person ids. */
  members: string[];
}

/** How long each participant's turn lasts, counted on the schedule's local clock. */
export type Rotation = { unit: 'day'; count: number } | { unit: 'hour'; count: number };

/** A window of local time in which a layer has someone on call. */
export interface Restriction {
  /** 0 is Sunday. The day on which the window starts. */
  days: number[];
  fromMinute: number;
  /** Minutes since local midnight, up to 1440; at or before `fromMinute` means the window ends the next day. */
  toMinute: number;
}

export interface Layer {
  name: string;
  /** Person ids, in turn order. */
  participants: string[];
  /** The first participant's turn starts here. */
  startMs: number;
  rotation: Rotation;
  /** Local time of day of each handoff. A weekly or N-day rotation hands off on the weekday of `startMs`. */
  handoffMinute: number;
  /** Empty: on call around the clock. */
  restrictions: Restriction[];
}

export interface Override {
  person: string;
  startMs: number;
  /** Exclusive. */
  endMs: number;
  reason?: string;
}

export interface Schedule {
  id: string;
  name: string;
  time_zone: string;
  /** Later layers win wherever they have someone on call. */
  layers: Layer[];
  /** Win over every layer; a later override wins over an earlier one. */
  overrides: Override[];
}

/** Exactly one key: whom a step pages. */
export type NotifyTarget = { schedule: string } | { person: string } | { team: string };

/** Config's `notify` lists come out as `targets` (the escalation engine's word). */
export interface EscalationStep {
  targets: NotifyTarget[];
  /** How long to wait for an acknowledgement before the next step. */
  waitMs: number;
}

export interface EscalationPolicy {
  id: string;
  name: string;
  steps: EscalationStep[];
  /** How many more times the whole chain runs after the first pass. */
  repeat: number;
  /** Paged once when the chain (with its repeats) is exhausted. */
  final?: { targets: NotifyTarget[] };
}

export interface OncallConfig {
  people: Person[];
  teams: Team[];
  schedules: Schedule[];
  escalation_policies: EscalationPolicy[];
}

/** Who is on call at one instant, and from which layer ('override' for an override). */
export interface OnCall {
  person: string;
  layer: string;
}

/** A contiguous stretch with one person on call from one layer (or 'override'); end exclusive. */
export interface Shift {
  person: string;
  layer: string;
  startMs: number;
  endMs: number;
}

export const OVERRIDE_LAYER = 'override';

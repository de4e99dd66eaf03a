/**
 * Silences, kept as Alertmanager keeps them (UUIDs, expire-and-replace when
 * an active silence's matchers change, 120h retention after expiry), in one
 * SQLite table so that they survive a restart, and held in memory because
 * every alert is checked against them on every dispatch.
 *
 * Vigil extensions: `recurrence` (Alertmanager `time_intervals` entries; the
 * silence then mutes only inside them, e.g. Sundays 02:00–04:00 for
 * backups), and `onExpired`, called once when a silence runs out so that its
 * creator can be told.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { VigilError } from '../errors.ts';
import { compileRegex } from '../logql/regex.ts';
import { compileMatchers, type Matcher } from './matchers.ts';
import type { LabelSet } from './model.ts';
import { isWithin, timeIntervalSchema, type TimeIntervalSpec } from './time-intervals.ts';

/** Alertmanager's `--data.retention` default: expired silences stay listed this long. */
export const DEFAULT_SILENCE_RETENTION_MS = 120 * 3600_000;
const DEFAULT_MAINTENANCE_INTERVAL_MS = 15_000;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const timestamp = z
  .string()
  .refine((text) => RFC3339.test(text) && !Number.isNaN(Date.parse(text)), {
    error: (issue) => `"${String(issue.input)}" is not an RFC 3339 time, e.g. 2026-01-02T15:04:05Z`,
  });

const silenceMatcherSchema = z
  .object({
    name: z.string().regex(LABEL_NAME, 'not a valid label name'),
    value: z.string(),
    isRegex: z.boolean(),
    isEqual: z.boolean().default(true),
  })
  .strict();

/** `POST /api/v2/silences`'s body. Strict: a misspelt `recurrence` must not silently mute around the clock. */
export const postableSilenceSchema = z
  .object({
    id: z.string().optional(),
    matchers: z.array(silenceMatcherSchema).min(1, 'at least one matcher is required'),
    startsAt: timestamp,
    endsAt: timestamp,
    createdBy: z.string(),
    comment: z.string(),
    annotations: z.record(z.string(), z.string()).optional(),
    /** Kept as sent (checked on upsert) so that it is listed back as the user wrote it. */
    recurrence: z.array(z.unknown()).optional(),
  })
  .strict();

export type PostableSilence = z.output<typeof postableSilenceSchema>;
export type SilenceMatcher = PostableSilence['matchers'][number];
export type SilenceState = 'expired' | 'active' | 'pending';

export interface GettableSilence {
  id: string;
  matchers: SilenceMatcher[];
  /** RFC 3339, as are endsAt and updatedAt. */
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  annotations: LabelSet;
  status: { state: SilenceState };
  recurrence?: unknown[];
}

export interface SilenceEvent {
  action: 'created' | 'updated' | 'expired';
  silence: GettableSilence;
}

export interface SilencesOptions {
  clock: Clock;
  /** Called once when a silence's end passes by itself (not when expired by hand or replaced). Must not throw. */
  onExpired?: (silence: GettableSilence) => void;
  /** Every change, for the alert ledger. Must not throw. */
  onChange?: (event: SilenceEvent) => void;
  /** How long an expired silence is kept, ms. */
  retentionMs?: number;
  /** How often expiry notices and clean-up run, ms. */
  maintenanceIntervalMs?: number;
}

/** Checks shape and field types; `Silences.upsert` checks the rest. Errors name the field. */
export function parsePostableSilence(input: unknown): PostableSilence {
  const result = postableSilenceSchema.safeParse(withoutReadOnlyFields(input));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issueMessage(issue)}`);
  throw invalid(problems.join('; '));
}

/** A silence read with GET and posted back unchanged carries `status` and `updatedAt`; they are answers, not input. */
function withoutReadOnlyFields(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { status: _status, updatedAt: _updatedAt, ...rest } = input as Record<string, unknown>;
  return rest;
}

/** A silence as stored; times are ms since the epoch. */
interface StoredSilence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
  annotations: LabelSet;
  recurrence?: unknown[];
}

interface LiveSilence {
  stored: StoredSilence;
  matches: (labels: LabelSet) => boolean;
  intervals?: TimeIntervalSpec[];
  expiryNoticed: boolean;
}

const TABLE = `
CREATE TABLE IF NOT EXISTS silences (
  id TEXT PRIMARY KEY,
  ends_at INTEGER NOT NULL,
  expiry_noticed INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL
);
`;

function prepareStatements(db: Database.Database) {
  db.exec(TABLE);
  return {
    all: db.prepare<[], { body: string; expiry_noticed: number }>('SELECT body, expiry_noticed FROM silences'),
    save: db.prepare<[string, number, number, string]>('INSERT OR REPLACE INTO silences (id, ends_at, expiry_noticed, body) VALUES (?, ?, ?, ?)'),
    remove: db.prepare<[string]>('DELETE FROM silences WHERE id = ?'),
  };
}

export class Silences {
  private readonly live = new Map<string, LiveSilence>();
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly retentionMs: number;
  private timer?: { stop(): void };

  constructor(
    db: Database.Database,
    private readonly options: SilencesOptions,
  ) {
    this.statements = prepareStatements(db);
    this.retentionMs = options.retentionMs ?? DEFAULT_SILENCE_RETENTION_MS;
    for (const row of this.statements.all.all()) this.load(JSON.parse(row.body) as StoredSilence, row.expiry_noticed === 1);
  }

  /** Runs maintenance now (catching up on what ended while Vigil was down) and then periodically. */
  start(): void {
    this.maintain();
    this.timer ??= this.options.clock.setInterval(() => this.maintain(), this.options.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS);
  }

  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  /** Creates a silence, or updates the one named by `id`; answers the id that now holds it. */
  upsert(postable: PostableSilence): string {
    const now = this.options.clock.now();
    const candidate = checkedSilence(postable, now);
    const previous = postable.id ? this.live.get(postable.id) : undefined;
    if (postable.id && !previous) throw notFound(postable.id);
    if (previous && canUpdateInPlace(previous.stored, candidate, now)) {
      const updated = this.save({ ...candidate, id: previous.stored.id, updatedAt: now }, false);
      this.options.onChange?.({ action: 'updated', silence: this.gettable(updated, now) });
      return updated.stored.id;
    }
    // As Alertmanager: a change that cannot be made in place ends the old silence and starts a new one.
    if (previous && stateAt(previous.stored, now) !== 'expired') this.end(previous, now);
    const created = this.save({ ...candidate, id: randomUUID(), startsAt: Math.max(candidate.startsAt, now), updatedAt: now }, false);
    this.options.onChange?.({ action: 'created', silence: this.gettable(created, now) });
    return created.stored.id;
  }

  get(id: string): GettableSilence {
    const silence = this.live.get(id);
    if (!silence) throw notFound(id);
    return this.gettable(silence, this.options.clock.now());
  }

  /**
   * Silences whose matchers satisfy every filter matcher, in Alertmanager's
   * order (active by end, pending by start, then expired, latest first). As
   * Alertmanager, a filter on a label the silence has no matcher for excludes it.
   */
  list(filter: readonly Matcher[] = []): GettableSilence[] {
    const now = this.options.clock.now();
    const accepts = compileMatchers(filter);
    const selected = [...this.live.values()].filter((silence) => {
      const labels = Object.fromEntries(silence.stored.matchers.map((m) => [m.name, m.value]));
      return filter.every((m) => Object.hasOwn(labels, m.name)) && accepts(labels);
    });
    return selected.map((silence) => this.gettable(silence, now)).sort(byAlertmanagerOrder);
  }

  /** Ends a silence now; one already expired is an error, as in Alertmanager. */
  expire(id: string): void {
    const silence = this.live.get(id);
    if (!silence) throw notFound(id);
    const now = this.options.clock.now();
    if (stateAt(silence.stored, now) === 'expired') throw invalid(`silence ${id} is already expired`);
    this.end(silence, now);
  }

  /** Ids of the silences muting an alert with these labels at `atMs`. */
  mutedBy(labels: LabelSet, atMs: number): string[] {
    const ids: string[] = [];
    for (const silence of this.live.values()) {
      const { startsAt, endsAt } = silence.stored;
      if (atMs < startsAt || atMs >= endsAt) continue;
      if (silence.intervals && !isWithin(silence.intervals, atMs)) continue;
      if (silence.matches(labels)) ids.push(silence.stored.id);
    }
    return ids;
  }

  /** Sends expiry notices for silences that ran out, then drops those past retention. */
  maintain(): void {
    const now = this.options.clock.now();
    for (const silence of [...this.live.values()]) {
      if (silence.stored.endsAt > now) continue;
      if (!silence.expiryNoticed) this.noticeExpiry(silence, now);
      if (silence.stored.endsAt < now - this.retentionMs) this.drop(silence.stored.id);
    }
  }

  private noticeExpiry(silence: LiveSilence, now: number): void {
    const noticed = this.save(silence.stored, true);
    const gettable = this.gettable(noticed, now);
    this.options.onExpired?.(gettable);
    this.options.onChange?.({ action: 'expired', silence: gettable });
  }

  /** Expiry by hand or by replacement: nobody needs telling that it ran out. */
  private end(silence: LiveSilence, now: number): void {
    const { stored } = silence;
    const startsAt = Math.min(stored.startsAt, now);
    const ended = this.save({ ...stored, startsAt, endsAt: now, updatedAt: now }, true);
    this.options.onChange?.({ action: 'expired', silence: this.gettable(ended, now) });
  }

  private save(stored: StoredSilence, expiryNoticed: boolean): LiveSilence {
    this.statements.save.run(stored.id, stored.endsAt, expiryNoticed ? 1 : 0, JSON.stringify(stored));
    return this.load(stored, expiryNoticed);
  }

  private load(stored: StoredSilence, expiryNoticed: boolean): LiveSilence {
    const silence: LiveSilence = {
      stored,
      matches: compileMatchers(stored.matchers.map(toMatcher)),
      intervals: stored.recurrence && parseRecurrence(stored.recurrence),
      expiryNoticed,
    };
    this.live.set(stored.id, silence);
    return silence;
  }

  private drop(id: string): void {
    this.live.delete(id);
    this.statements.remove.run(id);
  }

  private gettable(silence: LiveSilence, now: number): GettableSilence {
    const { stored } = silence;
    return {
      id: stored.id,
      matchers: stored.matchers.map((m) => ({ ...m })),
      startsAt: new Date(stored.startsAt).toISOString(),
      endsAt: new Date(stored.endsAt).toISOString(),
      updatedAt: new Date(stored.updatedAt).toISOString(),
      createdBy: stored.createdBy,
      comment: stored.comment,
      annotations: { ...stored.annotations },
      status: { state: stateAt(stored, now) },
      ...(stored.recurrence ? { recurrence: stored.recurrence } : {}),
    };
  }
}

function stateAt(silence: { startsAt: number; endsAt: number }, now: number): SilenceState {
  if (silence.endsAt <= now) return 'expired';
  return now < silence.startsAt ? 'pending' : 'active';
}

/** Alertmanager's canUpdate: same matchers, and an active silence keeps its start and does not end in the past. */
function canUpdateInPlace(previous: StoredSilence, next: Omit<StoredSilence, 'id' | 'updatedAt'>, now: number): boolean {
  if (JSON.stringify(previous.matchers) !== JSON.stringify(next.matchers)) return false;
  switch (stateAt(previous, now)) {
    case 'expired':
      return false;
    case 'active':
      return next.startsAt === previous.startsAt && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
  }
}

/** What Alertmanager's validateSilence checks, plus the recurrence; the result without id and updatedAt. */
function checkedSilence(postable: PostableSilence, now: number): Omit<StoredSilence, 'id' | 'updatedAt'> {
  const startsAt = Date.parse(postable.startsAt);
  const endsAt = Date.parse(postable.endsAt);
  if (endsAt <= startsAt) throw invalid(`endsAt: ${postable.endsAt} must be after startsAt ${postable.startsAt}`);
  if (endsAt < now) throw invalid(`endsAt: ${postable.endsAt} is in the past`);
  const matchers = postable.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual }));
  matchers.forEach(checkRegex);
  if (matchers.every(matchesEmpty)) {
    throw invalid('matchers: at least one matcher must not match the empty string, or the silence would mute every alert');
  }
  if (postable.recurrence) parseRecurrence(postable.recurrence);
  return {
    matchers,
    startsAt,
    endsAt,
    createdBy: postable.createdBy,
    comment: postable.comment,
    annotations: postable.annotations ?? {},
    ...(postable.recurrence ? { recurrence: postable.recurrence } : {}),
  };
}

function checkRegex(m: SilenceMatcher, index: number): void {
  if (!m.isRegex) return;
  try {
    compileRegex(m.value, true);
  } catch (err) {
    throw invalid(`matchers[${index}].value: ${(err as Error).message}`);
  }
}

/** As Alertmanager counts it: a negative matcher never counts as matching the empty string. */
function matchesEmpty(m: SilenceMatcher): boolean {
  if (!m.isEqual) return false;
  return m.isRegex ? compileRegex(m.value, true).test('') : m.value === '';
}

function parseRecurrence(recurrence: unknown[]): TimeIntervalSpec[] {
  const result = z.array(timeIntervalSchema).min(1, 'give at least one time interval, or leave recurrence out').safeParse(recurrence);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${fieldPath(['recurrence', ...issue.path])}: ${issueMessage(issue)}`);
  throw invalid(problems.join('; '));
}

function toMatcher(m: SilenceMatcher): Matcher {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return { name: m.name, op, value: m.value };
}

const STATE_ORDER: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

function byAlertmanagerOrder(a: GettableSilence, b: GettableSilence): number {
  const state = STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state];
  if (state !== 0) return state;
  if (a.status.state === 'active') return a.endsAt.localeCompare(b.endsAt);
  if (a.status.state === 'pending') return a.startsAt.localeCompare(b.startsAt);
  return b.endsAt.localeCompare(a.endsAt);
}

/** `matchers[0].name`, as the user's JSON has it. */
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

function invalid(message: string): VigilError {
  return new VigilError('VIGIL_ERR_SILENCE_INVALID', message);
}

function notFound(id: string): VigilError {
  return new VigilError('VIGIL_ERR_NOT_FOUND', `silence ${id} not found`);
}

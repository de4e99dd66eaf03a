/**
 * The daily on-call digest: once per local day, at a configured local time,
 * the figures of the last day (fatigue.ts `digest`) go as text to a
 * configured receiver, through the notifiers like any alert. Local days are
 * 23 or 25 hours across DST changes; a time in a spring-forward gap fires at
 * the change, one in a fall-back overlap fires at its first occurrence.
 *
 * The next send time is kept in the incident store, so a restart neither
 * sends a day twice nor skips one it was down for (it sends that one late).
 */
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { LabelSet, Notification, NotificationAlert, NotifierPort } from '../dispatch/model.ts';
import { VigilError } from '../errors.ts';
import { digest, type AlertFires, type Digest, type PersonPages } from './fatigue.ts';
import type { IncidentStore } from './incident-store.ts';
import { DAY_MS, fromWall, isTimeZone, MINUTE_MS, startOfDay, toWall } from '../local-time.ts';

/** The proposed `oncall.digest` config key. */
export const digestConfigSchema = z
  .object({
    /** A receiver of the Alertmanager configuration. */
    receiver: z.string().min(1, 'name the receiver the digest goes to'),
    /** Local time of day, HH:MM. */
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM from 00:00 to 23:59').default('09:00'),
    time_zone: z.string().refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not a known IANA time zone, e.g. Europe/Berlin` }).default('UTC'),
  })
  .strict();

export type DigestConfig = z.output<typeof digestConfigSchema>;

export interface DigestSchedulerDeps {
  clock: Clock;
  store: IncidentStore;
  notifier: NotifierPort;
  externalURL: string;
  /** A person's display name; the id when absent. */
  personName?: (id: string) => string | undefined;
  /** A failed send; the digest is not retried beyond the notifier's own retries. */
  onError?: (err: unknown) => void;
  /** How often the time is checked (ms); the digest goes out at most this late. */
  checkEveryMs?: number;
}

const ALERT_NAME = 'VigilOncallDigest';
const NO_END = '0001-01-01T00:00:00Z';

export class DigestScheduler {
  private readonly atMinute: number;
  private readonly stateKey: string;
  private timer?: { stop(): void };

  constructor(
    private readonly deps: DigestSchedulerDeps,
    private readonly config: DigestConfig,
  ) {
    const parsed = digestConfigSchema.safeParse(config);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `oncall.digest.${issue.path.join('.')}: ${issue.message}`);
      throw new VigilError('VIGIL_ERR_CONFIG_INVALID', problems.join('; '));
    }
    const [hours, minutes] = config.at.split(':').map(Number);
    this.atMinute = hours * 60 + minutes;
    // A changed time or zone starts a fresh schedule instead of reading the old one's next send.
    this.stateKey = `digest_next:${config.at}:${config.time_zone}`;
  }

  start(): void {
    this.timer ??= this.deps.clock.setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.onError?.(err));
    }, this.deps.checkEveryMs ?? 30_000);
  }

  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  /** When the next digest goes out (UTC ms). */
  nextDueAt(): number {
    const stored = this.deps.store.getState(this.stateKey);
    if (stored !== undefined) return Number(stored);
    const due = this.dueAfter(this.deps.clock.now());
    this.deps.store.setState(this.stateKey, String(due));
    return due;
  }

  /** Sends the digest when it is due. The next send time is moved on first, so a crash while sending does not send twice. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    const due = this.nextDueAt();
    if (now < due) return;
    this.deps.store.setState(this.stateKey, String(this.dueAfter(now)));
    const figures = digest(this.deps.store, this.previousDue(due), due);
    const results = await this.deps.notifier.send(this.config.receiver, this.notification(figures));
    const failed = results.filter((result) => !result.ok);
    if (results.length > 0 && failed.length === results.length) {
      this.deps.onError?.(new VigilError('VIGIL_ERR_NOTIFY_FAILED', `on-call digest to ${this.config.receiver} failed: ${failed.map((r) => `${r.integration}: ${r.error ?? 'failed'}`).join('; ')}`));
    }
  }

  /** The first send time strictly after `afterMs`. */
  private dueAfter(afterMs: number): number {
    const zone = this.config.time_zone;
    const day = startOfDay(toWall(afterMs, zone));
    const today = fromWall(day + this.atMinute * MINUTE_MS, zone);
    return today > afterMs ? today : fromWall(day + DAY_MS + this.atMinute * MINUTE_MS, zone);
  }

  /** The send time of the local day before `dueMs`'s: the digest covers the time in between. */
  private previousDue(dueMs: number): number {
    const zone = this.config.time_zone;
    return fromWall(startOfDay(toWall(dueMs, zone)) - DAY_MS + this.atMinute * MINUTE_MS, zone);
  }

  private notification(figures: Digest): Notification {
    const zone = this.config.time_zone;
    const summary = `On-call digest ${localTime(figures.fromMs, zone)} – ${localTime(figures.toMs, zone)} (${zone})`;
    const labels: LabelSet = { alertname: ALERT_NAME, severity: 'low' };
    const annotations: LabelSet = { summary, description: renderDigest(figures, zone, this.deps.personName) };
    const alert: NotificationAlert = {
      status: 'firing',
      labels,
      annotations,
      startsAt: new Date(figures.toMs).toISOString(),
      endsAt: NO_END,
      generatorURL: `${this.deps.externalURL}/#/incidents`,
      // The day is in the fingerprint so that a notifier's dedup never takes one day's digest for another's.
      fingerprint: `oncall-digest-${figures.toMs}`,
    };
    return {
      receiver: this.config.receiver,
      status: 'firing',
      alerts: [alert],
      groupLabels: { alertname: ALERT_NAME },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: this.deps.externalURL,
      groupKey: `{}:{alertname="${ALERT_NAME}"}`,
      truncatedAlerts: 0,
    };
  }
}

/** The digest as plain text: incidents, MTTA and MTTR, pages per person, noisiest and low alerts. */
export function renderDigest(figures: Digest, zone: string, personName: (id: string) => string | undefined = () => undefined): string {
  const { opened, acknowledged, resolved } = figures.incidents;
  const lines = [
    `Incidents: ${opened} opened, ${acknowledged} acknowledged, ${resolved} resolved`,
    `MTTA: ${figures.mttaMs === undefined ? 'n/a' : formatDuration(figures.mttaMs)}; MTTR: ${figures.mttrMs === undefined ? 'n/a' : formatDuration(figures.mttrMs)}`,
    '',
    'Pages per person:',
    ...orNone(figures.pagesPerPerson.map((pages) => `  ${personName(pages.person) ?? pages.person}: ${describePages(pages)}`)),
    '',
    'Noisiest alerts:',
    ...orNone(figures.noisiestAlerts.map((alert) => `  ${fires(alert)}`)),
    '',
    'Low-severity alerts:',
    ...orNone(figures.lowAlerts.map((alert) => `  ${fires(alert)}${alert.snoozedUntil === undefined ? '' : ` — snoozed until ${localTime(alert.snoozedUntil, zone)}`}`)),
  ];
  return lines.join('\n');
}

function describePages(pages: PersonPages): string {
  const bySeverity = (['critical', 'high', 'medium', 'low'] as const).filter((s) => pages.bySeverity[s]).map((s) => `${s} ${pages.bySeverity[s]}`);
  const parts = [`${pages.sent} sent${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`];
  if (pages.failed > 0) parts.push(`${pages.failed} failed`);
  if (pages.capped > 0) parts.push(`${pages.capped} held back by the fatigue cap`);
  return parts.join(', ');
}

function fires(alert: AlertFires): string {
  const labels = Object.keys(alert.labels).sort().map((name) => `${name}="${alert.labels[name]}"`);
  return `${alert.fires}× {${labels.join(', ') || alert.fingerprint}}`;
}

function orNone(lines: string[]): string[] {
  return lines.length > 0 ? lines : ['  none'];
}

/** `2026-03-08 09:00` in the zone. */
function localTime(utcMs: number, zone: string): string {
  return new Date(toWall(utcMs, zone)).toISOString().slice(0, 16).replace('T', ' ');
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

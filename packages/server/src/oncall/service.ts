/**
 * On-call, wired: the dispatcher hands notifications of receivers with
 * `oncall_configs` to `handle` → incidents (in alerting.db, so a restart
 * continues where it was) → the escalation engine → the person pager.
 * People answer through the API, signed links in their pages, or an SMS
 * reply; every answer lands in the incident's timeline.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { verifyTwilioSignature } from '@vigil/sdk';
import type { LedgerEntry, LedgerFilter } from '../alerting/ledger.ts';
import type { Clock } from '../clock.ts';
import type { Notification, NotifierPort } from '../dispatch/model.ts';
import { VigilError } from '../errors.ts';
import type { GlobalConfig, ReceiverConfig } from '../notify/index.ts';
import type { z } from 'zod';
import { engineSettings, type oncallConfigSchema } from './config.ts';
import { createDirectory, type OncallDirectory } from './directory.ts';
import { EscalationEngine, type EscalationSettings, type Page, type Pager } from './escalation.ts';
import { IncidentStore, type Incident } from './incident-store.ts';
import { incidentInputFrom, Incidents, type Actor, type IncidentSettings } from './incidents.ts';
import { DEFAULT_LINK_TTL_MS, generateLinkSecret, signLink, verifyLink, type LinkAction, type LinkCheck, type LinkClaim } from './links.ts';
import { oncallMetrics, type OncallMetrics } from './metrics.ts';
import { markNoise, isNoise } from './noise.ts';
import { PersonPager } from './pager.ts';
import { DigestScheduler } from './digest-scheduler.ts';
import { incidentRecord, recordWindow } from './record.ts';
import { onCallAt, shifts } from './schedule.ts';

export const ACTION_PATH = '/vigil/oncall/action';
export const SMS_PATH = '/vigil/api/v1/oncall/sms';
const LINK_SECRET_KEY = 'link_secret';

/** The `oncall:` section as validated. */
export type OncallSection = z.output<typeof oncallConfigSchema>;

export interface OncallServiceDeps {
  config: OncallSection;
  /** alerting.db: the incident tables live beside the alert ledger. */
  db: Database.Database;
  clock: Clock;
  registry: Registry;
  logger: Logger;
  /** The alert ledger, for incident records. */
  ledger(filter: LedgerFilter): LedgerEntry[];
  escalation?: EscalationSettings;
  incidents?: IncidentSettings;
  /** For tests: the pager instead of the person pager. */
  pager?: Pager;
  fetch?: typeof globalThis.fetch;
}

/** Twilio signs the public URL it posted to: the external URL's SMS path. */
export interface SmsReply {
  params: Record<string, string>;
  signature: string | undefined;
}

/** What an SMS or a link did, in words for the person. */
export interface ActionOutcome {
  incident?: Incident;
  message: string;
}

/** What `start` needs; `global` as a function when it can change on a reload. */
export interface OncallStartOptions {
  externalURL: string;
  global: GlobalConfig | (() => GlobalConfig);
  notifier: NotifierPort;
}

/** What a reload swaps, kept to put back when the reload is refused. */
interface Configured {
  config: OncallSection;
  directory: OncallDirectory;
  receiverPolicies: Map<string, string[]>;
}

export class OncallService {
  readonly incidents: Incidents;
  private readonly secret: string;
  private readonly metrics: OncallMetrics;
  private configured: Configured;
  private started?: OncallStartOptions;
  private engine?: EscalationEngine;
  private personPager?: PersonPager;
  private digest?: DigestScheduler;
  private readonly escalationSettings: EscalationSettings;
  private externalURL = '';

  constructor(private readonly deps: OncallServiceDeps) {
    const { config, clock } = deps;
    const store = new IncidentStore(deps.db);
    const settings = engineSettings(config);
    // thresholds from the config; a test may override any of them
    this.incidents = new Incidents(store, clock, policyMap(config), mergeSettings(settings.incidents, deps.incidents));
    this.escalationSettings = mergeSettings(settings.escalation, deps.escalation);
    this.configured = { config, directory: createDirectory(config), receiverPolicies: new Map() };
    this.secret = config.link_secret ?? storedSecret(store);
    this.metrics = oncallMetrics(deps.registry, store);
  }

  get directory(): OncallDirectory {
    return this.configured.directory;
  }

  private get config(): OncallSection {
    return this.configured.config;
  }

  /** Checks that every `oncall_configs` policy exists, then routes those receivers to their policies. */
  useReceivers(receivers: ReceiverConfig[]): void {
    this.configured.receiverPolicies = receiverPolicies(receivers, (id) => this.incidents.policy(id) !== undefined);
  }

  /** Opens or updates the group's incident under each of the receiver's policies; resolved alerts resolve it. */
  handle(receiver: string, notification: Notification): void {
    const policies = this.configured.receiverPolicies.get(receiver) ?? [];
    policies.forEach((policy, i) => {
      const input = incidentInputFrom(notification, policy);
      // A second policy on one receiver is a second incident for the same group.
      const groupKey = i === 0 ? input.groupKey : `${input.groupKey}|${policy}`;
      const before = this.incidents.store.openForGroup(groupKey);
      const after = this.incidents.openOrUpdate({ ...input, groupKey });
      if (after) this.metrics.observeIncidentChange(before, after);
    });
    // A new incident pages now rather than at the next tick.
    if (policies.length > 0) this.tickSoon();
  }

  handles(receiver: string): boolean {
    return this.configured.receiverPolicies.has(receiver);
  }

  /** Starts escalating; links and the SMS webhook URL use `server.external_url`, else the address Vigil listens on. */
  start(options: OncallStartOptions): void {
    const { clock, logger } = this.deps;
    this.started = options;
    this.externalURL = options.externalURL.replace(/\/+$/, '');
    const link = (incidentId: string, person: string, action: LinkAction) => this.link(incidentId, person, action);
    if (!this.deps.pager) this.personPager = new PersonPager({ ...this.pagerSettings(), registry: this.deps.registry, externalURL: this.externalURL, clock, link, fetch: this.deps.fetch });
    const pager = this.countedPages(this.deps.pager ?? this.personPager!);
    this.engine = new EscalationEngine(
      {
        clock,
        incidents: this.incidents,
        // Through the service, so that a reload's people, teams and schedules are the ones paged.
        directory: { resolve: (target, atMs) => this.directory.resolve(target, atMs) },
        pager,
        ackUrl: (incidentId, person) => link(incidentId, person, 'ack'),
        onError: (err) => logger.warn({ event: 'oncall.escalation_failed', error: (err as Error).message }, 'escalation tick failed'),
      },
      this.escalationSettings,
    );
    this.engine.start();
    this.startDigest();
  }

  /**
   * Swaps in a re-read `oncall:` section together with `alongside` (the
   * alerting reload, whose receivers are checked against the new policies):
   * when either refuses, both keep what runs. Open incidents keep their
   * state and position; removing a policy that open incidents use is refused.
   */
  reload(section: OncallSection, alongside: () => void = () => {}): void {
    requireOpenPolicies(section, this.incidents.list({ states: ['triggered', 'acknowledged'], limit: 100_000 }));
    const previous = this.configured;
    this.useConfig({ ...previous, config: section, directory: createDirectory(section) });
    try {
      alongside();
    } catch (err) {
      this.useConfig(previous);
      throw err;
    }
    this.personPager?.reconfigure(this.pagerSettings());
    if (this.started) this.startDigest();
    this.tickSoon();
  }

  stop(): void {
    this.engine?.stop();
    this.digest?.stop();
  }

  /** Pages the incident's next step now, through the engine; an acknowledged incident is triggered again. */
  escalate(id: string, by: Actor): Incident {
    const engine = this.engine;
    if (!engine) throw new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', 'on-call is starting; try again in a moment');
    return this.change(id, () => engine.escalateNow(id, by));
  }

  /** Marks (or with `noise` false, unmarks) the incident as a false positive. */
  markNoise(id: string, noise: boolean, by: Actor): Incident {
    markNoise(this.incidents, id, by, this.deps.clock.now(), noise);
    return this.require(id);
  }

  isNoise(id: string): boolean {
    return isNoise(this.incidents.timeline(id));
  }

  /** For tests and after a change: one escalation pass now. */
  async tick(): Promise<void> {
    await this.engine?.tick();
  }

  link(incidentId: string, person: string, action: LinkAction): string {
    const token = signLink(this.secret, { incidentId, person, action, expiresAt: this.deps.clock.now() + DEFAULT_LINK_TTL_MS });
    return `${this.externalURL}${ACTION_PATH}?token=${token}`;
  }

  checkLink(token: string): LinkCheck {
    return verifyLink(this.secret, token, this.deps.clock.now());
  }

  /** Performs a verified link's action once: following it again says what already happened. */
  followLink(claim: LinkClaim): ActionOutcome {
    return this.act(claim.action, claim.incidentId, { actor: claim.person, via: 'link' });
  }

  /** A Twilio inbound SMS: "ACK 12", "RESOLVE 12", or "ACK" for the incident last paged to that phone; 'forbidden' when the signature is wrong. */
  smsReply(reply: SmsReply): ActionOutcome | 'forbidden' {
    const sms = this.config.sms;
    if (!sms) throw new VigilError('VIGIL_ERR_NOT_FOUND', 'SMS replies are off: oncall.sms is not configured');
    const url = `${this.externalURL}${SMS_PATH}`;
    if (!verifyTwilioSignature({ url, params: reply.params, header: reply.signature, authToken: sms.auth_token }).ok) return 'forbidden';
    const person = this.config.people.find((p) => p.phone !== undefined && p.phone === reply.params.From);
    if (!person) return { message: 'This number belongs to nobody in Vigil on-call.' };
    const command = /^\s*(ack|acknowledge|resolve)\b\s*#?(\S+)?\s*$/i.exec(reply.params.Body ?? '');
    if (!command) return { message: 'Reply "ACK <incident>" or "RESOLVE <incident>".' };
    const incidentId = command[2] ?? this.lastPagedTo(person.id);
    if (!incidentId) return { message: 'No open incident was paged to you; reply "ACK <incident>".' };
    const action = command[1].toLowerCase() === 'resolve' ? 'resolve' : 'ack';
    return this.act(action, incidentId, { actor: person.id, via: 'sms' });
  }

  /** Runs a change and counts it in the metrics. */
  change(id: string, apply: (incidents: Incidents) => Incident): Incident {
    const before = this.incidents.get(id);
    const after = apply(this.incidents);
    this.metrics.observeIncidentChange(before, after);
    this.tickSoon();
    return after;
  }

  acknowledgeAll(by: Actor): number {
    const before = new Map(this.incidents.list({ states: ['triggered'], limit: 10_000 }).map((i) => [i.id, i]));
    const ids = this.incidents.acknowledgeAll(by);
    for (const id of ids) this.metrics.observeIncidentChange(before.get(id), this.incidents.get(id)!);
    return ids.length;
  }

  /** The incident record (markdown) from its timeline, pages and the alert ledger. */
  record(id: string): string {
    const incident = this.require(id);
    const timeline = this.incidents.timeline(id);
    const window = recordWindow(incident, timeline);
    const ledgerEntries = this.deps.ledger({ startMs: window.fromMs, endMs: window.toMs, limit: 10_000 });
    return incidentRecord(incident, { alerts: this.incidents.alerts(id), timeline, pages: this.incidents.store.pagesFor(id), ledgerEntries, externalURL: this.externalURL });
  }

  /** Who is on call now in each schedule, and the shifts in [fromMs, toMs). */
  onCall(fromMs: number, toMs: number) {
    const now = this.deps.clock.now();
    const who = (id: string) => ({ id, name: this.directory.person(id)?.name ?? id });
    return this.config.schedules.map((schedule) => {
      const current = onCallAt(schedule, now);
      return {
        schedule: { id: schedule.id, name: schedule.name, time_zone: schedule.time_zone },
        now: current ? { person: who(current.person), layer: current.layer } : null,
        shifts: shifts(schedule, fromMs, toMs).map((s) => ({ person: who(s.person), layer: s.layer, start: s.startMs, end: s.endMs })),
      };
    });
  }

  require(id: string): Incident {
    const incident = this.incidents.get(id);
    if (!incident) throw new VigilError('VIGIL_ERR_NOT_FOUND', `incident "${id}" not found`);
    return incident;
  }

  private act(action: LinkAction, id: string, by: Actor): ActionOutcome {
    const incident = this.incidents.get(id);
    if (!incident) return { message: `There is no incident ${id}.` };
    if (incident.state === 'resolved') return { incident, message: `Incident ${id} is already resolved.` };
    if (action === 'resolve') return { incident: this.change(id, (i) => i.resolve(id, by)), message: `Incident ${id} resolved.` };
    if (incident.state === 'acknowledged') return { incident, message: `Incident ${id} is already acknowledged by ${incident.acknowledgedBy}.` };
    return { incident: this.change(id, (i) => i.acknowledge(id, by)), message: `Incident ${id} acknowledged.` };
  }

  /** The open incident whose page most recently went to `person`. */
  private lastPagedTo(person: string): string | undefined {
    const open = this.incidents.list({ states: ['triggered', 'acknowledged'] });
    const pages = open.flatMap((incident) => this.incidents.store.pagesFor(incident.id)).filter((page) => page.person === person && page.status === 'sent');
    return pages.sort((a, b) => (b.sentAt ?? 0) - (a.sentAt ?? 0))[0]?.incidentId;
  }

  private useConfig(configured: Configured): void {
    this.configured = configured;
    this.incidents.usePolicies(policyMap(configured.config));
  }

  private pagerSettings() {
    const { global } = this.started!;
    return { directory: this.directory, people: this.config.people, sms: this.config.sms, global: typeof global === 'function' ? global() : global };
  }

  /** (Re)starts the daily digest as configured; when it is due is kept in the store, so a restart neither skips nor repeats one. */
  private startDigest(): void {
    const { clock, logger } = this.deps;
    const { notifier } = this.started!;
    this.digest?.stop();
    this.digest = undefined;
    if (!this.config.digest) return;
    this.digest = new DigestScheduler(
      {
        clock,
        store: this.incidents.store,
        notifier,
        externalURL: this.externalURL,
        personName: (id) => this.directory.person(id)?.name,
        onError: (err) => logger.warn({ event: 'oncall.digest_failed', error: (err as Error).message }, 'daily digest failed'),
      },
      this.config.digest,
    );
    this.digest.start();
  }

  private countedPages(pager: Pager): Pager {
    return {
      page: async (page: Page) => {
        const result = await pager.page(page);
        this.metrics.observePage(page, result);
        return result;
      },
    };
  }

  private tickSoon(): void {
    this.engine?.tick().catch((err: unknown) => this.deps.logger.warn({ event: 'oncall.escalation_failed', error: (err as Error).message }, 'escalation tick failed'));
  }
}

/** The policies of each receiver with `oncall_configs`; throws naming the receiver whose policy is not configured. */
export function receiverPolicies(receivers: ReceiverConfig[], isPolicy: (id: string) => boolean): Map<string, string[]> {
  const policies = new Map<string, string[]>();
  for (const receiver of receivers) {
    const missing = receiver.oncall_configs.find((c) => !isPolicy(c.policy));
    if (missing) throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `receiver "${receiver.name}": oncall_configs policy "${missing.policy}" is not in oncall.escalation_policies`);
    if (receiver.oncall_configs.length > 0) policies.set(receiver.name, receiver.oncall_configs.map((c) => c.policy));
  }
  return policies;
}

function policyMap(config: OncallSection) {
  return new Map(config.escalation_policies.map((policy) => [policy.id, policy]));
}

/** Refuses a section without a policy that open incidents use, naming the policy and the incidents. */
function requireOpenPolicies(section: OncallSection, open: Incident[]): void {
  const kept = new Set(section.escalation_policies.map((policy) => policy.id));
  const orphans = open.filter((incident) => !kept.has(incident.policyId));
  if (orphans.length === 0) return;
  const policy = orphans[0].policyId;
  const ids = orphans.filter((incident) => incident.policyId === policy).map((incident) => `#${incident.id}`);
  throw new VigilError(
    'VIGIL_ERR_CONFIG_INVALID',
    `oncall.escalation_policies: policy "${policy}" is still used by open incident(s) ${ids.join(', ')}; resolve them or keep the policy, then reload again`,
  );
}

/** The secret links are signed with when the config gives none: generated once, kept in alerting.db so links outlive restarts. */
function storedSecret(store: IncidentStore): string {
  const existing = store.getState(LINK_SECRET_KEY);
  if (existing) return existing;
  const secret = generateLinkSecret();
  store.setState(LINK_SECRET_KEY, secret);
  return secret;
}

/** Each group of `override` replaces the same keys of `base`. */
function mergeSettings<T extends Record<string, unknown>>(base: T, override: T | undefined): T {
  if (override === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = value !== null && typeof value === 'object' && current !== null && typeof current === 'object' ? { ...current, ...value } : value;
  }
  return merged as T;
}

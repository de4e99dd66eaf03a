/**
 * Turns an escalation page into a message to one person through the
 * notify integrations: each person is a receiver of a private Notifier
 * (SMS to their phone, e-mail over the Alertmanager global SMTP settings,
 * their Slack webhook, their webhook), and a page is a one-alert
 * notification whose annotations carry the text. The notifier's retries,
 * timeouts and metrics apply as for any receiver.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import { fingerprint, type Notification } from '../dispatch/model.ts';
import { Notifier, receiverSchema, type GlobalConfig, type ReceiverConfig } from '../notify/index.ts';
import type { OncallDirectory } from './directory.ts';
import type { Page, Pager } from './escalation.ts';
import type { LinkAction } from './links.ts';
import type { Person } from './model.ts';

/** `oncall.sms`: Twilio credentials and the sender number. */
export interface SmsSettings {
  account_sid: string;
  auth_token: string;
  from: string;
  api_url?: string;
}

export interface PersonPagerOptions {
  directory: OncallDirectory;
  people: Person[];
  sms?: SmsSettings;
  /** The Alertmanager `global` section: SMTP, Twilio base URL, HTTP settings. */
  global: GlobalConfig;
  registry: Registry;
  externalURL: string;
  clock: Clock;
  /** A signed link that performs `action` on the incident as `person`. */
  link(incidentId: string, person: string, action: LinkAction): string;
  fetch?: typeof globalThis.fetch;
  /** Per attempt, ms (the notifier's default otherwise). */
  timeoutMs?: number;
  maxAttempts?: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const TEXT = '{{ .CommonAnnotations.summary }}';
const SUBJECT = '{{ .CommonAnnotations.subject }}';

export function receiverName(person: string): string {
  return `oncall-person:${person}`;
}

/** The message: what, how bad, and how to answer; the first line stands alone as a subject. */
export function pageText(page: Page, links: { ack: string; resolve: string }): { subject: string; text: string } {
  const subject = `[Vigil] ${page.severity.toUpperCase()} incident #${page.incidentId}: ${page.summary}`;
  const text = [subject, `Acknowledge: ${links.ack}`, `Resolve: ${links.resolve}`, `Or reply "ACK ${page.incidentId}".`].join('\n');
  return { subject, text };
}

export class PersonPager implements Pager {
  private readonly notifier: Notifier;

  constructor(private options: PersonPagerOptions) {
    this.notifier = new Notifier({
      global: options.global,
      receivers: options.people.map((person) => personReceiver(person, options)),
      registry: options.registry,
      externalURL: options.externalURL,
      clock: options.clock,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
    });
  }

  /** After a reload: the people, their contact methods and the SMS and SMTP settings as now configured. */
  reconfigure(change: Pick<PersonPagerOptions, 'directory' | 'people' | 'sms' | 'global'>): void {
    const options = { ...this.options, ...change };
    this.notifier.reconfigure({ global: options.global, receivers: options.people.map((person) => personReceiver(person, options)) });
    this.options = options;
  }

  async page(page: Page): Promise<{ ok: boolean; error?: string }> {
    const person = this.options.directory.person(page.person);
    if (!person) return { ok: false, error: `no person "${page.person}" in oncall.people` };
    const results = await this.notifier.send(receiverName(person.id), this.notification(page));
    if (results.length === 0) return { ok: false, error: `${person.id} has no contact method Vigil can page (phone with oncall.sms, email with SMTP, slack.webhook_url or webhook_url)` };
    // Someone was reached through at least one channel: the page went out.
    if (results.some((result) => result.ok)) return { ok: true };
    return { ok: false, error: results.map((result) => `${result.integration}: ${result.error}`).join('; ') };
  }

  private notification(page: Page): Notification {
    const { link, clock } = this.options;
    const links = { ack: page.ackUrl ?? link(page.incidentId, page.person, 'ack'), resolve: link(page.incidentId, page.person, 'resolve') };
    const { subject, text } = pageText(page, links);
    const labels = { alertname: 'VigilPage', incident: page.incidentId, severity: page.severity, person: page.person };
    const annotations = { summary: text, subject, incident_id: page.incidentId, ack_url: links.ack, resolve_url: links.resolve, dedup_key: page.dedupKey };
    const alert = { status: 'firing' as const, labels, annotations, startsAt: new Date(clock.now()).toISOString(), endsAt: ZERO_TIME, generatorURL: links.ack, fingerprint: fingerprint(labels) };
    return {
      receiver: receiverName(page.person),
      status: 'firing',
      alerts: [alert],
      groupLabels: { incident: page.incidentId },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: this.options.externalURL,
      groupKey: `oncall:${page.dedupKey}`,
      truncatedAlerts: 0,
    };
  }
}

/** The person's contact methods as integrations; a method whose settings are missing (no SMTP, no oncall.sms) is left out. */
function personReceiver(person: Person, options: PersonPagerOptions): ReceiverConfig {
  const { sms, global } = options;
  const canMail = global.smtp_smarthost !== undefined && global.smtp_from !== undefined;
  return receiverSchema.parse({
    name: receiverName(person.id),
    sms_configs: person.phone && sms ? [{ account_sid: sms.account_sid, auth_token: sms.auth_token, from: sms.from, to: person.phone, api_url: sms.api_url, body: TEXT }] : [],
    email_configs: person.email && canMail ? [{ to: person.email, headers: { Subject: SUBJECT }, text: TEXT, html: `<pre>{{ html .CommonAnnotations.summary }}</pre>` }] : [],
    slack_configs: person.slack?.webhook_url ? [{ api_url: person.slack.webhook_url, title: SUBJECT, text: slackText(person) }] : [],
    webhook_configs: person.webhook_url ? [{ url: person.webhook_url }] : [],
  });
}

/** Mentions the person when their Slack user id is known, so the message notifies them. */
function slackText(person: Person): string {
  return person.slack?.user ? `<@${person.slack.user}> ${TEXT}` : TEXT;
}

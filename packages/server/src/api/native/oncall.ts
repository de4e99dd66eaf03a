/**
 * On-call endpoints (times in JSON are RFC 3339):
 *   GET  /vigil/api/v1/incidents?state=open|all                 incidents, open first, newest first
 *   GET  /vigil/api/v1/incidents/:id                            incident, alerts, timeline, pages
 *   POST /vigil/api/v1/incidents/:id/{acknowledge,resolve,unacknowledge,snooze,reassign,severity,escalate}
 *   POST /vigil/api/v1/incidents/:id/noise                      { noise: boolean }: marks or unmarks a false positive
 *   POST /vigil/api/v1/incidents/acknowledge-all
 *   GET  /vigil/api/v1/incidents/:id/record                     the incident record, markdown
 *   GET  /vigil/api/v1/oncall?from=&to=                         who is on call, and the shifts
 *   POST /vigil/api/v1/oncall/sms                               Twilio inbound SMS ("ACK 12") → TwiML
 *   GET  /vigil/oncall/action?token=                            a page with a button; POST performs the signed action
 * The JSON API answers errors as { status: 'error', error }; the action page answers in HTML.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../../errors.ts';
import { isJsonObject, parseJsonBody } from '../../ingest/json-body.ts';
import type { Actor, Incident, IncidentAlert, IncidentState, LinkClaim, OncallService, PageRecord, Severity, TimelineEntry } from '../../oncall/index.ts';
import { ACTION_PATH, SEVERITIES, SMS_PATH } from '../../oncall/index.ts';
import { toVigilError } from '../errors.ts';
import { parseTimeNs } from '../loki/params.ts';

export interface OncallApiDeps {
  oncall: OncallService;
  now(): number;
  maxBodyBytes: number;
}

const API = '/vigil/api/v1';
const DAY_MS = 86_400_000;
const STATES: Record<string, IncidentState[]> = {
  open: ['triggered', 'acknowledged'],
  all: ['triggered', 'acknowledged', 'resolved'],
  triggered: ['triggered'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
};
const VIAS = new Set(['api', 'cli', 'ui']);

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export function registerOncallApi(app: FastifyInstance, deps: OncallApiDeps): void {
  void app.register(async (api) => {
    api.setErrorHandler((raw: FastifyError, _request, reply) => {
      const err = toVigilError(raw, deps.maxBodyBytes);
      void reply.code(err.status).send({ status: 'error', code: err.code, error: err.message });
    });
    registerIncidentRoutes(api, deps);
    registerIncidentChanges(api, deps);
    api.get(`${API}/oncall`, async (request) => {
      const query = request.query as Record<string, string | undefined>;
      const from = query.from ? timeMs(query.from, 'from') : deps.now();
      const to = query.to ? timeMs(query.to, 'to') : from + 14 * DAY_MS;
      const schedules = deps.oncall.onCall(from, to).map((s) => ({ ...s, shifts: s.shifts.map((shift) => ({ ...shift, start: iso(shift.start), end: iso(shift.end) })) }));
      return { status: 'success', data: schedules };
    });
  });
  void app.register(async (scope) => registerReplies(scope, deps));
}

function registerIncidentRoutes(api: FastifyInstance, { oncall }: OncallApiDeps): void {
  api.get(`${API}/incidents`, async (request) => {
    const state = (request.query as Record<string, string | undefined>).state ?? 'open';
    const states = STATES[state];
    if (!states) throw new VigilError('VIGIL_ERR_QUERY_PARAM', `invalid parameter "state": "${state}"; use ${Object.keys(STATES).join(', ')}`);
    return { status: 'success', data: oncall.incidents.list({ states }).map((incident) => incidentJson(incident, oncall.isNoise(incident.id))) };
  });

  api.get(`${API}/incidents/:id`, async (request: IdRequest) => {
    const incident = oncall.require(request.params.id);
    const { id } = incident;
    const { incidents } = oncall;
    return {
      status: 'success',
      data: {
        incident: incidentJson(incident, oncall.isNoise(id)),
        alerts: incidents.alerts(id).map(alertJson),
        timeline: incidents.timeline(id).map(timelineJson),
        pages: incidents.store.pagesFor(id).map(pageJson),
      },
    };
  });

  api.get(`${API}/incidents/:id/record`, async (request: IdRequest, reply) => {
    return reply.type('text/markdown; charset=utf-8').send(oncall.record(request.params.id));
  });
}

function registerIncidentChanges(api: FastifyInstance, { oncall }: OncallApiDeps): void {
  const change = (action: string, apply: (id: string, body: Record<string, unknown>, by: Actor) => Incident) =>
    api.post(`${API}/incidents/:id/${action}`, async (request: IdRequest) => {
      const body = jsonBody(request);
      const { id } = request.params;
      oncall.require(id);
      const incident = apply(id, body, actorOf(body));
      return { status: 'success', data: incidentJson(incident, oncall.isNoise(id)) };
    });
  change('acknowledge', (id, _body, by) => oncall.change(id, (i) => i.acknowledge(id, by)));
  change('resolve', (id, _body, by) => oncall.change(id, (i) => i.resolve(id, by)));
  change('unacknowledge', (id, _body, by) => oncall.change(id, (i) => i.unacknowledge(id, by)));
  change('snooze', (id, body, by) => oncall.change(id, (i) => i.snooze(id, numberField(body, 'minutes'), by)));
  change('reassign', (id, body, by) => {
    const person = stringField(body, 'person');
    if (!oncall.directory.person(person)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `person: no person "${person}" in oncall.people`);
    return oncall.change(id, (i) => i.reassign(id, person, by));
  });
  change('severity', (id, body, by) => {
    const severity = stringField(body, 'severity') as Severity;
    if (!SEVERITIES.includes(severity)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `severity: "${severity}" is not one of ${SEVERITIES.join(', ')}`);
    return oncall.change(id, (i) => i.setSeverity(id, severity, by));
  });
  change('escalate', (id, _body, by) => oncall.escalate(id, by));
  change('noise', (id, body, by) => oncall.markNoise(id, booleanField(body, 'noise'), by));

  api.post(`${API}/incidents/acknowledge-all`, async (request) => {
    return { status: 'success', data: { acknowledged: oncall.acknowledgeAll(actorOf(jsonBody(request))) } };
  });
}

/** Answers from people outside the API: SMS replies and signed links. */
function registerReplies(scope: FastifyInstance, { oncall, maxBodyBytes }: OncallApiDeps): void {
  scope.setErrorHandler((raw: FastifyError, _request, reply) => {
    const err = toVigilError(raw, maxBodyBytes);
    void reply.code(err.status).type('text/html; charset=utf-8').send(htmlPage('Vigil', escapeHtml(err.message)));
  });

  scope.post(SMS_PATH, async (request, reply) => {
    const params = Object.fromEntries(new URLSearchParams(bodyText(request)));
    const signature = request.headers['x-twilio-signature'];
    const outcome = oncall.smsReply({ params, signature: typeof signature === 'string' ? signature : undefined });
    if (outcome === 'forbidden') return reply.code(403).type('text/plain; charset=utf-8').send('X-Twilio-Signature does not match\n');
    const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeHtml(outcome.message)}</Message></Response>`;
    return reply.type('text/xml; charset=utf-8').send(twiml);
  });

  // GET only shows a button: mail clients and chat previews fetch links, and must not acknowledge by doing so.
  scope.get(ACTION_PATH, async (request, reply) => {
    const token = tokenOf(request);
    const claim = checkedClaim(oncall, token, reply);
    if (!claim) return reply;
    const incident = oncall.incidents.get(claim.incidentId);
    const verb = claim.action === 'ack' ? 'Acknowledge' : 'Resolve';
    const what = incident ? `Incident #${incident.id} (${incident.severity}, ${incident.state}): ${incident.summary}` : `Incident #${claim.incidentId}`;
    const form = `<form method="post" action="${ACTION_PATH}?token=${encodeURIComponent(token)}"><button type="submit">${verb} as ${escapeHtml(claim.person)}</button></form>`;
    return reply.type('text/html; charset=utf-8').send(htmlPage(`${verb} incident #${claim.incidentId}`, `<p>${escapeHtml(what)}</p>${form}`));
  });

  scope.post(ACTION_PATH, async (request, reply) => {
    const claim = checkedClaim(oncall, tokenOf(request), reply);
    if (!claim) return reply;
    const outcome = oncall.followLink(claim);
    return reply.type('text/html; charset=utf-8').send(htmlPage(outcome.message, `<p>${escapeHtml(outcome.message)}</p>`));
  });
}

/** The verified claim, or undefined after answering 400 with a page that says what is wrong with the link. */
function checkedClaim(oncall: OncallService, token: string, reply: FastifyReply): LinkClaim | undefined {
  const check = oncall.checkLink(token);
  if (check.ok) return check.claim;
  const why = check.reason === 'expired' ? 'This link has expired.' : 'This link is not valid: it was changed or not signed by this Vigil.';
  void reply.code(400).type('text/html; charset=utf-8').send(htmlPage('Link not valid', `<p>${why}</p><p>Use the API, the CLI or the UI instead.</p>`));
  return undefined;
}

function tokenOf(request: FastifyRequest): string {
  const fromQuery = (request.query as Record<string, string | undefined>).token;
  const token = fromQuery ?? new URLSearchParams(bodyText(request)).get('token') ?? '';
  if (token === '') throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'missing parameter "token"');
  return token;
}

function bodyText(request: FastifyRequest): string {
  return Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (raw.length === 0) return {};
  const body = parseJsonBody(raw);
  if (!isJsonObject(body)) throw new VigilError('VIGIL_ERR_BODY_MALFORMED', 'body must be a JSON object');
  return body;
}

/** `by` names the person; `via` (api, cli or ui) says through what, for the timeline. */
function actorOf(body: Record<string, unknown>): Actor {
  const by = body.by === undefined ? 'api' : stringField(body, 'by');
  const via = body.via === undefined ? 'api' : stringField(body, 'via');
  if (!VIAS.has(via)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `via: "${via}" is not one of ${[...VIAS].join(', ')}`);
  return { actor: by, via: via as Actor['via'] };
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > 200) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `${name}: give a non-empty string of at most 200 characters`);
  return value;
}

function booleanField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (typeof value !== 'boolean') throw new VigilError('VIGIL_ERR_ALERT_INVALID', `${name}: give true or false, got ${JSON.stringify(value)}`);
  return value;
}

function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `${name}: give a number, got ${JSON.stringify(value)}`);
  return value;
}

function timeMs(text: string, name: string): number {
  return Number(parseTimeNs(text, name) / 1_000_000n);
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export function incidentJson(incident: Incident, noise: boolean) {
  const { escalation } = incident;
  return {
    ...incident,
    noise,
    createdAt: iso(incident.createdAt),
    triggeredAt: iso(incident.triggeredAt),
    acknowledgedAt: iso(incident.acknowledgedAt),
    firstAcknowledgedAt: iso(incident.firstAcknowledgedAt),
    ackUntil: iso(incident.ackUntil),
    resolvedAt: iso(incident.resolvedAt),
    escalation: { ...escalation, nextDueAt: iso(escalation.nextDueAt) },
  };
}

function alertJson(alert: IncidentAlert) {
  return { ...alert, updatedAt: iso(alert.updatedAt) };
}

function timelineJson(entry: TimelineEntry) {
  return { ...entry, at: iso(entry.at) };
}

function pageJson(page: PageRecord) {
  return { ...page, dueAt: iso(page.dueAt), sentAt: iso(page.sentAt) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * Every call the UI makes to Vigil, and one error type for all of them: the
 * server's own message (with the position of a query error when it gives
 * one), or a plain "cannot reach Vigil" when the network fails — never a
 * blank page.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** 0-based character offset of a query error, when the message gives `line L, col C`. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `line 1, col 6` (both 1-based) in a query error → a character offset into the query. */
export function errorPosition(message: string, query: string): number | undefined {
  const match = /line (\d+), col(?:umn)? (\d+)/.exec(message);
  if (!match) return undefined;
  const lines = query.split('\n');
  const line = Math.min(Number(match[1]), lines.length) - 1;
  const before = lines.slice(0, line).reduce((n, text) => n + text.length + 1, 0);
  return Math.min(before + Number(match[2]) - 1, query.length);
}

export async function request<T>(path: string, init?: RequestInit & { query?: string }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError('Cannot reach Vigil: the server is down or the network is unreachable. Retrying on the next refresh.', 0);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // plain-text errors (Loki's API answers errors as text)
  }
  if (!response.ok || (body as { status?: string })?.status === 'error') {
    const message = errorMessage(body, response);
    throw new ApiError(message, response.status, init?.query === undefined ? undefined : errorPosition(message, init.query));
  }
  return body as T;
}

function errorMessage(body: unknown, response: Response): string {
  if (typeof body === 'string' && body.trim()) return body.trim();
  const error = (body as { error?: unknown; message?: unknown })?.error ?? (body as { message?: unknown })?.message;
  if (typeof error === 'string') return error;
  return `Vigil answered ${response.status} ${response.statusText}`;
}

const form = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

// ---- PromQL (Prometheus API) ---------------------------------------------

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

interface PromEnvelope<T> {
  status: 'success';
  data: T;
  warnings?: string[];
  infos?: string[];
}

export async function promQueryRange(query: string, startMs: number, endMs: number, stepMs: number) {
  const params = { query, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepMs / 1000) };
  const body = await request<PromEnvelope<{ resultType: 'matrix'; result: PromSeries[] }>>('/api/v1/query_range', { ...form(params), query });
  return { series: body.data.result, warnings: body.warnings ?? [] };
}

export async function promQuery(query: string, timeMs: number) {
  const body = await request<PromEnvelope<{ resultType: string; result: PromSample[] | [number, string] }>>('/api/v1/query', {
    ...form({ query, time: String(timeMs / 1000) }),
    query,
  });
  const { resultType, result } = body.data;
  const samples: PromSample[] = resultType === 'vector' ? (result as PromSample[]) : [{ metric: {}, value: result as [number, string] }];
  return { samples, warnings: body.warnings ?? [] };
}

export async function promLabelNames(): Promise<string[]> {
  return (await request<PromEnvelope<string[]>>('/api/v1/labels')).data;
}

export async function promLabelValues(name: string, match?: string): Promise<string[]> {
  const query = match ? `?${new URLSearchParams({ 'match[]': match })}` : '';
  return (await request<PromEnvelope<string[]>>(`/api/v1/label/${encodeURIComponent(name)}/values${query}`)).data;
}

// ---- LogQL (Loki API) ----------------------------------------------------

export interface LogStream {
  stream: Record<string, string>;
  values: [string, string][];
}

export async function logQueryRange(query: string, startMs: number, endMs: number, options: { limit?: number; stepMs?: number } = {}) {
  const params: Record<string, string> = {
    query,
    start: `${startMs}000000`,
    end: `${endMs}000000`,
    limit: String(options.limit ?? 500),
    direction: 'backward',
  };
  if (options.stepMs) params.step = String(options.stepMs / 1000);
  const body = await request<{ data: { resultType: 'streams' | 'matrix'; result: LogStream[] | PromSeries[] } }>(
    `/loki/api/v1/query_range?${new URLSearchParams(params)}`,
    { query },
  );
  return body.data;
}

export async function logLabelNames(): Promise<string[]> {
  return (await request<{ data?: string[] }>('/loki/api/v1/labels')).data ?? [];
}

export async function logLabelValues(name: string): Promise<string[]> {
  return (await request<{ data?: string[] }>(`/loki/api/v1/label/${encodeURIComponent(name)}/values`)).data ?? [];
}

// ---- alerts, silences, rules (Alertmanager API v2, Prometheus rules API) ---

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL: string;
  receivers: { name: string }[];
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
}

export interface AlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: AlertmanagerAlert[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export const alertGroups = () => request<AlertGroup[]>('/api/v2/alerts/groups');
export const alerts = (filter: string[] = []) =>
  request<AlertmanagerAlert[]>(`/api/v2/alerts?${new URLSearchParams(filter.map((f) => ['filter', f]))}`);
export const silences = () => request<Silence[]>('/api/v2/silences');
export const createSilence = (silence: Omit<Silence, 'id' | 'status' | 'updatedAt'> & { id?: string }) =>
  request<{ silenceID: string }>('/api/v2/silences', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(silence),
  });
export const expireSilence = (id: string) => request<unknown>(`/api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });

export interface RuleGroupStatus {
  name: string;
  file: string;
  interval: number;
  lastEvaluation: string;
  evaluationTime: number;
  rules: {
    type: 'alerting' | 'recording';
    name: string;
    query: string;
    health: 'ok' | 'err' | 'unknown';
    lastError?: string;
    lastEvaluation: string;
    evaluationTime: number;
    state?: 'inactive' | 'pending' | 'firing';
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    alerts?: { labels: Record<string, string>; annotations: Record<string, string>; state: string; activeAt: string; value: string }[];
  }[];
}

export const ruleGroups = async () => (await request<{ data: { groups: RuleGroupStatus[] } }>('/api/v1/rules')).data.groups;

// ---- Alerts page ---------------------------------------------------------

/** The dispatcher's groups; `includeMuted: false` leaves silenced and inhibited alerts out. */
export function alertGroupsMatching(filter: string[], includeMuted: boolean) {
  const params = new URLSearchParams(filter.map((f) => ['filter', f]));
  if (!includeMuted) {
    params.set('silenced', 'false');
    params.set('inhibited', 'false');
  }
  return request<AlertGroup[]>(`/api/v2/alerts/groups?${params}`);
}

// ---- Dashboards page -----------------------------------------------------

export interface DashboardSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  file: string;
  error?: string;
}

export type PanelType = 'timeseries' | 'stat' | 'gauge' | 'table' | 'bar' | 'logs';
export type ThresholdColor = 'green' | 'amber' | 'red';

export interface DashboardPanelSpec {
  title: string;
  description?: string;
  type: PanelType;
  datasource: 'metrics' | 'logs';
  queries: { expr: string; legend?: string }[];
  unit?: 's' | 'ms' | 'bytes' | 'percent' | 'percentunit' | 'reqps' | 'short';
  decimals?: number;
  thresholds: { value: number; color: ThresholdColor }[];
  min?: number;
  max?: number;
  links: { title: string; url: string }[];
  width: number;
  height: number;
}

export interface DashboardVariableSpec {
  name: string;
  label?: string;
  query?: string;
  values?: string[];
  include_all: boolean;
  default?: string;
}

export interface DashboardSpec {
  id: string;
  file: string;
  title: string;
  description: string;
  tags: string[];
  refresh: string;
  time: { from: string; to: string };
  variables: DashboardVariableSpec[];
  panels: DashboardPanelSpec[];
}

export const dashboardList = async () => (await request<{ data: DashboardSummary[] }>('/vigil/api/v1/dashboards')).data;
export const dashboardById = async (id: string) => (await request<{ data: DashboardSpec }>(`/vigil/api/v1/dashboards/${encodeURIComponent(id)}`)).data;

/** A LogQL metric query at one instant (Loki's /query): a vector, or a scalar as one sample. */
export async function logQueryInstant(query: string, timeMs: number): Promise<PromSample[]> {
  const params = new URLSearchParams({ query, time: `${timeMs}000000`, limit: '500' });
  const body = await request<{ data: { resultType: string; result: PromSample[] | [number, string] } }>(`/loki/api/v1/query?${params}`, { query });
  const { resultType, result } = body.data;
  if (resultType === 'vector') return result as PromSample[];
  if (resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
  throw new ApiError('this query returns log lines; use a metric query (e.g. count_over_time) here', 400);
}

// ---- Explore page --------------------------------------------------------

/** Label names; only those of the series `match` selects when given (`/api/v1/labels?match[]=`). */
export async function promLabelNamesMatching(match?: string): Promise<string[]> {
  const query = match ? `?${new URLSearchParams({ 'match[]': match })}` : '';
  return (await request<PromEnvelope<string[]>>(`/api/v1/labels${query}`)).data;
}

// ---- On-call pages ----

export type IncidentSeverity = 'critical' | 'high' | 'medium' | 'low';
export type IncidentState = 'triggered' | 'acknowledged' | 'resolved';

/** The server's incident with its ms times as RFC 3339 strings. */
export interface Incident {
  id: string;
  groupKey: string;
  policyId: string;
  severity: IncidentSeverity;
  summary: string;
  state: IncidentState;
  createdAt: string;
  triggeredAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  firstAcknowledgedAt?: string;
  /** An acknowledged incident re-triggers here (snooze end or acknowledgement timeout). */
  ackUntil?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  assignee?: string;
  escalation?: { position: number; cycle: number; stepsThisCycle: number; nextDueAt?: string };
  /** Marked as a false positive. */
  noise?: boolean;
}

export interface IncidentAlert {
  fingerprint: string;
  labels: Record<string, string>;
  status: 'firing' | 'resolved';
  updatedAt: string;
}

export interface IncidentTimelineEntry {
  at: string;
  actor: string;
  action: string;
  via: string;
  detail: Record<string, unknown>;
}

export interface IncidentPage {
  key: string;
  incidentId: string;
  person: string;
  severity: IncidentSeverity;
  step: number;
  attempt: number;
  reason: string;
  status: 'due' | 'sent' | 'failed' | 'capped' | 'cancelled';
  dueAt: string;
  sentAt?: string;
  error?: string;
}

export interface IncidentDetail {
  incident: Incident;
  alerts: IncidentAlert[];
  timeline: IncidentTimelineEntry[];
  pages: IncidentPage[];
}

export interface OncallPerson {
  id: string;
  name: string;
}

export interface ScheduleOncall {
  schedule: { id: string; name: string; time_zone: string };
  now: { person: OncallPerson; layer: string } | null;
  shifts: { person: OncallPerson; layer: string; start: string; end: string }[];
}

/** What a button asks the server to do to one incident, with its body (besides `by`). */
export type IncidentAction =
  | { kind: 'acknowledge' | 'resolve' | 'unacknowledge' | 'escalate' }
  | { kind: 'noise'; noise: boolean }
  | { kind: 'snooze'; minutes: number }
  | { kind: 'reassign'; person: string }
  | { kind: 'severity'; severity: IncidentSeverity };

const INCIDENTS = '/vigil/api/v1/incidents';
const incidentPath = (id: string) => `${INCIDENTS}/${encodeURIComponent(id)}`;
const postJson = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const incidentList = async (state: 'open' | 'all') =>
  (await request<{ data: Incident[] }>(`${INCIDENTS}?${new URLSearchParams({ state })}`)).data;

export const incidentDetail = async (id: string) => (await request<{ data: IncidentDetail }>(incidentPath(id))).data;

/** `by` names who acted; `via: 'ui'` puts "ui" in the incident's timeline. */
const actor = (by?: string) => ({ via: 'ui', ...(by && { by }) });

export async function incidentAct(id: string, action: IncidentAction, by?: string): Promise<Incident> {
  const { kind, ...body } = action;
  return (await request<{ data: Incident }>(`${incidentPath(id)}/${kind}`, postJson({ ...body, ...actor(by) }))).data;
}

export const acknowledgeAllIncidents = async (by?: string) =>
  (await request<{ data: { acknowledged: number } }>(`${INCIDENTS}/acknowledge-all`, postJson(actor(by)))).data;

export const incidentRecordUrl = (id: string) => `${incidentPath(id)}/record`;

/** The incident record as markdown text (a JSON-looking record is still shown as its text). */
export async function incidentRecord(id: string): Promise<string> {
  const body = await request<unknown>(incidentRecordUrl(id));
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

export const oncallNow = async () => (await request<{ data: ScheduleOncall[] }>('/vigil/api/v1/oncall')).data;

/**
 * `GET /api/v2/alerts` and `/alerts/groups` query parameters, and the
 * selection Alertmanager makes with them. A bad parameter is a 400 naming it.
 */
import { compileMatchers, parseMatchers, type Matcher } from '../../dispatch/matchers.ts';
import { VigilError } from '../../errors.ts';
import { compileRegex } from '../../logql/regex.ts';
import { all, single, type Params } from '../loki/params.ts';
import type { AlertFilter, AlertGroup, GettableAlert } from './routes.ts';

/** The words Alertmanager's parameter parser takes; anything else is refused rather than read as false. */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'on', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'off', 'f']);

export function booleanParam(params: Params, name: string, fallback = true): boolean {
  const text = single(params, name);
  if (text === undefined || text === '') return fallback;
  const lower = text.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  throw new VigilError('VIGIL_ERR_QUERY_PARAM', `${name}: "${text}" is not a boolean; use true or false`);
}

/** Every `filter` parameter (amtool repeats it, one matcher each); each may also hold a `{...}` list. */
export function filterMatchers(params: Params): Matcher[] {
  return all(params, 'filter').flatMap((text) => {
    try {
      return parseMatchers(text, 'VIGIL_ERR_QUERY_PARAM');
    } catch (err) {
      throw new VigilError('VIGIL_ERR_QUERY_PARAM', `filter: ${(err as Error).message}`, { cause: err });
    }
  });
}

export function alertFilterOf(params: Params): AlertFilter {
  const receiver = single(params, 'receiver');
  return {
    active: booleanParam(params, 'active'),
    silenced: booleanParam(params, 'silenced'),
    inhibited: booleanParam(params, 'inhibited'),
    unprocessed: booleanParam(params, 'unprocessed'),
    matchers: filterMatchers(params),
    // amtool sends `receiver=` when no receiver was asked for
    ...(receiver ? { receiver: receiverRegex(receiver) } : {}),
  };
}

function receiverRegex(pattern: string): RegExp {
  try {
    return compileRegex(pattern, true);
  } catch (err) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `receiver: ${(err as Error).message}`, { cause: err });
  }
}

/** Alertmanager's alertFilter; alerts that have ended are left out, the rest sorted by fingerprint. */
export function selectAlerts(alerts: GettableAlert[], filter: AlertFilter, nowMs: number): GettableAlert[] {
  const accepts = alertPredicate(filter, nowMs);
  return alerts.filter(accepts).map(withMutedBy).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

/** The same per alert; a group is kept when it has alerts left and, with muted=false, when not all are muted. */
export function selectGroups(groups: AlertGroup[], filter: AlertFilter, includeMuted: boolean, nowMs: number): AlertGroup[] {
  const accepts = alertPredicate({ ...filter, receiver: undefined }, nowMs);
  const selected: AlertGroup[] = [];
  for (const group of groups) {
    if (filter.receiver && !filter.receiver.test(group.receiver.name)) continue;
    const alerts = group.alerts.filter(accepts).map(withMutedBy);
    if (alerts.length === 0) continue;
    if (!includeMuted && alerts.every(isMuted)) continue;
    selected.push({ labels: group.labels, receiver: group.receiver, alerts, routeLabels: group.routeLabels ?? {} });
  }
  return selected;
}

function alertPredicate(filter: AlertFilter, nowMs: number): (alert: GettableAlert) => boolean {
  const matches = compileMatchers(filter.matchers);
  return (alert) => {
    const { state, silencedBy, inhibitedBy } = alert.status;
    if (!filter.active && state === 'active') return false;
    if (!filter.unprocessed && state === 'unprocessed') return false;
    if (!filter.silenced && silencedBy.length > 0) return false;
    if (!filter.inhibited && inhibitedBy.length > 0) return false;
    if (hasEnded(alert, nowMs)) return false;
    if (filter.receiver && !alert.receivers.some((r) => filter.receiver!.test(r.name))) return false;
    return matches(alert.labels);
  };
}

/** Go's zero time ("0001-01-01T00:00:00Z") means no end. */
function hasEnded(alert: GettableAlert, nowMs: number): boolean {
  const endsAt = Date.parse(alert.endsAt);
  return endsAt > 0 && endsAt < nowMs;
}

function isMuted(alert: GettableAlert): boolean {
  const { silencedBy, inhibitedBy, mutedBy = [] } = alert.status;
  return silencedBy.length > 0 || inhibitedBy.length > 0 || mutedBy.length > 0;
}

function withMutedBy(alert: GettableAlert): GettableAlert {
  return { ...alert, status: { ...alert.status, mutedBy: alert.status.mutedBy ?? [] } };
}

/** Alerts and groups in the shapes of Alertmanager's API v2 (`GettableAlert`, `AlertGroup`). */
import type { StoredAlert } from './alert-store.ts';
import { compileMatchers, type Matcher } from './matchers.ts';
import type { LabelSet } from './model.ts';

export interface AlertStatus {
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
}

export interface GettableAlert {
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: AlertStatus;
}

export interface AlertGroupView {
  labels: LabelSet;
  receiver: { name: string };
  alerts: GettableAlert[];
}

/** Query parameters of GET /api/v2/alerts; the flags default to true as there. */
export interface AlertFilter {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
  matchers?: Matcher[];
  /** Anchored as Alertmanager's: build it with compileRegex(value, true). */
  receiver?: RegExp;
}

export function statusOf(silencedBy: string[], inhibitedBy: string[]): AlertStatus {
  return { state: silencedBy.length > 0 || inhibitedBy.length > 0 ? 'suppressed' : 'active', silencedBy, inhibitedBy };
}

export function toGettable(alert: StoredAlert, receivers: string[], status: AlertStatus): GettableAlert {
  return {
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: new Date(alert.endsAt).toISOString(),
    updatedAt: new Date(alert.updatedAt).toISOString(),
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
    receivers: receivers.map((name) => ({ name })),
    status,
  };
}

/** A predicate as the API's filter applies it; `receivers` are the ones the alert is (or its group is) routed to. */
export function alertFilter(filter: AlertFilter = {}): (labels: LabelSet, receivers: string[], status: AlertStatus) => boolean {
  const matches = compileMatchers(filter.matchers ?? []);
  const receiver = filter.receiver;
  return (labels, receivers, status) => {
    if (filter.active === false && status.state === 'active') return false;
    if (filter.unprocessed === false && status.state === 'unprocessed') return false;
    if (filter.silenced === false && status.silencedBy.length > 0) return false;
    if (filter.inhibited === false && status.inhibitedBy.length > 0) return false;
    if (receiver && !receivers.some((name) => receiver.test(name))) return false;
    return matches(labels);
  };
}

export function sortGroups(groups: AlertGroupView[]): AlertGroupView[] {
  const key = (g: AlertGroupView) => JSON.stringify(Object.entries(g.labels).sort()) + '\u0000' + g.receiver.name;
  return groups.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

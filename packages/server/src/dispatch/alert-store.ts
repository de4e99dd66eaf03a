/**
 * The alerts Vigil currently knows, by fingerprint, merged as Alertmanager's
 * in-memory provider merges them: a re-sent alert extends the one it
 * overlaps, an alert without endsAt resolves `resolve_timeout` after its
 * last update, and resolved alerts are dropped after a retention.
 */
import { fingerprint, type Alert } from './model.ts';

/** How long a resolved alert stays visible (Alertmanager's default GC interval). */
export const RESOLVED_RETENTION_MS = 30 * 60_000;

/** An alert as stored: endsAt always set; `timeout` when that end came from resolve_timeout. */
export interface StoredAlert extends Alert {
  fingerprint: string;
  timeout: boolean;
}

export function isResolved(alert: Alert, atMs: number): boolean {
  return alert.endsAt !== 0 && alert.endsAt <= atMs;
}

export class AlertStore {
  private readonly alerts = new Map<string, StoredAlert>();

  /** Merges one received alert and returns what is now stored for its fingerprint. */
  put(alert: Alert, nowMs: number, resolveTimeoutMs: number, fp = fingerprint(alert.labels)): StoredAlert {
    const incoming = normalise(alert, fp, nowMs, resolveTimeoutMs);
    const old = this.alerts.get(incoming.fingerprint);
    const stored = old && overlaps(old, incoming) ? merge(old, incoming) : incoming;
    this.alerts.set(stored.fingerprint, stored);
    return stored;
  }

  get(fp: string): StoredAlert | undefined {
    return this.alerts.get(fp);
  }

  all(): StoredAlert[] {
    return [...this.alerts.values()];
  }

  /** Drops alerts resolved longer ago than the retention; returns their fingerprints. */
  collectGarbage(nowMs: number): string[] {
    const dropped: string[] = [];
    for (const [fp, alert] of this.alerts) {
      if (isResolved(alert, nowMs - RESOLVED_RETENTION_MS)) {
        this.alerts.delete(fp);
        dropped.push(fp);
      }
    }
    return dropped;
  }
}

function normalise(alert: Alert, fp: string, nowMs: number, resolveTimeoutMs: number): StoredAlert {
  const timeout = alert.endsAt === 0;
  return {
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    generatorURL: alert.generatorURL,
    startsAt: alert.startsAt || nowMs,
    endsAt: timeout ? nowMs + resolveTimeoutMs : alert.endsAt,
    updatedAt: nowMs,
    fingerprint: fp,
    timeout,
  };
}

/** Alertmanager merges only when the activity ranges overlap; otherwise the new alert replaces the old. */
function overlaps(old: StoredAlert, incoming: StoredAlert): boolean {
  return (
    (incoming.endsAt > old.startsAt && incoming.endsAt < old.endsAt) ||
    (incoming.startsAt > old.startsAt && incoming.startsAt < old.endsAt)
  );
}

/** types.Alert.Merge: the younger alert wins, the earliest start is kept, an explicit later end rules. */
function merge(a: StoredAlert, o: StoredAlert): StoredAlert {
  if (o.updatedAt < a.updatedAt) return merge(o, a);
  const res: StoredAlert = { ...o };
  if (a.startsAt < o.startsAt) res.startsAt = a.startsAt;
  const oResolved = isResolved(o, o.updatedAt);
  if (oResolved) {
    if (isResolved(a, o.updatedAt) && a.endsAt > o.endsAt) res.endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    res.endsAt = a.endsAt;
  }
  return res;
}

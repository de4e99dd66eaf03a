/**
 * The notification log: what was last sent for each (receiver, group key),
 * kept in SQLite so a restarted Vigil does not notify again before the
 * repeat interval. `needsUpdate` is Alertmanager's DedupStage decision.
 */
import type Database from 'better-sqlite3';

/** Alertmanager's default --data.retention: how long an entry outlives its notification. */
export const NFLOG_RETENTION_MS = 120 * 3_600_000;

export interface NflogEntry {
  firing: Set<string>;
  resolved: Set<string>;
  sentAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dispatch_nflog (
  receiver   TEXT NOT NULL,
  group_key  TEXT NOT NULL,
  firing     TEXT NOT NULL,  -- JSON array of fingerprints
  resolved   TEXT NOT NULL,  -- JSON array of fingerprints
  sent_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (receiver, group_key)
) WITHOUT ROWID;
`;

interface Row {
  firing: string;
  resolved: string;
  sent_at: number;
}

export class NotificationLog {
  private readonly select: Database.Statement<[string, string, number], Row>;
  private readonly upsert: Database.Statement<[string, string, string, string, number, number]>;
  private readonly expire: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.select = db.prepare('SELECT firing, resolved, sent_at FROM dispatch_nflog WHERE receiver = ? AND group_key = ? AND expires_at > ?');
    this.upsert = db.prepare(
      'INSERT INTO dispatch_nflog (receiver, group_key, firing, resolved, sent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (receiver, group_key) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, sent_at = excluded.sent_at, expires_at = excluded.expires_at',
    );
    this.expire = db.prepare('DELETE FROM dispatch_nflog WHERE expires_at <= ?');
  }

  get(receiver: string, groupKey: string, nowMs: number): NflogEntry | undefined {
    const row = this.select.get(receiver, groupKey, nowMs);
    if (!row) return undefined;
    return { firing: new Set(JSON.parse(row.firing) as string[]), resolved: new Set(JSON.parse(row.resolved) as string[]), sentAt: row.sent_at };
  }

  log(receiver: string, groupKey: string, firing: string[], resolved: string[], nowMs: number): void {
    this.upsert.run(receiver, groupKey, JSON.stringify(firing), JSON.stringify(resolved), nowMs, nowMs + NFLOG_RETENTION_MS);
  }

  collectGarbage(nowMs: number): void {
    this.expire.run(nowMs);
  }
}

/**
 * DedupStage.needsUpdate. Resolved alerts are treated as send_resolved
 * receivers treat them; a receiver whose integrations skip resolved alerts
 * drops them itself.
 */
export function needsUpdate(entry: NflogEntry | undefined, firing: Set<string>, resolved: Set<string>, repeatIntervalMs: number, nowMs: number): boolean {
  if (!entry) return firing.size > 0;
  if (![...firing].every((fp) => entry.firing.has(fp))) return true;
  // All resolved: tell the receiver once, and only if it was told they fired.
  if (firing.size === 0) return entry.firing.size > 0;
  if (![...resolved].every((fp) => entry.resolved.has(fp))) return true;
  return entry.sentAt < nowMs - repeatIntervalMs;
}

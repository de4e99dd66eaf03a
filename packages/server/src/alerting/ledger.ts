/**
 * The alert ledger: every alert state change, notification attempt and
 * silence change, kept in SQLite and queryable — what Alertmanager's users
 * reconstruct from logs after an incident.
 */
import type Database from 'better-sqlite3';

export type LedgerKind = 'alert' | 'notification' | 'silence';

export interface LedgerEntry {
  at: number;
  kind: LedgerKind;
  /** e.g. "firing", "resolved", "sent", "failed", "created", "expired". */
  action: string;
  fingerprint?: string;
  receiver?: string;
  /** Whatever else describes the change: labels, results, the silence. */
  detail: unknown;
}

export interface LedgerFilter {
  kind?: LedgerKind;
  fingerprint?: string;
  receiver?: string;
  startMs?: number;
  endMs?: number;
  limit?: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  fingerprint TEXT,
  receiver TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_at ON ledger (at);
CREATE INDEX IF NOT EXISTS ledger_fingerprint ON ledger (fingerprint, at);
CREATE INDEX IF NOT EXISTS ledger_receiver ON ledger (receiver, at);
`;

interface Row {
  at: number;
  kind: LedgerKind;
  action: string;
  fingerprint: string | null;
  receiver: string | null;
  detail: string;
}

export class AlertLedger {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(schema);
    this.insert = db.prepare(
      'INSERT INTO ledger (at, kind, action, fingerprint, receiver, detail) VALUES (@at, @kind, @action, @fingerprint, @receiver, @detail)',
    );
  }

  record(entry: LedgerEntry): void {
    this.insert.run({
      at: entry.at,
      kind: entry.kind,
      action: entry.action,
      fingerprint: entry.fingerprint ?? null,
      receiver: entry.receiver ?? null,
      detail: JSON.stringify(entry.detail ?? null),
    });
  }

  /** Newest first. Every filter value is bound, never spliced into the SQL. */
  query(filter: LedgerFilter = {}): LedgerEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: Math.min(filter.limit ?? 1000, 10_000) };
    const add = (column: string, op: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} ${op} @${column}_${where.length}`);
      params[`${column}_${where.length - 1}`] = value;
    };
    add('kind', '=', filter.kind);
    add('fingerprint', '=', filter.fingerprint);
    add('receiver', '=', filter.receiver);
    add('at', '>=', filter.startMs);
    add('at', '<=', filter.endMs);
    const sql = `SELECT at, kind, action, fingerprint, receiver, detail FROM ledger
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as Row[]).map((row) => ({
      at: row.at,
      kind: row.kind,
      action: row.action,
      ...(row.fingerprint !== null ? { fingerprint: row.fingerprint } : {}),
      ...(row.receiver !== null ? { receiver: row.receiver } : {}),
      detail: JSON.parse(row.detail) as unknown,
    }));
  }

  /** Drops entries older than the cutoff; returns how many. */
  prune(beforeMs: number): number {
    return this.db.prepare('DELETE FROM ledger WHERE at < ?').run(beforeMs).changes;
  }
}

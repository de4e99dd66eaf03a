/**
 * Stream ids by (tenant, label set). The writer owns the table; the id map is
 * kept in memory because every pushed line needs a lookup.
 */
import type Database from 'better-sqlite3';
import type { Labels } from '../../ingest/model.ts';
import { VigilError } from '../../errors.ts';

/** Labels as sorted JSON: one text per label set, whatever the key order. */
export function canonicalLabels(labels: Labels): string {
  const sorted: Labels = {};
  for (const key of Object.keys(labels).sort()) sorted[key] = labels[key];
  return JSON.stringify(sorted);
}

export class StreamIndex {
  private readonly ids = new Map<string, number>();
  private readonly perTenant = new Map<string, number>();
  private readonly insert: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly maxStreamsPerTenant: number,
  ) {
    this.insert = db.prepare('INSERT INTO streams (tenant, labels) VALUES (?, ?)');
    for (const row of db.prepare('SELECT id, tenant, labels FROM streams').iterate() as Iterable<{
      id: number;
      tenant: string;
      labels: string;
    }>) {
      this.ids.set(`${row.tenant}\u0000${row.labels}`, row.id);
      this.perTenant.set(row.tenant, (this.perTenant.get(row.tenant) ?? 0) + 1);
    }
  }

  /** The stream's id, created (durably) when new. */
  idFor(tenant: string, labels: Labels): number {
    const canonical = canonicalLabels(labels);
    const key = `${tenant}\u0000${canonical}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const count = this.perTenant.get(tenant) ?? 0;
    if (count >= this.maxStreamsPerTenant) {
      throw new VigilError(
        'VIGIL_ERR_LABELS_INVALID',
        `stream limit reached: tenant "${tenant}" already has ${count} streams (limits.max_streams_per_tenant); new stream ${canonical} rejected`,
      );
    }
    const id = Number(this.insert.run(tenant, canonical).lastInsertRowid);
    this.ids.set(key, id);
    this.perTenant.set(tenant, count + 1);
    return id;
  }

  get size(): number {
    return this.ids.size;
  }
}

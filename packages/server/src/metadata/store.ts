/**
 * Metric metadata (TYPE, HELP, UNIT per metric family), per tenant, in
 * memory, as Prometheus keeps it in its scrape cache. Fed by scrapes, OTLP
 * and remote write; read by `GET /api/v1/metadata`.
 *
 * Bounded, since any client that can write can name families: a tenant
 * keeps at most `maxFamiliesPerTenant` families (past it, the least
 * recently seen tenth goes), each at most `maxVariantsPerFamily` distinct entries, HELP
 * is cut at `maxHelpLength`, and an entry not seen for `ttlMs` is dropped
 * (Prometheus forgets a target's metadata when the target goes away).
 */
import type { Clock } from '../clock.ts';

/** Prometheus' metadata types (the text format's `untyped` is `unknown`). */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/** What a writer of metadata needs: scrapes, OTLP and remote write take this. */
export interface MetadataRecorder {
  record(tenant: string, family: string, metadata: MetricMetadata): void;
}

export interface MetadataLimits {
  maxTenants: number;
  maxFamiliesPerTenant: number;
  maxVariantsPerFamily: number;
  /** Characters; longer HELP texts are cut. */
  maxHelpLength: number;
  /** Characters; longer family names and units are not recorded. */
  maxNameLength: number;
  /** Milliseconds an entry lives after it was last recorded. */
  ttlMs: number;
}

export const defaultMetadataLimits: Readonly<MetadataLimits> = Object.freeze({
  maxTenants: 1000,
  maxFamiliesPerTenant: 10_000,
  maxVariantsPerFamily: 8,
  maxHelpLength: 1024,
  maxNameLength: 256,
  ttlMs: 3_600_000,
});

export interface MetadataQuery {
  /** Only this family. */
  metric?: string;
  /** At most this many families; negative is no limit. */
  limit?: number;
  /** At most this many entries per family; zero or negative is no limit. */
  limitPerMetric?: number;
}

interface Entry {
  metadata: MetricMetadata;
  seenMs: number;
}

/** One family's distinct entries by `type\xffhelp\xffunit`; `latest` is the one last recorded. */
interface Family {
  variants: Map<string, Entry>;
  latest: Entry;
}

interface Tenant {
  families: Map<string, Family>;
  seenMs: number;
}

function sameMetadata(a: MetricMetadata, b: MetricMetadata): boolean {
  return a.type === b.type && a.help === b.help && a.unit === b.unit;
}

export class MetadataStore implements MetadataRecorder {
  private readonly tenants = new Map<string, Tenant>();
  private readonly limits: MetadataLimits;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(clock: Pick<Clock, 'now'>, limits: Partial<MetadataLimits> = {}) {
    this.clock = clock;
    this.limits = { ...defaultMetadataLimits, ...limits };
  }

  record(tenant: string, family: string, metadata: MetricMetadata): void {
    const { maxNameLength, maxHelpLength } = this.limits;
    if (family === '' || family.length > maxNameLength || metadata.unit.length > maxNameLength) return;
    const now = this.clock.now();
    const entry = { metadata: { ...metadata, help: metadata.help.slice(0, maxHelpLength) }, seenMs: now };
    const families = this.tenantFor(tenant, now).families;
    const existing = families.get(family);
    // Every scrape re-records unchanged metadata: that must stay cheap.
    if (existing !== undefined && sameMetadata(existing.latest.metadata, entry.metadata)) {
      existing.latest.seenMs = now;
      return;
    }
    const key = `${entry.metadata.type}\xff${entry.metadata.help}\xff${entry.metadata.unit}`;
    if (existing === undefined) {
      families.set(family, { variants: new Map([[key, entry]]), latest: entry });
      if (families.size > this.limits.maxFamiliesPerTenant) this.shrink(families);
      return;
    }
    existing.variants.delete(key);
    existing.variants.set(key, entry);
    existing.latest = entry;
    if (existing.variants.size > this.limits.maxVariantsPerFamily) existing.variants.delete(existing.variants.keys().next().value!);
  }

  /** Families and their entries, as `/api/v1/metadata` answers: most recently seen first. */
  query(tenant: string, options: MetadataQuery = {}): Record<string, MetricMetadata[]> {
    const families = this.tenants.get(tenant)?.families;
    const out: Record<string, MetricMetadata[]> = {};
    if (families === undefined) return out;
    this.expire(families);
    const limit = options.limit ?? -1;
    const perMetric = options.limitPerMetric ?? 0;
    const names = options.metric === undefined ? byRecency(families) : [options.metric];
    let count = 0;
    for (const name of names) {
      if (limit >= 0 && count >= limit) break;
      const family = families.get(name);
      if (family === undefined) continue;
      const entries = [...family.variants.values()].reverse().sort((a, b) => b.seenMs - a.seenMs).map((e) => e.metadata);
      out[name] = perMetric > 0 ? entries.slice(0, perMetric) : entries;
      count++;
    }
    return out;
  }

  private tenantFor(name: string, now: number): Tenant {
    let tenant = this.tenants.get(name);
    if (tenant === undefined) {
      this.tenants.set(name, (tenant = { families: new Map(), seenMs: now }));
      if (this.tenants.size > this.limits.maxTenants) this.tenants.delete(oldest(this.tenants));
    }
    tenant.seenMs = now;
    return tenant;
  }

  /** Over the cap: drop the least recently seen tenth at once, so a flood of new names costs little per name. */
  private shrink(families: Map<string, Family>): void {
    const max = this.limits.maxFamiliesPerTenant;
    const keep = max - Math.max(1, Math.floor(max / 10));
    const names = byRecency(families);
    for (const name of names.slice(keep)) families.delete(name);
  }

  private expire(families: Map<string, Family>): void {
    const oldestAllowed = this.clock.now() - this.limits.ttlMs;
    for (const [name, family] of families) {
      for (const [key, entry] of family.variants) if (entry.seenMs < oldestAllowed) family.variants.delete(key);
      if (family.variants.size === 0) families.delete(name);
    }
  }
}

function lastSeen(family: Family): number {
  let max = 0;
  for (const entry of family.variants.values()) max = Math.max(max, entry.seenMs);
  return max;
}

function byRecency(families: Map<string, Family>): string[] {
  // newest insertion first, so that ties keep it first
  const seen = [...families].reverse().map(([name, family]) => ({ name, seenMs: lastSeen(family) }));
  return seen.sort((a, b) => b.seenMs - a.seenMs).map((s) => s.name);
}

function oldest(tenants: Map<string, Tenant>): string {
  let name = '';
  let seenMs = Infinity;
  for (const [n, t] of tenants) if (t.seenMs < seenMs) [name, seenMs] = [n, t.seenMs];
  return name;
}

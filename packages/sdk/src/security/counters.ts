/**
 * Get-or-create for counters: createSecurity and createAuthBlocker may share a
 * Registry, and prom-client throws when a name is registered twice.
 */
import { Counter, type Registry } from 'prom-client';

export function sharedCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter<L>({ name, help, labelNames, registers: [registry] });
}

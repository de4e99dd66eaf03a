/**
 * Test helpers for this folder: an array-backed logger, counter readings,
 * and HMAC built by hand from the hash function (RFC 2104), so the expected
 * signatures in tests do not come from the code under test's path.
 */
import { createHash } from 'node:crypto';
import type { Registry } from 'prom-client';

export interface LogLine {
  level: 'warn' | 'info' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

export function arrayLogger(): { lines: LogLine[]; warn: (obj: Record<string, unknown>, msg?: string) => void; info: (obj: Record<string, unknown>, msg?: string) => void; error: (obj: Record<string, unknown>, msg?: string) => void } {
  const lines: LogLine[] = [];
  return {
    lines,
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
  };
}

/** Every sample of one metric as [labels, value]. */
export async function samples(registry: Registry, name: string): Promise<Array<[Record<string, string | number>, number]>> {
  const metrics = await registry.getMetricsAsJSON();
  const metric = metrics.find((m) => m.name === name);
  return metric ? metric.values.map((v) => [v.labels as Record<string, string | number>, v.value]) : [];
}

export async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  for (const [sampleLabels, value] of await samples(registry, name)) {
    if (Object.entries(labels).every(([k, v]) => sampleLabels[k] === v) && Object.keys(sampleLabels).length === Object.keys(labels).length) return value;
  }
  return 0;
}

/** HMAC = H((K ^ opad) || H((K ^ ipad) || m)), block size 64 for SHA-1 and SHA-256. */
export function manualHmac(hash: 'sha1' | 'sha256', key: string | Buffer, message: string | Buffer): Buffer {
  const blockSize = 64;
  let k = Buffer.from(key);
  if (k.length > blockSize) k = createHash(hash).update(k).digest();
  const padded = Buffer.concat([k, Buffer.alloc(blockSize - k.length)]);
  const ipad = Buffer.from(padded.map((b) => b ^ 0x36));
  const opad = Buffer.from(padded.map((b) => b ^ 0x5c));
  const inner = createHash(hash).update(ipad).update(Buffer.from(message)).digest();
  return createHash(hash).update(opad).update(inner).digest();
}

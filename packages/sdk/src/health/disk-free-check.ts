/**
 * Free space on the filesystem holding `path` (space available to this
 * process' user, as df shows it, not the root-reserved blocks).
 */
import { statfs } from 'node:fs/promises';
import { describeValue } from '../redact/describe-value.ts';
import type { HealthCheckFn } from './run-check.ts';

export interface DiskFreeOptions {
  /** Fail below this many free bytes. */
  minFreeBytes?: number;
  /** Fail below this fraction of the filesystem free, 0–1. */
  minFreeRatio?: number;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function diskFreeCheck(path: string, options: DiskFreeOptions): HealthCheckFn {
  if (typeof path !== 'string' || path === '') throw new TypeError(`diskFreeCheck path must be a non-empty string, got ${describeValue(path)}`);
  const { minFreeBytes, minFreeRatio } = options ?? {};
  if (minFreeBytes === undefined && minFreeRatio === undefined) throw new TypeError('diskFreeCheck needs minFreeBytes or minFreeRatio');
  if (minFreeBytes !== undefined && (typeof minFreeBytes !== 'number' || !(minFreeBytes >= 0))) {
    throw new TypeError(`diskFreeCheck minFreeBytes must be a number ≥ 0, got ${describeValue(minFreeBytes)}`);
  }
  if (minFreeRatio !== undefined && (typeof minFreeRatio !== 'number' || !(minFreeRatio >= 0 && minFreeRatio <= 1))) {
    throw new TypeError(`diskFreeCheck minFreeRatio must be a number from 0 to 1, got ${describeValue(minFreeRatio)}`);
  }
  return async () => {
    const stats = await statfs(path);
    const free = stats.bavail * stats.bsize;
    const total = stats.blocks * stats.bsize;
    const ratio = stats.blocks > 0 ? stats.bavail / stats.blocks : 0;
    const percent = `${(ratio * 100).toFixed(1)}%`;
    if (minFreeBytes !== undefined && free < minFreeBytes) {
      throw new Error(`${path}: ${formatBytes(free)} free (${percent}), below ${formatBytes(minFreeBytes)}`);
    }
    if (minFreeRatio !== undefined && ratio < minFreeRatio) {
      throw new Error(`${path}: ${percent} free (${formatBytes(free)}), below ${(minFreeRatio * 100).toFixed(1)}%`);
    }
    return { path, free_bytes: free, total_bytes: total, free_ratio: Number(ratio.toFixed(4)) };
  };
}

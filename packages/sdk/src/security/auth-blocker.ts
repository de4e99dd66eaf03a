/**
 * Temporary blocking after repeated authentication failures, per client IP
 * and per principal (the account being tried), so both one address spraying
 * many accounts and many addresses hammering one account are slowed down.
 *
 * A key is blocked for `blockMs` once it has `maxFailures` failures within the
 * last `windowMs` (a sliding window: the last maxFailures timestamps per key
 * are kept, so memory per key is bounded). Failures recorded while a key is
 * blocked do not extend the block: a block then ends at a known time, and an
 * attacker cannot keep a victim's account locked by trying it forever.
 *
 * Memory is bounded: failure counters and active blocks are two tables capped
 * at `maxKeys` entries each; the entry touched longest ago is evicted. Blocks
 * are kept apart so a flood of one-off failures from many addresses cannot
 * evict them: evicting a block needs maxKeys other keys blocked first.
 */
import { Registry } from 'prom-client';
import { describeValue } from '../redact/describe-value.ts';
import { sharedCounter } from './counters.ts';
import { logSecurityEvent, type SecurityLogger } from './types.ts';

export interface AuthBlockerOptions {
  /** Failures within windowMs that start a block; default 10. */
  maxFailures?: number;
  /** Sliding window for counting failures, ms; default 60_000. */
  windowMs?: number;
  /** How long a block lasts, ms; default 900_000 (15 min). */
  blockMs?: number;
  /** Keys tracked per table (failure counters, active blocks); default 10_000. */
  maxKeys?: number;
  /** Clock, ms since the epoch; default Date.now. */
  now?: () => number;
  /** Where `auth.blocked` security events go; none logged without it. */
  logger?: SecurityLogger;
  /** Where auth_blocks_total is registered; default a new Registry. */
  registry?: Registry;
  /**
   * Maps a principal to its key; default trims and lower-cases, so
   * "Alice@x.com " and "alice@x.com" share a counter.
   */
  normalizePrincipal?: (principal: string) => string;
}

export interface AuthKeys {
  ip?: string;
  principal?: string;
}

export type KeyType = 'ip' | 'principal';

export interface BlockStatus {
  blocked: boolean;
  /** Whole seconds until every matching block ends (0 when not blocked): the Retry-After value. */
  retryAfterSeconds: number;
  /** Which key is blocked (the longer block when both are). */
  keyType?: KeyType;
}

export interface AuthBlocker {
  /** Counts one failure for each key given; returns the status after counting. */
  recordFailure(keys: AuthKeys): BlockStatus;
  isBlocked(keys: AuthKeys): BlockStatus;
  /** Forgets failures and blocks of these keys, e.g. the principal after a successful login, or an operator's unblock. */
  reset(keys: AuthKeys): void;
  /** Keys currently held in each table (for tests and capacity dashboards). */
  size(): { failures: number; blocks: number };
  readonly registry: Registry;
}

export const defaultAuthBlockerOptions = Object.freeze({
  maxFailures: 10,
  windowMs: 60_000,
  blockMs: 15 * 60_000,
  maxKeys: 10_000,
});

/** Longer keys are cut: an attacker-chosen principal must not cost unbounded memory. */
const MAX_KEY_LENGTH = 256;

const NOT_BLOCKED: BlockStatus = Object.freeze({ blocked: false, retryAfterSeconds: 0 });

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`createAuthBlocker option ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function defaultNormalize(principal: string): string {
  return principal.trim().toLowerCase();
}

export function createAuthBlocker(options: AuthBlockerOptions = {}): AuthBlocker {
  const maxFailures = positiveInteger('maxFailures', options.maxFailures, defaultAuthBlockerOptions.maxFailures);
  const windowMs = positiveInteger('windowMs', options.windowMs, defaultAuthBlockerOptions.windowMs);
  const blockMs = positiveInteger('blockMs', options.blockMs, defaultAuthBlockerOptions.blockMs);
  const maxKeys = positiveInteger('maxKeys', options.maxKeys, defaultAuthBlockerOptions.maxKeys);
  const now = options.now ?? Date.now;
  const normalize = options.normalizePrincipal ?? defaultNormalize;
  const { logger } = options;
  const registry = options.registry ?? new Registry();
  const blocksTotal = sharedCounter(registry, 'auth_blocks_total', 'Temporary blocks started after repeated authentication failures', ['key_type']);
  // Zero series up front, so rate() and increase() see the first block.
  blocksTotal.inc({ key_type: 'ip' }, 0);
  blocksTotal.inc({ key_type: 'principal' }, 0);

  /** key → timestamps of recent failures, oldest first; Map order = least recently failed first. */
  const failures = new Map<string, number[]>();
  /** key → end of block; Map order = block start order = end order (blockMs is fixed). */
  const blocks = new Map<string, number>();

  function keysOf(keys: AuthKeys): Array<[KeyType, string, string]> {
    const out: Array<[KeyType, string, string]> = [];
    if (typeof keys?.ip === 'string' && keys.ip !== '') {
      const ip = keys.ip.slice(0, MAX_KEY_LENGTH);
      out.push(['ip', ip, `ip:${ip}`]);
    }
    if (typeof keys?.principal === 'string') {
      let principal: string;
      try {
        principal = normalize(keys.principal).slice(0, MAX_KEY_LENGTH);
      } catch {
        principal = keys.principal.slice(0, MAX_KEY_LENGTH);
      }
      if (principal !== '') out.push(['principal', principal, `principal:${principal}`]);
    }
    return out;
  }

  function pruneExpired(at: number): void {
    for (const [key, until] of blocks) {
      if (until > at) break;
      blocks.delete(key);
    }
    for (const [key, times] of failures) {
      if (times[times.length - 1] > at - windowMs) break;
      failures.delete(key);
    }
  }

  function blockedUntil(key: string, at: number): number | undefined {
    const until = blocks.get(key);
    if (until === undefined) return undefined;
    if (until > at) return until;
    blocks.delete(key);
    return undefined;
  }

  function startBlock(type: KeyType, value: string, key: string, at: number): void {
    failures.delete(key);
    // Delete first: Map.set on an existing key keeps its old place, and the order is what eviction relies on.
    blocks.delete(key);
    blocks.set(key, at + blockMs);
    if (blocks.size > maxKeys) blocks.delete(blocks.keys().next().value as string);
    blocksTotal.inc({ key_type: type });
    logSecurityEvent(logger, {
      event: 'auth.blocked',
      key_type: type,
      [type]: value,
      failures: maxFailures,
      window_seconds: windowMs / 1000,
      block_seconds: Math.ceil(blockMs / 1000),
    }, `authentication blocked for this ${type} after repeated failures`);
  }

  function status(entries: Array<[KeyType, string, string]>, at: number): BlockStatus {
    let longest = 0;
    let keyType: KeyType | undefined;
    for (const [type, , key] of entries) {
      const until = blockedUntil(key, at);
      if (until !== undefined && until > longest) {
        longest = until;
        keyType = type;
      }
    }
    if (keyType === undefined) return NOT_BLOCKED;
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((longest - at) / 1000)), keyType };
  }

  return {
    registry,
    recordFailure(keys) {
      const at = now();
      pruneExpired(at);
      const entries = keysOf(keys);
      for (const [type, value, key] of entries) {
        if (blockedUntil(key, at) !== undefined) continue;
        const recent = (failures.get(key) ?? []).filter((time) => time > at - windowMs);
        recent.push(at);
        // Delete then set moves the key to the end: eviction takes the least recently failed.
        failures.delete(key);
        if (recent.length >= maxFailures) {
          startBlock(type, value, key, at);
          continue;
        }
        failures.set(key, recent);
        if (failures.size > maxKeys) failures.delete(failures.keys().next().value as string);
      }
      return status(entries, at);
    },
    isBlocked(keys) {
      return status(keysOf(keys), now());
    },
    reset(keys) {
      for (const [, , key] of keysOf(keys)) {
        failures.delete(key);
        blocks.delete(key);
      }
    },
    size() {
      return { failures: failures.size, blocks: blocks.size };
    },
  };
}

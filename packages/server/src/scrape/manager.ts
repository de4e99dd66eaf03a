/**
 * Runs one scrape loop per target. `reload` compares targets by job, labels
 * and URL: an unchanged target keeps its loop (and its schedule); one whose
 * settings changed gets a new loop that inherits its series, so no false
 * staleness; a target that went away has every series marked stale.
 * `stop` writes no staleness markers, as Prometheus does on shutdown.
 */
import { Counter, type Registry } from 'prom-client';
import { systemClock, type Clock } from '../clock.ts';
import type { MetadataRecorder } from '../metadata/index.ts';
import type { SampleAppender } from '../tsdb/model.ts';
import type { ScrapeSection } from './config.ts';
import { ScrapeLoop, type LoopOptions, type ScrapeFailure, type TargetStatus } from './loop.ts';
import { targetsFromConfig, type DroppedTarget } from './targets.ts';

export interface ScrapeManagerOptions {
  appender: SampleAppender;
  /** Tenant every scraped sample is written under. */
  tenant?: string;
  clock?: Clock;
  /** vigil_scrape_failures_total{job}: see createScrapeFailuresCounter. */
  failures?: { inc(labels: { job: string }): void };
  /** Each failed scrape (for logging; the failure is also in `up` and the counter). */
  onFailure?(failure: ScrapeFailure): void;
  /** Each target that the config produced but that cannot be scraped (e.g. a bad __address__). */
  onDroppedTarget?(dropped: DroppedTarget): void;
  /** Receives each scrape's TYPE/HELP/UNIT per family. */
  metadata?: MetadataRecorder;
}

export function createScrapeFailuresCounter(registry: Registry): Counter<'job'> {
  return new Counter({
    name: 'vigil_scrape_failures_total',
    help: 'Scrapes that failed (target down, timeout, bad exposition, sample_limit exceeded), by job.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
}

export class ScrapeManager {
  private config: ScrapeSection;
  private readonly loopOptions: LoopOptions;
  private readonly onDroppedTarget: ScrapeManagerOptions['onDroppedTarget'];
  private loops = new Map<string, ScrapeLoop>();
  private running = false;

  constructor(config: ScrapeSection, options: ScrapeManagerOptions) {
    this.config = config;
    this.onDroppedTarget = options.onDroppedTarget;
    this.loopOptions = {
      appender: options.appender,
      tenant: options.tenant ?? 'default',
      clock: options.clock ?? systemClock,
      failures: options.failures,
      onFailure: options.onFailure,
      metadata: options.metadata,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const target of targetsFromConfig(this.config, this.onDroppedTarget)) {
      const loop = new ScrapeLoop(target, this.loopOptions);
      this.loops.set(target.key, loop);
      loop.start();
    }
  }

  /** Stops every loop and waits for in-flight scrapes; writes no staleness markers. */
  async stop(): Promise<void> {
    this.running = false;
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(loops.map((loop) => loop.stop(false)));
  }

  async reload(config: ScrapeSection): Promise<void> {
    this.config = config;
    if (!this.running) return;
    const next = targetsFromConfig(config, this.onDroppedTarget);
    const old = this.loops;
    this.loops = new Map();
    const changes: Promise<void>[] = [];
    for (const target of next) {
      const existing = old.get(target.key);
      old.delete(target.key);
      if (existing && existing.target.fingerprint === target.fingerprint) {
        this.loops.set(target.key, existing);
        continue;
      }
      if (existing) {
        // Same target, new settings: the new loop carries on its series. The old
        // loop holds the slot until it has stopped, so a second reload sees it.
        this.loops.set(target.key, existing);
        changes.push(
          existing.stop(false).then((state) => {
            if (!this.running || this.loops.get(target.key) !== existing) return;
            const loop = new ScrapeLoop(target, this.loopOptions, state);
            this.loops.set(target.key, loop);
            loop.start();
          }),
        );
        continue;
      }
      const loop = new ScrapeLoop(target, this.loopOptions);
      this.loops.set(target.key, loop);
      loop.start();
    }
    for (const gone of old.values()) changes.push(gone.stop(true).then(() => undefined));
    await Promise.all(changes);
  }

  /** The active targets with their last scrape's outcome (what /api/v1/targets shows). */
  targets(): TargetStatus[] {
    return [...this.loops.values()].map((loop) => loop.snapshot());
  }

  /** Resolves when no scrape is in flight (tests, orderly shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.loops.values()].map((loop) => loop.idle()));
  }
}

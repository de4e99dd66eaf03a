/**
 * The dashboards Vigil serves: the built-in folder and the configured
 * folders, reloaded when a file changes. fs.watch gives quick
 * reloads (debounced, as editors write a file in several steps); a periodic
 * rescan catches what fs.watch misses (network filesystems, replaced folders).
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../clock.ts';
import { dashboardFiles, loadDashboards, type DashboardEntry } from './loader.ts';

/** The repo-root dashboards/ folder. */
export const BUILTIN_DASHBOARDS_DIR = fileURLToPath(new URL('../../../../dashboards/', import.meta.url));

export interface DashboardStoreOptions {
  clock: Clock;
  /** Folders of the configuration (`dashboards.dirs`). */
  dirs?: readonly string[];
  /** Serve the built-in dashboards (`dashboards.builtin`, default true). */
  builtin?: boolean;
  rescanIntervalMs?: number;
  debounceMs?: number;
  onReload?: (entries: readonly DashboardEntry[]) => void;
}

/** What the API reads; a small port so that tests can hand it a fixed list. */
export interface DashboardSource {
  list(): readonly DashboardEntry[];
  get(id: string): DashboardEntry | undefined;
}

export function dashboardDirs(options: Pick<DashboardStoreOptions, 'dirs' | 'builtin'>): string[] {
  return [...(options.builtin === false ? [] : [BUILTIN_DASHBOARDS_DIR]), ...(options.dirs ?? [])];
}

export class DashboardStore implements DashboardSource {
  readonly dirs: readonly string[];
  private entries: DashboardEntry[] = [];
  private signature = '';
  private watchers: FSWatcher[] = [];
  private rescan?: { stop(): void };
  private debounce?: NodeJS.Timeout;

  constructor(private readonly options: DashboardStoreOptions) {
    this.dirs = dashboardDirs(options);
  }

  /** Loads every file now, then watches the folders. */
  start(): void {
    this.reload();
    this.watchers = this.dirs.flatMap((dir) => this.watchDir(dir));
    this.rescan = this.options.clock.setInterval(() => this.reload(), this.options.rescanIntervalMs ?? 30_000);
  }

  stop(): void {
    this.rescan?.stop();
    clearTimeout(this.debounce);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  list(): readonly DashboardEntry[] {
    return this.entries;
  }

  get(id: string): DashboardEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  /** Re-reads the files when any was added, removed or changed since the last load; true when it did. */
  reload(): boolean {
    const signature = this.filesSignature();
    if (signature === this.signature) return false;
    this.signature = signature;
    this.entries = loadDashboards(this.dirs);
    this.options.onReload?.(this.entries);
    return true;
  }

  private filesSignature(): string {
    return this.dirs
      .flatMap(dashboardFiles)
      .map((file) => {
        try {
          const stat = statSync(file);
          return `${file}:${stat.mtimeMs}:${stat.size}`;
        } catch {
          return `${file}:gone`;
        }
      })
      .join('\n');
  }

  private watchDir(dir: string): FSWatcher[] {
    try {
      const watcher = watch(dir, { persistent: false }, () => this.scheduleReload());
      watcher.on('error', () => watcher.close()); // the periodic rescan still covers this folder
      return [watcher];
    } catch {
      return []; // missing folder: the rescan picks it up once it exists
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload(), this.options.debounceMs ?? 200);
    this.debounce.unref();
  }
}

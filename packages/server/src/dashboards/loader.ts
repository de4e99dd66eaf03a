/**
 * Reads dashboard files: every *.yml, *.yaml and *.json directly in a
 * folder. A file that cannot be read, parsed or validated becomes an entry
 * with its error, so one broken file never hides the others.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { dashboardSchema, formatIssues, type Dashboard } from './schema.ts';

export interface DashboardEntry {
  /** The file name without its extension; unique across all folders. */
  id: string;
  file: string;
  title: string;
  description: string;
  tags: string[];
  dashboard?: Dashboard;
  error?: string;
}

const extensions = new Set(['.yml', '.yaml', '.json']);
/** A dashboard is a few KiB; a bigger file is a mistake, not a dashboard. */
const MAX_FILE_BYTES = 1024 * 1024;

export function dashboardFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // a folder that does not exist (yet) holds no dashboards
  }
  return names
    .filter((name) => extensions.has(extname(name).toLowerCase()) && !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name));
}

export function loadDashboardFile(file: string): DashboardEntry {
  const id = basename(file, extname(file));
  const broken = (error: string): DashboardEntry => ({ id, file, title: id, description: '', tags: [], error: `${file}: ${error}` });
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return broken(`larger than ${MAX_FILE_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return broken(`cannot read: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return broken(`not valid ${extname(file).slice(1).toUpperCase()}: ${(err as Error).message}`);
  }
  const result = dashboardSchema.safeParse(raw);
  if (!result.success) return broken(formatIssues(result.error.issues));
  const { title, description, tags } = result.data;
  return { id, file, title, description, tags, dashboard: result.data };
}

/** All dashboards of the folders, in order; a file whose id is taken by an earlier one is listed as broken. */
export function loadDashboards(dirs: readonly string[]): DashboardEntry[] {
  const byId = new Map<string, DashboardEntry>();
  for (const file of dirs.flatMap(dashboardFiles)) {
    const entry = loadDashboardFile(file);
    const first = byId.get(entry.id);
    if (first === undefined) {
      byId.set(entry.id, entry);
      continue;
    }
    let n = 2;
    while (byId.has(`${entry.id}-${n}`)) n++;
    const id = `${entry.id}-${n}`;
    byId.set(id, { ...entry, id, dashboard: undefined, error: `${entry.file}: id "${entry.id}" is already used by ${first.file}; rename one file` });
  }
  return [...byId.values()];
}

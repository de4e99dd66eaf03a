/**
 * A worker thread running a TypeScript module.
 *
 * The module is bundled with esbuild into plain JavaScript once per process
 * and the worker runs that: a worker that registers tsx instead (workers do
 * not inherit the loader hooks in Node 20) costs ~35 MB of resident memory
 * against ~10 MB, since the hooks get a thread of their own. The bundle is
 * written to packages/server/.cache/, named by its content, so that its
 * package imports resolve as the sources' do. Where that directory cannot
 * be written (a read-only install), the worker registers tsx.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const cacheDir = fileURLToPath(new URL('../.cache/workers/', import.meta.url));
const bundles = new Map<string, URL | undefined>();

export function startTypeScriptWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!bundles.has(module.href)) bundles.set(module.href, bundle(module));
  const bundled = bundles.get(module.href);
  if (bundled !== undefined) return new Worker(bundled, options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function bundle(module: URL): URL | undefined {
  const source = fileURLToPath(module);
  const built = buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const code = built.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${basename(source, '.ts')}-${hash}.mjs`);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file); // atomic: another process starting at once sees a whole file
    return pathToFileURL(file);
  } catch {
    return undefined;
  }
}

/**
 * A worker thread running a TypeScript module: its bundle (bin/bundle.js),
 * or, where that cannot be written, the source through tsx (workers do not
 * inherit tsx's loader hooks in Node 20, so the worker registers it).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { bundleWorker } from '../bin/bundle.js';

const bundles = new Map<string, URL | undefined>();

export function startTypeScriptWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!bundles.has(module.href)) bundles.set(module.href, bundleWorker(module));
  const bundled = bundles.get(module.href);
  if (bundled !== undefined) return new Worker(bundled, options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

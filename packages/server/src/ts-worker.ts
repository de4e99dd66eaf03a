/**
 * A worker thread running a TypeScript module. Workers do not inherit tsx's
 * loader hooks in Node 20, so each one registers tsx before importing it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTypeScriptWorker(module: URL, options: WorkerOptions = {}): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

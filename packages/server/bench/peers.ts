/**
 * Peer servers for the benches: finds a binary on PATH, starts it on a free
 * loopback port, waits until it answers, and makes sure no child or temp dir
 * outlives the bench process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort, removeDir, startVigil, tempDir } from '../test/acceptance/vigil-process.ts';

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Server {
  name: string;
  url: string;
  pid: number;
  /** The directory whose size is the store's bytes on disk. */
  storeDir: string;
  output: string[];
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** A temp dir removed when the bench exits (unless KEEP_DATA is set). */
export function benchDir(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.add(dir);
  return dir;
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child still running, including peers that failed to start. */
export function stopAll(): Promise<void> {
  return Promise.all([...children].map(stopChild)).then(() => undefined);
}

/** Starts a peer binary and waits for `readyPath` to answer 200. */
export async function startPeer(
  name: string,
  bin: string,
  argv: (port: number) => string[],
  readyPath: string,
  storeDir: string,
): Promise<Server> {
  const port = await freePort();
  const child = spawn(bin, argv(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(url + readyPath)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready in 60 s:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name, url, pid: child.pid!, storeDir, output, stop: () => stopChild(child) };
}

export async function startVigilServer(configYaml?: string): Promise<Server> {
  const vigil = await startVigil({ configYaml });
  dirs.add(vigil.dataDir);
  children.add(vigil.child);
  return {
    name: 'vigil',
    url: vigil.url,
    pid: vigil.child.pid!,
    storeDir: join(vigil.dataDir, 'metrics'),
    output: vigil.output,
    stop: () => stopChild(vigil.child),
  };
}

// Whatever happens, no server outlives the bench.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  if (process.env.KEEP_DATA) console.error(`data kept in ${[...dirs].join(' ')}`);
  else for (const dir of dirs) removeDir(dir);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

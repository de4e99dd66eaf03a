/**
 * Starts `vigil start` as a real child process on a free port with its own
 * data dir, as a user would, and gives its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createServer, type AddressInfo } from 'node:net';

const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

export interface VigilProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Lines Vigil wrote on stdout so far. */
  output: string[];
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export function tempDir(prefix = 'vigil-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startVigil(options: { dataDir?: string; configYaml?: string } = {}): Promise<VigilProcess> {
  const dataDir = options.dataDir ?? tempDir();
  const args = [bin, 'start', '--listen', '127.0.0.1:0', '--data-dir', dataDir];
  if (options.configYaml) {
    const path = join(dataDir, 'vigil.yaml');
    writeFileSync(path, options.configYaml);
    args.push('--config', path);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil did not start in 20 s:\n${output.join('\n')}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const started = /"event":"vigil.started".*"address":"([^"]+)"/.exec(line);
      if (started) {
        clearTimeout(timer);
        resolve(started[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil exited with ${code}:\n${output.join('\n')}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    dataDir,
    child,
    output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** query_range through the Loki API, as a tenant. */
export async function queryRange(
  url: string,
  query: string,
  options: { tenant?: string; limit?: number; direction?: string; since?: string; categorize?: boolean } = {},
): Promise<{ status: number; body: any }> {
  const params = new URLSearchParams({ query, limit: String(options.limit ?? 1000), since: options.since ?? '1h' });
  if (options.direction) params.set('direction', options.direction);
  const headers: Record<string, string> = {};
  if (options.tenant) headers['X-Scope-OrgID'] = options.tenant;
  if (options.categorize) headers['X-Loki-Response-Encoding-Flags'] = 'categorize-labels';
  const response = await fetch(`${url}/loki/api/v1/query_range?${params}`, { headers });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** Polls until `check` passes or the time is up (for clients that ship in the background). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A port on 127.0.0.1 that was free a moment ago, for peers (Prometheus, …) started by tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Test helpers (not exported by the SDK): parse the Prometheus text format
 * into samples, and run `promtool check metrics` on it.
 */
import { spawn } from 'node:child_process';
import type { Registry } from 'prom-client';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

/** Samples of an exposition; throws on a line that is neither a comment nor a sample. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    for (let at = 0; at < body.length; at = labelPair.lastIndex) {
      labelPair.lastIndex = at;
      const pair = labelPair.exec(body);
      if (!pair) throw new Error(`bad labels: ${line}`);
      labels[pair[1]] = JSON.parse(`"${pair[2]}"`) as string;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Samples named `name` whose labels include `labels`. */
export function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample named `name` with these labels (undefined when absent). */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = find(samples, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Distinct values of one label across the samples of `name`. */
export function labelValues(samples: Sample[], name: string, label: string): string[] {
  return [...new Set(find(samples, name).map((s) => s.labels[label]))].sort();
}

/**
 * Waits until `expected` requests are recorded: they are recorded when the
 * server's response closes, which may come just after the client has read it.
 */
export async function recorded(registry: Registry, expected: number, timeoutMs = 2000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = parseExposition(await registry.metrics());
    const total = find(samples, 'http_requests_total').reduce((n, s) => n + s.value, 0);
    if (total >= expected || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `promtool check metrics` on the text: its exit code and output. */
export function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

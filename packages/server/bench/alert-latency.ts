/**
 * Time from a threshold crossing to the first notification received, with
 * `for: 0s` and a 1 s evaluation interval (target: under 2 s). A started
 * `vigil` runs one rule, `latency_probe > 0`, and routes its alerts to a
 * webhook served here, grouped by [alertname, probe] with group_wait 0s.
 * Each trial pushes `latency_probe{probe="<n>"} 1` over OTLP/HTTP JSON with a
 * fresh probe label (a new alert in a new group) and measures from the 2xx
 * of the push to the webhook's receipt of that probe's firing alert. Trials
 * start at spread-out phases of the evaluation tick, after one warm-up
 * trial. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/alert-latency.ts [--trials 10]
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, startVigilServer, stopAll, type Server } from './peers.ts';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '10' } } });
const TRIALS = Number(args.trials);
if (!(Number.isInteger(TRIALS) && TRIALS > 0)) {
  console.error(`--trials must be a positive integer, got ${args.trials}`);
  process.exit(2);
}
const EVALUATION_MS = 1_000;
const TRIAL_TIMEOUT_MS = 10_000;

/** Receives webhook notifications and resolves a waiter per probe on its first firing alert. */
class Webhook {
  private readonly waiters = new Map<string, (receivedAt: number) => void>();
  private readonly server: HttpServer;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const receivedAt = performance.now();
        response.writeHead(200).end();
        this.notice(JSON.parse(Buffer.concat(chunks).toString()), receivedAt);
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Resolves with the receipt time of `probe`'s first firing notification. */
  firing(probe: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notification for probe ${probe} in ${TRIAL_TIMEOUT_MS} ms`)), TRIAL_TIMEOUT_MS);
      this.waiters.set(probe, (receivedAt) => {
        clearTimeout(timer);
        resolve(receivedAt);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private notice(payload: { alerts: { status: string; labels: Record<string, string> }[] }, receivedAt: number): void {
    for (const alert of payload.alerts) {
      const resolveWaiter = this.waiters.get(alert.labels.probe);
      if (alert.status !== 'firing' || resolveWaiter === undefined) continue;
      this.waiters.delete(alert.labels.probe);
      resolveWaiter(receivedAt);
    }
  }
}

function configYaml(ruleFile: string, webhookUrl: string): string {
  return `global:
  evaluation_interval: ${EVALUATION_MS / 1000}s
rules:
  pack: false
rule_files: [${JSON.stringify(ruleFile)}]
alertmanager:
  route:
    receiver: hook
    group_by: [alertname, probe]
    group_wait: 0s
    group_interval: 1s
    repeat_interval: 1h
  receivers:
    - name: hook
      webhook_configs:
        - url: ${JSON.stringify(webhookUrl)}
`;
}

function writeRuleFile(): string {
  const path = join(benchDir('vigil-bench-latency-'), 'latency.rules.yml');
  writeFileSync(path, 'groups:\n  - name: latency\n    rules:\n      - alert: LatencyProbe\n        expr: latency_probe > 0\n        for: 0s\n');
  return path;
}

/** One gauge sample, now, as OTLP/HTTP JSON: the crossing of `latency_probe > 0`. */
async function push(vigil: Server, probe: string): Promise<void> {
  const dataPoint = { timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`, asDouble: 1, attributes: [{ key: 'probe', value: { stringValue: probe } }] };
  const body = JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'latency_probe', gauge: { dataPoints: [dataPoint] } }] }] }] });
  const response = await fetch(`${vigil.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  // a partial success (`{"partialSuccess":…}`) would mean the sample was dropped: no crossing happened
  if (response.status !== 200 || JSON.parse(text).partialSuccess !== undefined) throw new Error(`push answered ${response.status}: ${text}`);
}

async function trial(vigil: Server, webhook: Webhook, probe: string): Promise<number> {
  const received = webhook.firing(probe);
  await push(vigil, probe);
  const crossedAt = performance.now();
  return (await received) - crossedAt;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

let failed = false;
const webhook = new Webhook();
try {
  const vigil = await startVigilServer(configYaml(writeRuleFile(), await webhook.listen()));
  await trial(vigil, webhook, 'warm-up');
  const latencies: number[] = [];
  for (let n = 0; n < TRIALS; n++) {
    // a notification arrives at a fixed phase of the tick: shift each push so trials cover the whole tick
    await sleep(((n + 0.5) / TRIALS) * EVALUATION_MS);
    latencies.push(await trial(vigil, webhook, String(n)));
  }
  console.error(`# ${cpus().length}x ${cpus()[0].model.trim()}, load ${loadavg()[0].toFixed(1)}; trials (ms): ${latencies.map((l) => l.toFixed(0)).join(' ')}`);
  console.error('# bound: wait for the next rule evaluation (0–1 s, evaluation_interval) + the query');
  console.error('# + the dispatcher tick that picks up a new group (0–100 ms) + group_wait 0s + the webhook POST');
  console.log(`alert_latency_ms_median ${percentile(latencies, 0.5).toFixed(0)}`);
  console.log(`alert_latency_ms_p90 ${percentile(latencies, 0.9).toFixed(0)}`);
  console.log(`alert_latency_ms_max ${Math.max(...latencies).toFixed(0)}`);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await stopAll();
  await webhook.close();
}
process.exit(failed ? 1 : 0);

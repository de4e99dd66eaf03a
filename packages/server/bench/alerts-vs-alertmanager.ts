/**
 * Alerts accepted per second through `POST /api/v2/alerts`, in batches of
 * 100, by a started `vigil` and by Debian's Alertmanager in the same run,
 * with the same routing (one receiver, grouped by alertname, nothing sent
 * during the run). Prints one figure per line: each server's median
 * alerts/s over the runs and the Vigil/Alertmanager ratio.
 *
 *   node --import tsx packages/server/bench/alerts-vs-alertmanager.ts [--alerts 20000] [--runs 3] [--concurrency 4]
 *
 * Needs `prometheus-alertmanager` on PATH (Debian package of that name;
 * ALERTMANAGER_BIN overrides); exits 2 without it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, onPath, startPeer, startVigilServer, stopAll, type Server } from './peers.ts';
import { median } from './workload.ts';

const { values: args } = parseArgs({
  options: {
    alerts: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
  },
});
const ALERTS = Number(args.alerts);
const RUNS = Number(args.runs);
const CONCURRENCY = Number(args.concurrency);
const BATCH = 100;

const alertmanagerBin = process.env.ALERTMANAGER_BIN ?? onPath('prometheus-alertmanager') ?? onPath('alertmanager');
if (alertmanagerBin === undefined) {
  console.error('alerts-vs-alertmanager needs Alertmanager: apt-get install prometheus-alertmanager (or set ALERTMANAGER_BIN)');
  process.exit(2);
}

const routing = `route:
  receiver: sink
  group_by: [alertname]
  group_wait: 10m
receivers:
  - name: sink
`;

async function startAlertmanager(): Promise<Server> {
  const dir = benchDir('vigil-bench-am-');
  writeFileSync(join(dir, 'alertmanager.yml'), routing);
  return startPeer(
    'alertmanager',
    alertmanagerBin!,
    (port) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    '/-/ready',
    dir,
  );
}

function startVigil(): Promise<Server> {
  const config = `rules:\n  pack: false\nalertmanager:\n${routing.replace(/^/gm, '  ')}`;
  return startVigilServer(config);
}

/** Run `run`'s alerts as JSON bodies of BATCH alerts; labels are new in every run. */
function batches(run: number): string[] {
  const startsAt = new Date().toISOString();
  const bodies: string[] = [];
  for (let first = 0; first < ALERTS; first += BATCH) {
    const alerts = [];
    for (let i = first; i < Math.min(first + BATCH, ALERTS); i++) {
      alerts.push({
        labels: { alertname: `BenchAlert${i % 50}`, instance: `host-${i}:9100`, job: 'node', severity: i % 3 === 0 ? 'critical' : 'high', run: String(run) },
        annotations: { summary: `host-${i} is unhappy`, runbook_url: 'https://runbooks.example.com/bench' },
        startsAt,
        generatorURL: 'http://prometheus.example.com/graph',
      });
    }
    bodies.push(JSON.stringify(alerts));
  }
  return bodies;
}

async function post(server: Server, bodies: string[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${server.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (response.status !== 200) throw new Error(`${server.name} answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return (ALERTS / (performance.now() - started)) * 1000;
}

async function count(server: Server): Promise<number> {
  const response = await fetch(`${server.url}/api/v2/alerts?silenced=false&inhibited=false`);
  return ((await response.json()) as unknown[]).length;
}

let failed = false;
try {
  const [vigil, alertmanager] = await Promise.all([startVigil(), startAlertmanager()]);
  const rates: Record<string, number[]> = { vigil: [], alertmanager: [] };
  for (let run = 0; run < RUNS; run++) {
    const bodies = batches(run);
    // alternate who goes first, so neither always gets the warmer machine
    const order = run % 2 === 0 ? [vigil, alertmanager] : [alertmanager, vigil];
    for (const server of order) rates[server.name].push(await post(server, bodies));
  }
  for (const server of [vigil, alertmanager]) {
    const held = await count(server);
    if (held !== ALERTS * RUNS) console.error(`# ${server.name} holds ${held} alerts, expected ${ALERTS * RUNS}`);
  }
  const v = median(rates.vigil);
  const a = median(rates.alertmanager);
  console.log(`vigil_alerts_per_s ${v.toFixed(0)}`);
  console.log(`alertmanager_alerts_per_s ${a.toFixed(0)}`);
  console.log(`vigil_vs_alertmanager_ratio ${(v / a).toFixed(2)}`);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);

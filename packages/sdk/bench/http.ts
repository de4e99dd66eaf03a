/**
 * Cost of the HTTP middleware (request id, context, RED metrics) on a
 * hello-world node:http server. Prints one figure per line.
 *
 *   node --import tsx packages/sdk/bench/http.ts [seconds-per-run] [rounds]
 *
 * Each server runs in its own child process, so autocannon's load generation
 * (this process) never shares an event loop with it; on 2 cores that is one
 * core each. Rounds alternate bare/with and swap order every round, so drift
 * on a shared machine hits both; figures are medians over rounds, the
 * overhead the median of the rounds' paired ratios. The servers also report
 * their own CPU time per request and how busy they were (CPU time / wall
 * time): below ~95% busy the load generator, or another process on the
 * machine, not the server was the bottleneck, and rps hides the overhead
 * that CPU time per request still shows. The load averages before and after
 * say how quiet the machine was.
 * Target: middleware_overhead_percent ≤ 5.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * bare: the handler alone. context_only: the handler inside runWithContext,
 * nothing else: on Node 20 the first AsyncLocalStorage.run switches on async
 * hooks for every async resource of the process, a cost any correlation has,
 * shown apart so the middleware's own share is visible.
 */
const variants = ['bare', 'context_only', 'with_middleware'] as const;
type Variant = (typeof variants)[number];

interface ServerMessage {
  port?: number;
  cpuMicros?: number;
}

// ---- child: one server, reports its port, then its CPU time on request ----

async function serve(variant: Variant): Promise<void> {
  const hello = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello world');
  };
  let handler = hello;
  if (variant === 'context_only') {
    const { runWithContext } = await import('../src/context/index.ts');
    handler = (req, res) => runWithContext({ requestId: 'bench' }, () => hello(req, res));
  }
  if (variant === 'with_middleware') {
    // Imported only here so the bare server never loads the SDK (or starts its default collectors).
    const { observeHandler } = await import('../src/http/index.ts');
    const { createMetrics } = await import('../src/metrics/index.ts');
    const metrics = createMetrics({ defaultLabels: { service: 'bench' } });
    handler = observeHandler(hello, { metrics, route: () => '/hello', exposeMetrics: true });
  }
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as { port: number }).port } satisfies ServerMessage);
  });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system } satisfies ServerMessage);
  });
  process.on('disconnect', () => process.exit(0));
}

// ---- parent: drives both servers in alternating rounds ----

interface Server {
  child: ChildProcess;
  url: string;
  cpuMicros(): Promise<number>;
}

async function startServer(variant: Variant): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), ['serve', variant], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<ServerMessage>((resolve) => child.once('message', (m) => resolve(m as ServerMessage)));
  const { port } = await next();
  return {
    child,
    url: `http://127.0.0.1:${port}/hello`,
    async cpuMicros() {
      const reply = next();
      child.send('cpu');
      return (await reply).cpuMicros ?? 0;
    },
  };
}

interface Run {
  rps: number;
  cpuMicrosPerRequest: number;
  busyPercent: number;
}

async function run(server: Server, seconds: number): Promise<Run> {
  const before = await server.cpuMicros();
  const started = performance.now();
  const result = await autocannon({ url: server.url, connections: 50, duration: seconds });
  const wallMicros = (performance.now() - started) * 1000;
  const cpu = (await server.cpuMicros()) - before;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx`);
  return { rps: result.requests.total / seconds, cpuMicrosPerRequest: cpu / result.requests.total, busyPercent: (100 * cpu) / wallMicros };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(seconds: number, rounds: number): Promise<void> {
  console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
  console.log(`load_average_before ${loadavg()[0].toFixed(2)}`);
  const servers = new Map<Variant, Server>();
  for (const variant of variants) servers.set(variant, await startServer(variant));
  try {
    for (const server of servers.values()) await run(server, 2); // warm-up: JIT and connections
    const runs = new Map<Variant, Run[]>(variants.map((v) => [v, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [...variants] : [...variants].reverse();
      for (const variant of order) runs.get(variant)!.push(await run(servers.get(variant)!, seconds));
    }
    const bare = runs.get('bare')!;
    const rps = (v: Variant) => median(runs.get(v)!.map((r) => r.rps)).toFixed(0);
    const cpu = (v: Variant) => median(runs.get(v)!.map((r) => r.cpuMicrosPerRequest)).toFixed(2);
    const overhead = (v: Variant) => median(runs.get(v)!.map((r, i) => (1 - r.rps / bare[i].rps) * 100)).toFixed(1);
    const cpuOverhead = (v: Variant) =>
      median(runs.get(v)!.map((r, i) => (r.cpuMicrosPerRequest / bare[i].cpuMicrosPerRequest - 1) * 100)).toFixed(1);
    const busy = (v: Variant) => median(runs.get(v)!.map((r) => r.busyPercent)).toFixed(0);
    const figures: [string, string][] = [
      ['hello_rps_bare', rps('bare')],
      ['hello_rps_with_middleware', rps('with_middleware')],
      ['middleware_overhead_percent', overhead('with_middleware')],
      ['hello_rps_context_only', rps('context_only')],
      ['context_only_overhead_percent', overhead('context_only')],
      ['hello_server_cpu_us_per_request_bare', cpu('bare')],
      ['hello_server_cpu_us_per_request_context_only', cpu('context_only')],
      ['hello_server_cpu_us_per_request_with_middleware', cpu('with_middleware')],
      ['context_only_cpu_overhead_percent', cpuOverhead('context_only')],
      ['middleware_cpu_overhead_percent', cpuOverhead('with_middleware')],
      ['hello_server_busy_percent_bare', busy('bare')],
      ['hello_server_busy_percent_with_middleware', busy('with_middleware')],
      ['load_average_after', loadavg()[0].toFixed(2)],
    ];
    for (const [name, value] of figures) console.log(`${name} ${value}`);
  } finally {
    for (const server of servers.values()) server.child.kill();
  }
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] as Variant);
} else {
  await main(Number(process.argv[2] ?? 4), Number(process.argv[3] ?? 5));
}

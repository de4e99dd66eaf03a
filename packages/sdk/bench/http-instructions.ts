/**
 * The middleware's cost as CPU instructions per request, counted by
 * valgrind: the same servers as http.ts, each run under
 * `valgrind --tool=cachegrind` for a few requests and for many more, the
 * difference divided by the extra requests (start-up and warm-up cancel
 * out). Counts do not move with the load of a shared machine, which rps
 * and CPU time do; they cover the server's user space only, not the
 * kernel's TCP work (about half of a hello-world request's CPU time).
 * Needs valgrind; a run takes a few minutes. Prints one figure per line.
 *
 *   node --import tsx packages/sdk/bench/http-instructions.ts [extra-requests]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const variants = ['bare', 'context_only', 'with_middleware'] as const;
const WARM_UP_REQUESTS = 5000;
const server = fileURLToPath(new URL('./http.ts', import.meta.url));

/** Instructions a server ran to start, answer `requests` requests and exit. */
async function instructions(variant: string, requests: number): Promise<number> {
  const child = fork(server, ['serve', variant], {
    execPath: 'valgrind',
    execArgv: ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
  const result = await autocannon({ url: `http://127.0.0.1:${port}/hello`, connections: 10, amount: requests });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  child.disconnect(); // the server exits on disconnect
  await exited;
  const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (refs === undefined) throw new Error(`${variant}: no instruction count from valgrind:\n${stderr.slice(-2000)}`);
  return Number(refs.replaceAll(',', ''));
}

async function main(extra: number): Promise<void> {
  console.log(`node ${process.version} requests ${WARM_UP_REQUESTS} and ${WARM_UP_REQUESTS + extra}`);
  const perRequest = new Map<string, number>();
  for (const variant of variants) {
    // The two runs of a variant at once: the counts do not depend on timing.
    const [few, many] = await Promise.all([instructions(variant, WARM_UP_REQUESTS), instructions(variant, WARM_UP_REQUESTS + extra)]);
    perRequest.set(variant, (many - few) / extra);
  }
  const bare = perRequest.get('bare')!;
  for (const [variant, count] of perRequest) console.log(`hello_instructions_per_request_${variant} ${count.toFixed(0)}`);
  for (const variant of ['context_only', 'with_middleware']) {
    console.log(`${variant}_instructions_overhead_percent ${((perRequest.get(variant)! / bare - 1) * 100).toFixed(1)}`);
  }
}

await main(Number(process.argv[2] ?? 40_000));

/** `vigil logs query|tail`: LogQL against a running server, through the Loki API. */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const common = {
  url: { type: 'string', default: 'http://127.0.0.1:9700' },
  tenant: { type: 'string' },
} as const;

interface StreamResult {
  stream: Record<string, string>;
  values: [string, string][];
}

export async function logsQuery(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      since: { type: 'string', default: '1h' },
      limit: { type: 'string', default: '100' },
      output: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new Error("usage: vigil logs query '<logql>' [--since 1h] [--limit N] [--output json|text]");
  if (values.output !== 'json' && values.output !== 'text') throw new Error(`--output: "${values.output}" is not json or text`);
  const params = new URLSearchParams({ query: positionals[0], since: values.since, limit: values.limit });
  const response = await fetch(`${values.url}/loki/api/v1/query_range?${params}`, { headers: headersFor(values.tenant) });
  const body = await response.text();
  if (!response.ok) throw new Error(`the server answered ${response.status}: ${body.trim()}`);
  if (values.output === 'json') {
    console.log(body);
    return 0;
  }
  const data = (JSON.parse(body) as { data: { resultType: string; result: unknown[] } }).data;
  if (data.resultType === 'streams') printLines(data.result as StreamResult[]);
  else for (const series of data.result as { metric: object; values: [number, string][] }[]) {
    console.log(`${JSON.stringify(series.metric)} ${series.values.map(([t, v]) => `${v}@${t}`).join(' ')}`);
  }
  return 0;
}

export async function logsTail(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: common });
  if (positionals.length !== 1) throw new Error("usage: vigil logs tail '<selector>'");
  const url = new URL('/loki/api/v1/tail', values.url.replace(/^http/, 'ws'));
  url.searchParams.set('query', positionals[0]);
  const socket = new WebSocket(url, { headers: headersFor(values.tenant) });
  return new Promise((resolve, reject) => {
    socket.on('message', (data) => printLines((JSON.parse(data.toString()) as { streams: StreamResult[] }).streams));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`the server answered ${res.statusCode}`)));
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
    process.once('SIGINT', () => socket.close());
  });
}

function headersFor(tenant: string | undefined): Record<string, string> {
  return tenant ? { 'X-Scope-OrgID': tenant } : {};
}

function printLines(streams: StreamResult[]): void {
  const lines = streams.flatMap((s) => s.values.map(([ts, line]) => ({ ts, line, labels: s.stream })));
  lines.sort((a, b) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : 1));
  for (const { ts, line, labels } of lines) {
    const time = new Date(Number(BigInt(ts) / 1_000_000n)).toISOString();
    console.log(`${time} ${JSON.stringify(labels)} ${line}`);
  }
}

/**
 * `vigil alert test --labels severity=critical,alertname=Test`: sends a
 * synthetic alert through a running server's routing tree and prints where
 * it went and whether each receiver took it. Exit 1 when a send failed or
 * nothing would be notified.
 */
import { parseArgs } from 'node:util';
import type { AlertTestRoute } from '../alerting/alert-test.ts';

const usage = 'usage: vigil alert test --labels name=value,... [--annotations name=value,...] [--url URL]';

export async function alertTest(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      labels: { type: 'string' },
      annotations: { type: 'string', default: '' },
      url: { type: 'string', default: 'http://127.0.0.1:9700' },
    },
  });
  if (!values.labels) throw new Error(usage);
  const body = { labels: parsePairs(values.labels, '--labels'), annotations: parsePairs(values.annotations, '--annotations') };
  const response = await fetch(`${values.url}/vigil/api/v1/alerts/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`the server answered ${response.status}: ${text.trim()}`);
  const routes = (JSON.parse(text) as { data: AlertTestRoute[] }).data;
  let failed = routes.every((route) => route.muted);
  for (const route of routes) {
    const grouping = `grouped by [${route.groupBy.join(', ')}]`;
    if (route.muted) {
      console.log(`${route.receiver}: muted (${route.mutedBy}), ${grouping}`);
      continue;
    }
    for (const result of route.results ?? []) {
      if (!result.ok) failed = true;
      const outcome = result.ok ? `delivered after ${result.attempts} attempt(s)` : `FAILED after ${result.attempts} attempt(s): ${result.error}`;
      const via = result.fallbackReceiver ? ` (fallback ${result.fallbackReceiver})` : '';
      console.log(`${route.receiver}: ${result.integration}${via} ${outcome}, ${grouping}`);
    }
    if ((route.results ?? []).length === 0) console.log(`${route.receiver}: no integrations, ${grouping}`);
  }
  if (routes.every((route) => route.muted)) console.log('no receiver would be notified');
  return failed ? 1 : 0;
}

/** `a=b,c=d`; a value may be double-quoted to hold commas: `summary="x, y"`. */
export function parsePairs(text: string, flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  const pair = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^,"]*?)\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    pair.lastIndex = at;
    const match = pair.exec(text);
    if (!match) throw new Error(`${flag}: "${text}" is not name=value,name=value (problem at character ${at + 1})`);
    pairs[match[1]] = match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2];
    at = pair.lastIndex;
    if (match[3] === '') break;
  }
  return pairs;
}
